"""The source reader: front-matter parsing with positions, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from jinja2 import Environment
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.settings import read_settings

from conftest import ROOT, soup
from plugins.sources import Position, SourceError, parse_source
from plugins.sources.document import parse_front_matter
from plugins.sources.plugin import prepare
from plugins.sources.toc import Section, sections, sections_of

READER_ERRORS = [
    "content/articles/colon-title.md:2:11: error: front-matter is not valid YAML: mapping values "
    "are not allowed here; put quotes around a value that contains ': ' "
    '(for example title: "LDN: an overview") [sources.bad-yaml]',
    "content/articles/latin-1.md:2:11: error: file is not UTF-8 (byte 0xe9 cannot be decoded); "
    "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8) [sources.bad-encoding]",
    "content/articles/no-front-matter.md:1:1: error: the file does not start with YAML "
    "front-matter; start the file with a line '---', the fields (title: ...), and another '---' "
    "[sources.no-front-matter]",
    "content/articles/no-title.md:4:1: error: the front-matter field 'title' is missing; add a "
    "line such as 'title: Low-dose naltrexone for fibromyalgia' [sources.missing-title]",
    "content/articles/unclosed.md:1:1: error: the front-matter opened on this line is never "
    "closed; add a line '---' after the last front-matter field [sources.unclosed-front-matter]",
]


def parse(text: str | bytes) -> object:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    return parse_source(Path("x.md"), raw)


def test_positions_of_keys_values_and_list_items():
    doc = parse(
        "---\ntitle: LDN\nconditions:\n  - fibromyalgia\n  - crps\nslug:   x\n---\nBody [@a].\n"
    )
    fm = doc.front_matter
    assert fm.data == {"title": "LDN", "conditions": ["fibromyalgia", "crps"], "slug": "x"}
    assert fm.key_position("title") == Position(2, 1)
    assert fm.value_position("title") == Position(2, 8)
    assert fm.item_position("conditions", 1) == Position(5, 5)
    assert fm.value_position("slug") == Position(6, 9)
    assert doc.body == "Body [@a].\n"
    assert doc.body_position(doc.body.index("[@a]")) == Position(8, 6)


def test_missing_key_points_at_the_end_of_the_front_matter():
    doc = parse("---\ntitle: LDN\n---\n")
    assert doc.front_matter.key_position("conditions") == Position(3, 1)


def test_duplicate_keys_are_recorded_with_both_places():
    fm = parse_front_matter("title: a\nslug: b\ntitle: c\n", first_line=2)
    assert fm.duplicates == [("title", Position(2, 1), Position(4, 1))]


def test_an_impossible_date_stays_text_for_the_checks_to_report():
    doc = parse("---\ntitle: LDN\nlast_reviewed: 2026-02-30\nnext_review: 2026-05-01\n---\n")
    assert doc.front_matter.data["last_reviewed"] == "2026-02-30"
    assert doc.front_matter.data["next_review"].isoformat() == "2026-05-01"


def test_crlf_and_bom_are_accepted():
    doc = parse(b"\xef\xbb\xbf---\r\ntitle: LDN\r\n---\r\nBody\r\n")
    assert doc.front_matter.data == {"title": "LDN"}
    assert doc.body == "Body\n"


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        (b"---\ntitle: caf\xe9\n---\n", "sources.bad-encoding", Position(2, 11)),
        (b"---\ntitle: [unclosed\n---\n", "sources.bad-yaml", Position(3, 1)),
        (b"---\n- a\n- b\n---\n", "sources.bad-yaml", Position(2, 1)),
        (b"no header\n", "sources.no-front-matter", Position(1, 1)),
        (b"\n\n---\ntitle: x\n", "sources.unclosed-front-matter", Position(3, 1)),
    ],
)
def test_unusable_sources_raise_with_code_and_position(text, code, position):
    with pytest.raises(SourceError) as raised:
        parse(text)
    assert (raised.value.finding.code, raised.value.finding.position) == (code, position)
    assert raised.value.finding.hint


def test_every_broken_file_is_reported_at_once_and_nothing_is_written(site):
    result = site("reader-errors")
    assert result.returncode == 1
    assert result.diagnostics == READER_ERRORS
    assert "Traceback" not in result.stderr + result.stdout
    assert not result.output.exists()


def test_the_check_command_reports_the_same_problems(tmp_path):
    from conftest import build_site  # noqa: PLC0415

    result = build_site(tmp_path, "reader-errors", command="check")
    assert result.returncode == 1
    assert result.diagnostics == READER_ERRORS
    assert "Traceback" not in result.stderr


def test_a_table_of_contents_is_read_from_the_finished_html() -> None:
    html = (
        '<h2 id="dosing">Dosing<sup class="citation"><a href="#ref-a" '
        'id="cite-a-1">1</a></sup></h2>\n<p>Text.</p>\n'
        '<h3 id="sub">Not top level</h3>\n'
        '<h2 class="wide" id="start"><em>Start</em> <span class="citation">(<a '
        'class="cite-link" href="#ref-b">Bruun et al., 2024</a>)</span></h2>\n'
        "<h2 id='links'>See <a href=\"/dosing/\">dosing</a>"
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></h2>\n'
        '<h2>No id, so not listed</h2>\n'
        '<h2 id="widow">Side\neffects&nbsp;and&nbsp;interactions</h2>'
    )
    assert sections_of(html) == [
        Section("dosing", "Dosing"),
        Section("start", "<em>Start</em>"),
        Section("links", "See dosing"),
        Section("widow", "Side effects and interactions"),
    ]
    assert sections_of("<p>No headings</p>") == []


def test_the_sections_filter_reads_a_page_and_skips_direct_templates() -> None:
    class Page:
        _content = '<h2 id="a">A</h2><h2 id="b">B</h2>'

    assert sections(Page()) == [Section("a", "A"), Section("b", "B")]
    assert sections(None) == []


def test_callouts_are_notes_named_by_their_title():
    import markdown  # noqa: PLC0415 - the converter the build configures

    md = markdown.Markdown(extensions=["markdown.extensions.admonition",
                                       "plugins.sources.callouts"], output_format="html5")
    html = md.convert('!!! warning "Do not take with opioids"\n    LDN blocks them.\n\n'
                      '!!! key-points "In short"\n    Small trials.\n\n!!! note\n    Plain.\n')
    doc = soup(html)
    callouts = doc.select("div.admonition")
    assert [(c["class"][1], c["role"], c.get("aria-labelledby")) for c in callouts] == [
        ("warning", "note", "callout-1"), ("key-points", "note", "callout-2"),
        ("note", "note", "callout-3")]
    assert [doc.find(id=c["aria-labelledby"]).get_text() for c in callouts] == [
        "Do not take with opioids", "In short", "Note"]  # no title: the kind names it
    md.reset()  # the next page numbers its callouts from 1 again
    assert 'id="callout-1"' in md.convert('!!! note "A"\n    B.\n')


def test_tables_lose_markdowns_line_breaks_but_keep_a_space_between_cells():
    html = markdown.markdown("| A | B |\n|---|---|\n| one | two words |\n",
                             extensions=["tables", "plugins.sources.tables"])
    # No newline a browser would ignore; one space after each cell, so that search, which
    # reads the cells as running text, does not join "A" and "B" into "AB".
    assert html == ("<table><thead><tr><th>A</th> <th>B</th> </tr></thead><tbody>"
                    "<tr><td>one</td> <td>two words</td> </tr></tbody></table>")


def test_a_builds_generators_compile_each_template_once(tmp_path, monkeypatch):
    # Pelican gives each generator an environment of its own; with the build's compiled
    # templates (plugins/sources/templates.py) the second takes the first one's code.
    settings = read_settings(str(ROOT / "pelicanconf.py"),
                             override={"PROJECT_ROOT": str(tmp_path)})
    context = settings.copy()
    generators = [kind(context=context, settings=settings, path=str(tmp_path),
                       theme=settings["THEME"], output_path=str(tmp_path / "output"))
                  for kind in (ArticlesGenerator, PagesGenerator)]
    compiled = []
    original = Environment.compile

    def compile_(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", compile_)
    for generator in generators:
        prepare(generator)
    assert generators[0].env.bytecode_cache is generators[1].env.bytecode_cache
    pages = [generator.env.get_template("partials/disclaimer.html").render(context)
             for generator in generators]
    assert compiled == ["partials/disclaimer.html"]
    assert pages[0] == pages[1]
    assert 'href="/medical-disclaimer/"' in pages[0]
