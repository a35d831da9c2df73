"""The bibliography loader, the CSL formatting and the in-text renderer, without Pelican."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from plugins.citations.bibliography import Entry, load_files
from plugins.citations.check import missing_fields
from plugins.citations.describe import jsonld, link_doi, list_text
from plugins.citations.engine import format_entries
from plugins.citations.formatting import (
    FormatFailed,
    Formatter,
    for_citeproc,
    make_formatter,
    resolve_style,
)
from plugins.citations.placeholders import insert, placeholder
from plugins.citations.render import ArticleCitations, further_reading, ordered, replace_citations
from plugins.citations.stage import cite
from plugins.citations.state import Citations
from plugins.citations.syntax import find_citations
from plugins.diagnostics import BUILD, Build
from plugins.pipeline import Page
from plugins.pipeline.stages import read_page, render
from plugins.sources import parse_source

LDN_BIB = Path(__file__).resolve().parent.parent / "content" / "bibliography.bib"
BIB = """% header

@article{one,
  author  = {Bye-M{\\o}ller, Lars and {World Health Organization}},
  title   = {Pain \\& fatigue -- {LDN} <script>alert(1)</script>},
  journal = {J Test},
  year    = {2020},
  pages   = {10--12},
  pmid    = {123},
  pmcid   = {PMC456},
  studydesign = {crossover}
}

@article{broken,
  title = {never closed,

@article{two,
  title   = {Still read after the broken one},
  journal = {J Test},
  year    = {2021}
}
"""


@pytest.fixture
def bib(tmp_path: Path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return load_files([path])


def test_latex_decoded_and_names_split(bib) -> None:
    csl = bib.entries["one"].csl
    assert csl["title"] == "Pain & fatigue \u2013 LDN <script>alert(1)</script>"
    assert csl["author"] == [{"family": "Bye-M\u00f8ller", "given": "Lars"},
                             {"literal": "World Health Organization"}]
    assert csl["page"] == "10-12"
    assert csl["PMID"] == "123"
    assert csl["PMCID"] == "PMC456"
    assert csl["issued"] == {"date-parts": [[2020]]}


def test_extra_fields_and_positions_kept(bib) -> None:
    one = bib.entries["one"]
    assert one.fields["studydesign"] == "crossover"
    # Names read as BibTeX writes them, not as Python prints the parsed objects.
    assert one.fields["author"] == "Bye-M{\\o}ller, Lars and {World Health Organization}"
    assert (one.line, one.col) == (3, 1)
    assert one.position_of("pmid") == (9, 3)


def test_malformed_entry_does_not_lose_the_others(bib) -> None:
    assert list(bib.entries) == ["one", "two"]
    (problem,) = bib.problems
    assert (problem.line, problem.code) == (14, "citations.malformed-entry")


def test_csl_json_mixed_with_bibtex(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@article{a, title={A}, journal={J}, year={2000}}\n")
    items = [{"id": "b", "type": "article-journal", "title": "B"},
             {"id": "a", "type": "article-journal", "title": "A again"}]
    (tmp_path / "b.json").write_text(json.dumps(items, indent=2))
    bib = load_files([tmp_path / "a.bib", tmp_path / "b.json"])
    assert list(bib.entries) == ["a", "b"]
    assert bib.entries["b"].line == 3
    (duplicate,) = bib.problems
    assert duplicate.code == "citations.duplicate-key"
    assert (Path(duplicate.path).name, duplicate.line) == ("b.json", 8)


def test_loaded_once_per_build(tmp_path: Path) -> None:
    (tmp_path / "bibliography.bib").write_text("@article{a, title={A}}\n")
    build = Build.new({"PATH": str(tmp_path)})
    assert build.state(Citations).bibliography is build.state(Citations).bibliography
    assert list(build.state(Citations).bibliography.entries) == ["a"]
    another = Build.new({"PATH": str(tmp_path)})  # the next build loads it afresh
    assert another.state(Citations).bibliography is not build.state(Citations).bibliography


def test_unverified_fields_are_explained_not_missing() -> None:
    bib = load_files([LDN_BIB])
    assert not bib.problems
    assert "author" not in bib.entries["annmedsurg2025"].csl
    assert "issued" not in bib.entries["parker2018"].csl
    assert {key: missing_fields(e) for key, e in bib.entries.items() if missing_fields(e)} == {}


def test_unexplained_missing_field(tmp_path: Path) -> None:
    path = tmp_path / "r.bib"
    path.write_text("% UNVERIFIED: pmid\n@article{a, title={A}, journal={J}}\n")
    assert missing_fields(load_files([path]).entries["a"]) == ["author", "issued"]


def test_formatted_once_and_escaped(bib) -> None:
    formatter = make_formatter("ama", bib)
    first = formatter["one"]
    assert formatter["one"] is first
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in first.html
    assert "<script>" not in first.html
    assert "Pain &amp; fatigue" in first.html
    assert first.links == (("PubMed", "https://pubmed.ncbi.nlm.nih.gov/123/"),
                           ("PMC", "https://pmc.ncbi.nlm.nih.gov/articles/PMC456/"))
    # A work without named authors starts with its title, printed once.
    assert formatter["two"].html.startswith("Still read")
    assert formatter["two"].html.count("Still read") == 1
    assert "No authors listed" not in formatter["two"].html


@pytest.mark.parametrize("style", ["ama", "apa", "vancouver"])
def test_every_real_entry_is_formatted_by_citeproc(style: str) -> None:
    formatter = Formatter(load_files([LDN_BIB]), *resolve_style(style))
    for key, entry in formatter.bibliography.entries.items():
        text = formatter[key].text
        # Not the bare title: the whole entry, as the style writes it.
        assert text != entry.csl["title"], key
        assert entry.csl["title"][:20] in text, key
        assert entry.fields.get("year", "") in text, key


DOI_LINKS = (("DOI", "https://doi.org/10.1000/a(1)"), ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/1/"))


@pytest.mark.parametrize("printed", ["doi:10.1000/a(1)", "doi: 10.1000/a(1)",
                                     "https://doi.org/10.1000/a(1)"])
def test_the_printed_doi_is_the_doi_link(printed: str) -> None:
    html, rest = link_doi(f"T. <i>J</i>. 2020;1:2. {printed}", {"DOI": "10.1000/a(1)"}, DOI_LINKS)
    # Only the DOI is the link's text; a printed doi.org address is a link as it stands.
    lead, doi = ("", printed) if printed.startswith("https") else printed.split("10.", 1)
    doi = doi if printed.startswith("https") else "10." + doi
    assert html == (f'T. <i>J</i>. 2020;1:2. {lead}<a href="https://doi.org/10.1000/a(1)">'
                    f"{doi}</a>")
    assert rest == DOI_LINKS[1:]  # PubMed and PMC stay separate links


def test_a_doi_the_style_does_not_print_keeps_its_own_link() -> None:
    assert link_doi("T. 2020.", {"DOI": "10.1000/a(1)"}, DOI_LINKS) == ("T. 2020.", DOI_LINKS)


@pytest.mark.parametrize("issued", [{"date-parts": [2020]}, {"date-parts": {"0": [2020]}},
                                    {"date-parts": [[]]}, "2020", None])
def test_a_work_of_any_issued_shape_is_described_without_a_year(issued: object) -> None:
    # CSL-JSON written by hand may have any shape; its JSON-LD says what it can, never
    # another name for the work (it used to fall back, silently, to the entry's key).
    entry = Entry("k", {"type": "book", "title": "A title", "issued": issued}, Path("x.json"), 1)
    assert jsonld(entry, ()) == {"@type": "CreativeWork", "name": "A title"}


def test_a_work_s_year_and_doi_are_described() -> None:
    entry = Entry("k", {"type": "article-journal", "title": "T", "DOI": "10.1000/a(1)",
                        "issued": {"date-parts": [[2020, 5]]}}, Path("x.bib"), 1)
    assert jsonld(entry, DOI_LINKS) == {
        "@type": "ScholarlyArticle", "name": "T", "datePublished": "2020",
        "@id": "https://doi.org/10.1000/a(1)", "sameAs": "https://doi.org/10.1000/a(1)"}


def test_placeholders_go_in_as_html_and_as_text_inside_a_tag() -> None:
    pieces = ['<sup class="citation"><a href="#ref-a">1</a></sup>', "<b>2</b>"]
    html = (f'<p>Text{placeholder(0)} and <img alt="x{placeholder(1)}"> '
            f'{placeholder(1)}{placeholder(7)}</p>')
    assert insert(html, pieces) == (
        '<p>Text<sup class="citation"><a href="#ref-a">1</a></sup> and <img alt="x2"> '
        f'<b>2</b>{placeholder(7)}</p>')
    assert placeholder(10) != placeholder(1) + "0"
    assert insert("<p>no citations</p>", pieces) == "<p>no citations</p>"


@pytest.mark.parametrize(("style", "expected"), [
    ("ama", 'two<sup class="citation"><a '
            'href="#ref-one" id="cite-1-1">1</a>,<a '
            'href="#ref-two" id="cite-2-1">2</a></sup>'),
    ("vancouver", 'two <span class="citation">[<a '
                  'href="#ref-one" id="cite-1-1">1</a>, <a '),
    ("apa", 'two <span class="citation">(see <a href="#ref-one" '
            'id="cite-1-1">Bye-M\u00f8ller &amp; World Health Organization, '),
])
def test_in_text_styles(bib, style: str, expected: str) -> None:
    formatter = make_formatter(style, bib)
    renderer = ArticleCitations(formatter)
    body = "two [see @one, p. 4; @two]" if style == "apa" else "two [@one; @two]"
    html = insert(*replace_citations(body, find_citations(body), renderer))
    assert html.startswith(expected)
    assert "data-preview" not in html  # theme/js/citations.js previews the list entry
    assert renderer.counts == {"one": 1, "two": 1}  # in order of first citation


def link(key: str, number: str) -> str:
    return f'<a href="#ref-{key}" id="cite-{number}-1">{number}</a>'


@pytest.mark.parametrize(("style", "expected"), [
    # Each prefix stays with its own item, as pandoc keeps it; AMA's "see" stays text.
    ("ama", 'A see<sup class="citation">' + link("one", "1") + '</sup>, also'
            '<sup class="citation">' + link("two", "2") + "(p3)</sup>."),
    ("vancouver", 'A <span class="citation">[see ' + link("one", "1") + ", also "
                  + link("two", "2") + ", p. 3]</span>."),
])
def test_each_prefix_stays_with_its_item(bib, style: str, expected: str) -> None:
    renderer = ArticleCitations(make_formatter(style, bib))
    body = "A [see @one; also @two, p. 3]."
    assert insert(*replace_citations(body, find_citations(body), renderer)) == expected


def test_a_suppressed_author_prints_the_year_alone(bib) -> None:
    renderer = ArticleCitations(make_formatter("apa", bib))
    body = "As Bye-M\u00f8ller wrote [-@one, p. 4]."
    html = insert(*replace_citations(body, find_citations(body), renderer))
    assert re.sub(r"<[^>]+>", "", html) == "As Bye-M\u00f8ller wrote (2020, p. 4)."


@pytest.mark.parametrize(("style", "keys", "numbers"), [
    ("ama", ["two", "one"], [1, 2]),  # order of first citation
    ("apa", ["one", "two"], [1, 2]),  # alphabetical: Bye-Møller before "Still read…"
])
def test_a_page_keeps_its_reference_list_as_keys_and_counts(
        bib, style: str, keys: list[str], numbers: list[int]) -> None:
    formatter = make_formatter(style, bib)
    renderer = ArticleCitations(formatter)
    body = "A [@two]. B [@one; @two]. C [@two]."
    replace_citations(body, find_citations(body), renderer)
    references = ordered(renderer.counts, formatter, formatter.mode)
    assert formatter.formatted == {}  # pages are read with no entry formatted yet
    assert len(references) == 2
    assert [(r.key, r.number) for r in references] == list(zip(keys, numbers, strict=True))
    assert references[-1].key == keys[-1]
    assert [r.key for r in references[:1]] == keys[:1]
    with pytest.raises(IndexError):
        references[2]
    two = next(r for r in references if r.key == "two")
    assert two.html == formatter["two"].html
    # The theme prints the same entries, in the same order, each with its back-links:
    # their ids go by the order of first citation ("two" first), whatever the list's.
    back = {"two": ' <span class="back">↩ back to text:'
                   ' <a href="#cite-1-1" aria-label="Back to citation 1">1</a>'
                   ' <a href="#cite-1-2" aria-label="Back to citation 2">2</a>'
                   ' <a href="#cite-1-3" aria-label="Back to citation 3">3</a></span>',
            "one": ' <a href="#cite-2-1">back to text</a>'}
    assert references.html() == "".join(
        f'<li id="ref-{r.key}">{list_text(r.html, r.links, "")}{back[r.key]}</li>'
        for r in references)
    assert references.keys() == tuple(keys)
    extra = further_reading(["one", "two", "one"], formatter, {"two": None})
    assert [(r.key, r.number) for r in extra] == [("one", None)]
    one = formatter["one"]
    assert extra.html() == f'<li id="ref-one">{list_text(one.html, one.links, "")}</li>'


def test_an_entry_is_printed_with_its_note_and_links_each_value_escaped() -> None:
    html = Markup("Smith J. <i>Pain</i>. 2020.")
    links = (("PubMed", "https://pubmed.ncbi.nlm.nih.gov/1/?a=1&b=\"2\""),
             ("PMC", "https://pmc.ncbi.nlm.nih.gov/articles/PMC2/"))
    assert list_text(html, links, "Trial <small> & co") == (
        '<span class="ref-text">Smith J. <i>Pain</i>. 2020. <small>Trial &lt;small&gt; '
        '&amp; co</small></span> <a href="https://pubmed.ncbi.nlm.nih.gov/1/?a=1&amp;b='
        '&#34;2&#34;">PubMed</a> <a href="https://pmc.ncbi.nlm.nih.gov/articles/PMC2/">PMC</a>')
    # A note that is HTML already (an integrity mark) is kept; no note, no <small>.
    marked = Markup('<a href="https://example.org/notice">Retracted</a>')
    assert list_text(html, (), marked) == (
        f'<span class="ref-text">{html} <small>{marked}</small></span>')
    assert list_text(html, (), "") == f'<span class="ref-text">{html}</span>'


def test_a_formatter_makes_each_entry_text_once_per_note(bib) -> None:
    formatter = make_formatter("ama", bib)
    first = formatter.list_text("one", "Trial")
    assert formatter.list_text("one", "Trial") is first
    assert formatter.list_text("one", "Case report") == list_text(
        formatter["one"].html, formatter["one"].links, "Case report")


def test_every_page_keeps_the_same_string_for_a_key(bib) -> None:
    formatter = make_formatter("ama", bib)
    first, second = ArticleCitations(formatter), ArticleCitations(formatter)
    for renderer, body in ((first, "A [@one]."), (second, "B [see @one, p. 2].")):
        replace_citations(body, find_citations(body), renderer)
    # Each page keeps its keys until the build ends: one string per key, not per citation.
    assert next(iter(first.counts)) is next(iter(second.counts))


def test_unreadable_input_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(
        [{"id": "x", "type": "article-journal", "title": "T", "author": ["Smith"]}, 5]))
    (tmp_path / "b.bib").write_bytes(b"% ok\n@article{z, title={caf\xe9}}\n")
    bib = load_files([tmp_path / "a.json", tmp_path / "b.bib"])
    assert [(Path(p.path).name, p.line, p.message) for p in bib.problems] == [
        ("a.json", 1, 'item 2 of this CSL-JSON file has no "id"')]
    assert [(Path(p.path).name, p.line, p.col, p.code, p.message) for p in bib.unreadable] == [
        ("b.bib", 2, 23, "citations.unreadable-bibliography",
         "the bibliography is not UTF-8: byte 0xe9 at byte offset 27 cannot be decoded "
         "(the file looks like Windows-1252, where it is 'é')")]
    formatter = make_formatter("ama", bib)
    # citeproc-py fails on the name: a located error (never the title shown instead).
    [failure] = formatter.failures()
    assert (failure.entry.key, failure.entry.path.name, failure.entry.line) == ("x", "a.json", 1)
    assert isinstance(failure.cause, TypeError)
    with pytest.raises(FormatFailed):
        formatter["x"]


def test_source_keeps_its_markdown_after_conversion(tmp_path: Path) -> None:
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    build = Build.new({"PATH": str(tmp_path), "PROJECT_ROOT": str(tmp_path),
                       "PLUGINS": ["plugins.citations"]})
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\ncitations: [two, tow]\n---\nText [@one].\n",
                      encoding="utf-8")
    doc = parse_source(source, source.read_bytes())
    metadata: dict = {}
    page = read_page(doc, metadata, build)
    # What Markdown converts: the superscript after the full stop, as AMA sets it.
    assert page.body == f"Text.{placeholder(0)}\n"
    assert doc.body == "Text [@one].\n"
    assert [r.key for r in metadata["references"]] == ["one"]
    assert [r.key for r in metadata["further_reading"]] == ["two"]
    log = page.uses  # known keys as a set; unknown ones with their place
    assert log is not None
    assert (set(log.found), log.count) == ({"one", "two"}, 3)
    assert [(u.key, u.line, u.col, u.further_reading) for u in log.unknown] == [
        ("tow", 3, 18, True)]
    assert build.state(Citations).uses.count == 0  # a page's citations stay on the page
    assert set(metadata) == {"references", "further_reading"}  # nothing else per page
    content = SimpleNamespace(_content=f"<p>Text.{placeholder(0)}</p>", metadata=metadata,
                              _context={BUILD: build}, source_path=str(source))
    render(content)
    assert content._content == ('<p>Text.<sup class="citation"><a '
                                'href="#ref-one" id="cite-1-1">1</a></sup></p>')
    assert page.pieces == ()  # the HTML is not kept once it is in


def test_a_page_is_a_function_of_its_source_and_the_loaded_data(tmp_path: Path) -> None:
    """Reading the same source twice gives equal results and adds nothing to the build:
    what the site checks need is on the page (the preview's caching contract)."""
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    build = Build.new({"PATH": str(tmp_path), "PROJECT_ROOT": str(tmp_path),
                       "PLUGINS": ["plugins.citations"]})
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\nText [@one] and [@tow].\n", encoding="utf-8")
    pages = [cite_only(source, build) for _ in range(2)]
    assert pages[0].findings == pages[1].findings == ()
    assert pages[0].body == pages[1].body
    assert pages[0].pieces == pages[1].pieces
    assert [u.key for u in pages[0].uses.unknown] == [u.key for u in pages[1].uses.unknown]
    assert build.state(Citations).uses.count == 0


def cite_only(source: Path, build: Build) -> Page:
    page = Page(str(source), parse_source(source, source.read_bytes()), {})
    assert cite(page, build) == []
    return page


@pytest.mark.parametrize("style", ["ama", "apa", "vancouver"])
def test_entries_formatted_together_read_as_each_formatted_alone(style) -> None:
    """One bibliography for every entry changes no character of any entry: citeproc-py
    numbers them (the number goes) and nothing else passes from one to the next."""
    path, mode = resolve_style(style)
    items = [for_citeproc(entry, style == "apa")
             for entry in load_files([LDN_BIB]).entries.values() if entry.csl]
    together = format_entries(str(path), items, numbered=mode != "author-date")
    alone = {item["id"]: format_entries(str(path), [item], numbered=mode != "author-date")
             for item in items}
    assert list(together) == [item["id"] for item in items]
    assert together == {key: texts[key] for key, texts in alone.items()}
    assert all(isinstance(text, str) and text[:1].isalpha() for text in together.values())


def test_one_entry_citeproc_cannot_format_leaves_the_others_formatted() -> None:
    path, _ = resolve_style("ama")
    good = {"id": "good", "type": "book", "title": "A book", "author": [{"family": "Roe"}]}
    bad = {"id": "bad", "type": "book", "title": "T", "author": ["Smith"]}
    texts = format_entries(str(path), [good, bad], numbered=True)
    assert texts["good"] == format_entries(str(path), [good], numbered=True)["good"]
    assert texts["good"] == "Roe. <i>A Book</i>."  # AMA: a book title in title case
    assert isinstance(texts["bad"], TypeError)


@pytest.mark.parametrize(("style", "opening"), [("ama", '<sup class="citation">'),
                                                ("vancouver", '<span class="citation">[')])
def test_a_group_prints_its_numbers_in_order_and_three_in_a_row_as_a_range(style, opening):
    formatter = Formatter(load_files([LDN_BIB]), *resolve_style(style))
    k0, k1, k2, k3, k4 = list(formatter.bibliography.entries)[:5]
    renderer = ArticleCitations(formatter)
    text = f"First [@{k0}]. Then [@{k3}; @{k1}; @{k2}; @{k0}]. Apart [@{k4}; @{k1}]."
    _, group, apart = (renderer.render(c) for c in find_citations(text))
    assert group.startswith(opening)
    assert re.sub(r"<[^>]+>", "", group).strip("[]") == "1\u20134"  # not "2,3,4,1"
    # The numbers the range hides keep their in-text ids: their back-links land here.
    for number in (2, 3):  # k3 and k1, second and third cited
        assert f'id="cite-{number}-1"' in group
    assert re.sub(r"<[^>]+>", "", apart).strip("[]").replace(" ", "") == "3,5"
