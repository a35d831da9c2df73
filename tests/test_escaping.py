"""Front-matter text is text: a hostile title and summary show literally everywhere.

Jinja's autoescape is on; what is HTML is Markup where it is made (plugins/escaping),
or, for a page's sanitised body and summary, printed ``|safe`` in the few template lines
listed here.
The head shows the site's typography (typogrify curls quotes and joins the last two
words with a no-break space), so values are compared with it undone.
"""

from __future__ import annotations

import json
import re

import pytest
from pelican.contents import Content
from test_validity import validate, validated

import plugins.escaping
from conftest import ROOT, shared_build, soup

TITLE = "Fish & \"chips\" ' < > <b> <img src=x onerror=alert(1)>"
SUMMARY = "Summary & \"quoted\" ' < > <b>bold</b> <img src=x onerror=alert(1)>"
TYPOGRAPHY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                            "\u00a0": " "})


def plain(text: str) -> str:
    return " ".join(text.translate(TYPOGRAPHY).split())


@pytest.fixture(scope="module")
def built():
    result = shared_build("hostile-text")
    assert result.ok, result.stderr
    return result


@pytest.fixture(scope="module")
def page(built):
    return soup(built, "hostile/")


def test_no_element_or_attribute_comes_from_the_front_matter(page):
    assert page.find("b") is None
    assert page.find("img") is None
    assert not [tag for tag in page.find_all(True)
                if any(name.startswith("on") for name in tag.attrs)]


def test_the_title_and_summary_show_literally_in_the_page(page):
    assert plain(page.h1.get_text()) == TITLE
    assert plain(page.select_one(".lead").get_text()) == SUMMARY
    assert plain(page.select_one(".breadcrumbs [aria-current]").get_text()) == TITLE


def test_head_metadata_holds_the_literal_text(page):
    site = " | Low-dose naltrexone: what the evidence says"
    assert plain(page.title.get_text()) == TITLE + site
    assert plain(page.find("meta", attrs={"name": "description"})["content"]) == SUMMARY
    assert plain(page.find("meta", property="og:title")["content"]) == TITLE + site
    assert plain(page.find("meta", property="og:description")["content"]) == SUMMARY


def test_json_ld_holds_the_literal_text_and_cannot_close_its_script(built, page):
    script = page.find("script", type="application/ld+json")
    graph = json.loads(script.string)["@graph"]
    page = next(node for node in graph if node.get("@id", "").endswith("/hostile/#page"))
    assert plain(page["name"]) == TITLE
    assert plain(page["description"]) == SUMMARY
    raw = built.html("hostile/")
    json_text = raw[raw.index('<script type="application/ld+json">'):]
    json_text = json_text[: json_text.index("</script>")]
    assert "<b>" not in json_text
    assert "<img" not in json_text


def test_lists_of_pages_escape_the_title(built):
    home = soup(built, "")
    assert home.find("img") is None
    assert any(plain(a.get_text()) == TITLE for a in home.find_all("a"))


def test_the_hostile_page_is_valid_html(built):
    assert validated()["hostile"] == built.output / "hostile" / "index.html"
    done = validate("hostile")  # in the one run of the validator for the whole test run
    assert done.returncode == 0, done.stderr


# The only template lines that print HTML as is: a page's summary and body, which the
# sanitiser has passed (plugins/sanitise). Anything else a template prints is escaped, or
# is Markup made in Python.
SAFE_PLACES = {
    "partials/document.html:22",  # doc.summary
    "partials/document.html:34",  # doc.content
    "home.html:25",  # page.summary
    "home.html:59",  # page.content
}
TEMPLATES = ROOT / "theme" / "templates"
UNESCAPED = re.compile(r"\|\s*safe\b|\bautoescape\s+false\b")
COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def unescaped_places(folder):
    """``template:line`` of every filter or tag that turns autoescape off, comments aside."""
    found = set()
    for path in sorted(folder.rglob("*.html")):
        text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()),
                           path.read_text(encoding="utf-8"))
        for number, line in enumerate(text.splitlines(), 1):
            if UNESCAPED.search(line):
                found.add(f"{path.relative_to(folder).as_posix()}:{number}")
    return found


def test_safe_is_only_where_a_page_prints_its_sanitised_html():
    assert unescaped_places(TEMPLATES) == SAFE_PLACES, (
        "a template prints HTML unescaped outside the allowed lines: make the value Markup "
        "where it is made (plugins/escaping), or, if a line only moved, update SAFE_PLACES")


def test_the_place_finder_sees_every_way_of_turning_escaping_off(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "x.html").write_text(
        "{# |safe in a comment #}\n{{ a | safe }}\n{% autoescape false %}{{ b }}"
        "{% endautoescape %}\n{{ c|safeguard }}\n{#\n{{ d|safe }}\n#}\n", encoding="utf-8")
    assert unescaped_places(tmp_path) == {"partials/x.html:2", "partials/x.html:3"}


def test_pelican_content_is_not_patched():
    before = dict(vars(Content))
    plugins.escaping.register()
    assert dict(vars(Content)) == before
    assert Content.__dict__["content"].fget.__module__ == "pelican.contents"
