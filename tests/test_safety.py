"""Safety blocks (plugins/safety): written once under content/safety/, placed with
'!safety <name>', rendered as the same warning callout wherever placed, their citations
numbered with the page's, and required on the pages their required_on names."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DIAGNOSTIC, FIXTURES, run_build, shared_build, soup
from plugins.safety.blocks import parse_block
from plugins.safety.directive import find_directives
from plugins.sources.spans import offset_of

NAMES = {"opioids", "opioids-prescriber"}
MISSING = ("error: this page must carry the safety block 'opioids' (required_on in "
           "content/safety/opioids.md), but has no '!safety opioids' line; add '!safety "
           "opioids' (or a variant: opioids-prescriber) on a line of its own after the "
           "summary callout, with a blank line before and after [safety.missing-block]")


def problems(body: str) -> list[tuple[int, str, str, str | None]]:
    """Each problem as (offset, code, message, hint)."""
    return [(offset_of(body, p.line, p.col), p.code, p.message, p.hint)
            for p in find_directives(body, NAMES)[1]]


# --- The directive, parsed directly --------------------------------------------------

def test_a_directive_names_one_block_and_keeps_its_place():
    body = "Intro.\n\n!safety opioids\n\nMore.\n\n!safety opioids-prescriber   \n"
    directives, found = find_directives(body, NAMES)
    assert found == []
    assert [(d.name, body[d.start:d.end].rstrip()) for d in directives] == [
        ("opioids", "!safety opioids"), ("opioids-prescriber", "!safety opioids-prescriber")]


def test_an_unknown_block_is_an_error_with_did_you_mean():
    body = "Text.\n\n!safety opiods\n"
    assert problems(body) == [(body.index("opiods"), "safety.unknown-block",
                               "unknown safety block 'opiods'", "did you mean 'opioids'?")]


@pytest.mark.parametrize("line", ["- !safety opioids", "> !safety opioids",
                                  "    !safety opioids", "1. !safety opioids",
                                  "> > !safety opioids"])
def test_a_directive_in_a_list_quote_or_indented_block_is_an_error(line):
    body = f"Text.\n\n{line}\n"
    assert problems(body) == [(
        body.index("!safety"), "safety.nested-directive",
        "a safety block cannot go inside a list, a quote or an indented block; it would "
        "be shown as text", "put '!safety' at the start of a line of its own, with a blank "
        "line before and after it")]
    assert find_directives(body, NAMES)[0] == []


def test_a_block_placed_twice_or_a_line_naming_none_or_two_is_an_error():
    body = "!safety opioids\n\n!safety opioids\n\n!safety\n\n!safety opioids extra\n"
    found = problems(body)
    assert [(offset, code) for offset, code, _, _ in found] == [
        (body.index("opioids", 10), "safety.duplicate-block"),
        (body.index("!safety\n"), "safety.bad-directive"),
        (body.index("extra"), "safety.bad-directive")]
    assert found[1][2] == "this safety line names no block"
    assert "opioids, opioids-prescriber" in found[1][3]


def test_a_directive_in_fenced_code_is_an_example_not_a_block():
    body = "```markdown\n!safety opioids\n!safety nothing\n```\n"
    assert find_directives(body, NAMES) == ([], [])


# --- A block file, parsed directly ------------------------------------------------------

def test_a_block_file_gives_its_title_rules_and_citations():
    raw = (FIXTURES / "safety-site" / "safety" / "opioids.md").read_bytes()
    block, findings = parse_block(Path("content/safety/opioids.md"), raw)
    assert findings == []
    assert (block.name, block.title, block.audience, block.satisfies) == (
        "opioids", "LDN and opioid medicines", "patients", "opioids")
    assert [(r.kind, r.every, r.slugs) for r in block.rules] == [
        ("articles", True, ()), ("pages", False, ("getting-ldn",))]
    assert [i.key for c in block.citations for i in c.items] == [
        "naltrexonelabel2024", "fda2019opioidtaper"]


def test_a_block_file_with_wrong_fields_says_where_and_how_to_fix():
    raw = b"---\ntitel: Opioids\naudience: patient\nrequired_on:\n  article: all\n---\nText\n"
    block, findings = parse_block(Path("content/safety/x.md"), raw)
    got = [(f.line, f.col, f.code, f.message, f.hint) for f in findings]
    assert got[0] == (2, 1, "safety.unknown-field", "unknown field 'titel' in a safety block",
                      "did you mean 'title'?")
    assert got[1][2:4] == ("safety.bad-value",
                           "a safety block needs a title, the callout's heading")
    assert got[2][:4] == (3, 11, "safety.bad-value",
                          "audience must be one of patients, prescribers, both")
    assert got[2][4] == "did you mean 'patients'?"
    assert got[3][2:] == ("safety.bad-value",
                          "required_on has 'article', which is not articles or pages",
                          "did you mean 'articles'?")
    assert len(got) == 4
    assert block is not None  # still checked as far as it can be; the build fails


# --- A fixture site, built for real ------------------------------------------------------

@pytest.fixture(scope="module")
def built():
    result = shared_build("safety-site")
    assert result.ok, result.stdout + result.stderr
    assert result.diagnostics == []
    return result


def block_of(html: str, name: str = "opioids") -> BeautifulSoup:
    doc = soup(html)
    found = doc.select(f'div.admonition.warning[aria-labelledby="safety-{name}"]')
    assert len(found) == 1, f"{len(found)} '{name}' blocks"
    return found[0]


def normalised(block) -> str:
    """The block's HTML with each citation's number and id (which follow the page's own
    citations) replaced by the work it cites: what must be the same on every page."""
    html = str(block)
    html = re.sub(r'id="cite-([^"]+)-[0-9]+"', r'id="cite-\1"', html)
    return re.sub(r'(<a href="#ref-([^"]+)"[^>]*>)[0-9]+</a>', r"\1\2</a>", html)


def test_every_page_renders_the_same_block(built):
    blocks = [block_of(built.html(url)) for url in ("alpha/", "beta/", "getting-ldn/")]
    assert len({normalised(b) for b in blocks}) == 1
    cited = [[a["href"] for a in b.select(".citation a")] for b in blocks]
    assert cited == [["#ref-naltrexonelabel2024", "#ref-fda2019opioidtaper"]] * 3
    assert [" ".join(li.get_text().split()) for li in blocks[0].find_all("li")] == [
        "Do not take LDN if you take an opioid medicine.1", "Do not stop an opioid on your own "
        "to start LDN.2", "Tell every doctor that you take LDN."]


def test_the_block_has_the_markup_of_a_warning_callout_typed_in_a_page(built):
    doc = soup(built, "alpha/")
    block = block_of(str(doc))
    summary = doc.select_one("div.admonition.key-points")
    assert list(block.attrs) == list(summary.attrs)  # same attributes, in the same order
    assert block["class"] == ["admonition", "warning"]
    assert block["role"] == "note"
    title = block.find("p", class_="admonition-title")
    assert title["id"] == block["aria-labelledby"] == "safety-opioids"
    assert title.get_text() == "LDN and opioid\xa0medicines"
    # Right after the summary, before the first heading.
    assert summary.find_next_sibling() == block
    assert summary.find_next_sibling().find_next_sibling().name == "h2"


def test_the_blocks_citations_are_numbered_with_the_pages_own(built):
    alpha = soup(built, "alpha/")
    # Alpha cites the label in its summary (1); the block cites it again (1) and then
    # the FDA (2); the page's reference list has both, with two back-links to the label.
    numbers = [(a["href"], a.get_text()) for a in alpha.select(".citation a")]
    assert numbers == [("#ref-naltrexonelabel2024", "1"), ("#ref-naltrexonelabel2024", "1"),
                       ("#ref-fda2019opioidtaper", "2")]
    references = [li["id"] for li in alpha.select("ol.reference-list > li")]
    assert references == ["ref-naltrexonelabel2024", "ref-fda2019opioidtaper"]
    assert [a["href"] for a in alpha.select('#ref-naltrexonelabel2024 a[href^="#cite-"]')] == [
        "#cite-1-1", "#cite-1-2"]
    # Beta cites nothing of its own: the block's citations are its 1 and 2.
    beta = soup(built, "beta/")
    assert [a.get_text() for a in beta.select(".citation a")] == ["1", "2"]
    assert [li["id"] for li in beta.select("ol.reference-list > li")] == [
        "ref-naltrexonelabel2024", "ref-fda2019opioidtaper"]


def test_a_variant_stands_for_its_block_with_its_own_text(built):
    variant = block_of(built.html("dosing/"), "opioids-prescriber")
    assert variant.find("p", class_="admonition-title").get_text() == (
        "Opioids: before you\xa0prescribe")
    assert "\x0e" not in built.html("dosing/")
    dosing = soup(built, "dosing/")
    assert [a.get_text() for a in dosing.select(".citation a")] == ["1", "2"]


def copy_fixture(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "safety-site", content)
    return content


def without_line(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert line + "\n" in text
    path.write_text(text.replace(line + "\n", "", 1), encoding="utf-8")


@pytest.mark.parametrize("command", ["pelican", "check"])
def test_a_page_that_must_carry_the_block_but_does_not_fails_with_one_located_error(
        tmp_path, command):
    content = copy_fixture(tmp_path)
    without_line(content / "articles" / "beta.md", "!safety opioids")
    result = run_build(tmp_path, command=command)
    assert not result.ok
    assert result.diagnostics == [f"content/articles/beta.md:11:1: {MISSING}"]
    assert not (tmp_path / "output").exists()


def test_required_on_names_a_page_that_does_not_exist(tmp_path):
    content = copy_fixture(tmp_path)
    block = content / "safety" / "opioids.md"
    block.write_text(block.read_text(encoding="utf-8").replace("getting-ldn", "geting-ldn"),
                     encoding="utf-8")
    result = run_build(tmp_path, command="check")
    assert result.diagnostics == [
        "content/safety/opioids.md:6:11: error: required_on names 'geting-ldn', which is "
        "not one of the site's pages; did you mean 'getting-ldn'? [safety.unknown-page]"]


def test_unknown_and_nested_blocks_in_a_page_are_located_errors(tmp_path):
    content = copy_fixture(tmp_path)
    page = content / "pages" / "getting-ldn.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "!safety opioids\n", "!safety opiods\n\n- !safety opioids\n"), encoding="utf-8")
    result = run_build(tmp_path, command="check")
    assert result.diagnostics == [
        f"content/pages/getting-ldn.md:11:1: {MISSING}",
        "content/pages/getting-ldn.md:13:9: error: unknown safety block 'opiods'; did you "
        "mean 'opioids'? [safety.unknown-block]",
        "content/pages/getting-ldn.md:15:3: error: a safety block cannot go inside a list, "
        "a quote or an indented block; it would be shown as text; put '!safety' at the "
        "start of a line of its own, with a blank line before and after it "
        "[safety.nested-directive]"]


def test_a_blocks_unknown_citation_key_is_one_error_at_the_block(tmp_path):
    content = copy_fixture(tmp_path)
    block = content / "safety" / "opioids.md"
    block.write_text(block.read_text(encoding="utf-8").replace(
        "@fda2019opioidtaper", "@fda2019opioidtapper"), encoding="utf-8")
    result = run_build(tmp_path, command="check")
    unknown = [line for line in result.diagnostics if "citations.unknown-key" in line]
    assert unknown == [
        "content/safety/opioids.md:9:55: error: unknown citation key 'fda2019opioidtapper'; "
        "did you mean 'fda2019opioidtaper'? [citations.unknown-key]"]


def test_invoke_build_and_check_fail_on_a_missing_block_and_output_is_untouched(tmp_path):
    from test_tasks import copy_project, invoke, snapshot  # noqa: PLC0415 - its helpers only

    project = copy_project(tmp_path / "site", content="safety-site")
    first = invoke(project, "build")
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(project / "output")
    without_line(project / "content" / "articles" / "beta.md", "!safety opioids")
    for command in ("build", "check"):
        result = invoke(project, command)
        assert result.returncode != 0
        lines = [line for line in (result.stdout + result.stderr).splitlines()
                 if DIAGNOSTIC.match(line)]
        assert lines == [f"content/articles/beta.md:11:1: {MISSING}"], command
        assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(project / "output") == before
    assert not list(project.glob(".output-staging-*"))


def test_a_folder_named_like_a_block_is_not_read_as_one(tmp_path):
    content = copy_fixture(tmp_path)
    (content / "safety" / "notes.md").mkdir()
    result = run_build(tmp_path, command="check")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_markup_the_sanitiser_would_change_in_a_block_is_one_error_at_the_block(tmp_path):
    """Not one error per page that carries it, each naming that page."""
    content = copy_fixture(tmp_path)
    block = content / "safety" / "opioids.md"
    block.write_text(block.read_text(encoding="utf-8") + "- Tell your pharmacist <span>too.\n",
                     encoding="utf-8")
    result = run_build(tmp_path)
    assert result.returncode == 1
    unsafe = [line for line in result.diagnostics if line.endswith("[html.unsafe]")]
    assert len(unsafe) == 1, result.diagnostics
    assert unsafe[0].startswith("content/safety/opioids.md:")
    assert "the safety block's text would publish" in unsafe[0]
