"""A reference list's items as the theme prints them (plugins/citations/listing.py)."""

from markupsafe import Markup

from plugins.citations.listing import back_links, items


def test_a_work_cited_once_links_back_by_name_and_several_times_by_number() -> None:
    assert back_links(4, 1) == ' <a href="#cite-4-1">back to text</a>'
    assert back_links(2, 2) == (
        ' <span class="back">↩ back to text:'
        ' <a href="#cite-2-1" aria-label="Back to citation 1">1</a>'
        ' <a href="#cite-2-2" aria-label="Back to citation 2">2</a></span>')
    assert back_links(1, 0) == ""  # further reading: not cited in the text


def test_each_item_escapes_its_anchor_and_keeps_its_text() -> None:
    # A pandoc key may hold & < > (plugins/citations/syntax.py): its anchor is escaped.
    html = items([("ref-a&b<c>", Markup('<span class="ref-text"><i>T</i></span>'), ""),
                  ("ref-d", Markup("D"), back_links(2, 1))])
    assert isinstance(html, Markup)
    assert html == ('<li id="ref-a&amp;b&lt;c&gt;"><span class="ref-text"><i>T</i></span></li>'
                    '<li id="ref-d">D <a href="#cite-2-1">back to text</a></li>')
