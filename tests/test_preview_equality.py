"""After any sequence of saves, the preview serves exactly what a clean full build of the
same sources writes, byte for byte, and the published output has no preview script.

Random edit sequences (Hypothesis) across the kinds of file an editor saves: an article's
sentence, a citation added or removed, a front-matter title, a bibliography entry's title,
a study record (a direction; the conditions of a work the other article may cite), a
safety block, the pharmacy's name (on every page, through the
site-wide context), a new article that cites a work (made, then deleted: /references/
lists it), and a broken save (an unknown citation key, raw HTML the sanitiser refuses, or
a claim in a data file's text) that the next save fixes.

One warm preview serves every example: its page cache (plugins/preview/pagecache.py)
carries pages from one example to the next, which is what the property must hold for.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from preview_server import INJECTED_PREFIX, preview_fixture, running_preview

from conftest import run_build

SENTENCES = ("Naltrexone blocks opioid receptors.",
             "Naltrexone blocks opioid receptors for a while.",
             "Naltrexone blocks opioid receptors, briefly.")
CITED = " [@younger2013]"
UNCITED_AT = "Fibromyalgia is a long-term condition with widespread pain"
TITLES = ('"Low-dose naltrexone for fibromyalgia"', '"LDN and fibromyalgia"',
          '"Fibromyalgia: what LDN studies show"')
ENTRY = "title   = {Low-dose naltrexone for the treatment of fibromyalgia:"
ENTRY_TITLES = (ENTRY, "title   = {Low-dose naltrexone in fibromyalgia:",
                "title   = {Naltrexone at low dose for fibromyalgia:")
DIRECTIONS = ("favours LDN", "no clear difference", "mixed")
# younger2013's record, which what-is-ldn cites once "cite" is chosen: the order of its
# conditions is in the JSON-LD of every page citing it (not in its evidence label).
RECORD = "design: randomized-crossover-trial\n  conditions: [fibromyalgia, crps]"
RECORDS = (RECORD, RECORD.replace("[fibromyalgia, crps]", "[crps, fibromyalgia]"))
# Shown on every page (the footer), from the site-wide context, not from the page itself.
PHARMACY_NAMES = ("Example Compounding Pharmacy", "Example Pharmacy of Michigan",
                  "Example Compounding Lab")
# A safety block placed in the article that cites younger2013: a cached page holds the
# block's HTML and its citations, numbered with the page's.
BLOCK = "safety/opioids.md"
BLOCK_TEXT = ("---\ntitle: LDN is naltrexone, so its opioid warnings apply\n---\n"
              "- Tell every clinician who treats you that you take LDN [@younger2013].\n")
BLOCK_SENTENCES = ("Tell every clinician who treats you",
                   "Tell each doctor, dentist and surgeon who treats you",
                   "Tell your clinicians")
PLACED_AFTER = "## "  # the block goes before the article's first heading
# A reviewer's role: shown on each page they reviewed, from the page's review record.
ROLES = ("Licensed pharmacist", "Pharmacist", "Compounding pharmacist")
EVIDENCE = '!evidence designs=studies caption="Studies of LDN"'
# Raw HTML the sanitiser refuses (the preview remembers its answer by the text).
UNSAFE = ' <span onclick="alert(1)">now</span>'
# An article that is there or not: a page more or fewer citing younger2013 (/references/
# names each page citing a work).
NEW_ARTICLE = "articles/ldn-questions.md"
NEW_ARTICLE_TEXT = """---
title: "Questions about LDN"
slug: ldn-questions
summary: "Short answers to questions people ask about low-dose naltrexone."
audience: patients
conditions: []
reviewed_by: pharmacist
last_reviewed: 2026-11-01
next_review: 2027-05-01
order: 3
---
A larger trial of LDN in fibromyalgia did not find a clear difference [@younger2013].
"""
# A claim in a data file's text (the claims lint of data files is remembered by text).
BIO = "bio: Reviews each health page before it is published."
CLAIM = " LDN cures fibromyalgia."
KINDS = ("sentence", "cite", "uncite", "title", "entry", "study", "record", "pharmacy",
         "role", "block", "article", "broken", "unsafe", "claim")
BROKEN = {"broken": "[citations.unknown-key]", "unsafe": "[html.",  # saves that fail
          "claim": "[claims.cure]"}


class Sources:
    """The fixture's files as a few choices, so that each edit is a change of one."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self.files = {name: (content / name).read_text(encoding="utf-8") for name in (
            "articles/what-is-ldn.md", "articles/ldn-fibromyalgia.md", "bibliography.bib",
            "studies.yaml", "pharmacy.yaml", BLOCK)}
        self.files[NEW_ARTICLE] = None  # not there at first
        self.choice = dict.fromkeys(KINDS, 0)

    def text(self, name: str) -> str | None:  # noqa: PLR0911 - one file a branch
        c, text = self.choice, self.files[name]
        if name == NEW_ARTICLE:
            return NEW_ARTICLE_TEXT if c["article"] else None
        if name == "articles/what-is-ldn.md":
            sentence = SENTENCES[c["sentence"]]
            if c["cite"]:
                sentence = sentence[:-1] + CITED + "."
            if c["broken"]:
                sentence = sentence[:-1] + " [@nosuchkey]."
            if c["unsafe"]:
                sentence = sentence[:-1] + UNSAFE + "."
            return text.replace(SENTENCES[0], sentence)
        if name == "articles/ldn-fibromyalgia.md":
            if c["uncite"]:
                text = text.replace(UNCITED_AT + " [@younger2009].", UNCITED_AT + ".")
            return text.replace(TITLES[0], TITLES[c["title"]], 1)
        if name == "bibliography.bib":
            return text.replace(ENTRY, ENTRY_TITLES[c["entry"]])
        if name == BLOCK:
            return text.replace(BLOCK_SENTENCES[0], BLOCK_SENTENCES[c["block"]])
        if name == "pharmacy.yaml":
            text = text.replace(f"role: {ROLES[0]}", f"role: {ROLES[c['role']]}", 1)
            if c["claim"]:
                text = text.replace(BIO, BIO + CLAIM, 1)
            return text.replace(f"name: {PHARMACY_NAMES[0]}",
                                f"name: {PHARMACY_NAMES[c['pharmacy']]}", 1)
        # studies.yaml: younger2009's direction is its first.
        text = text.replace(RECORD, RECORDS[c["record"]], 1)
        return text.replace("direction: favours LDN", f"direction: {DIRECTIONS[c['study']]}", 1)

    def save(self, name: str, text: str | None) -> None:
        """Write ``text`` to the file, or delete it (None), if it does not hold it yet."""
        path = self.content / name
        now = path.read_text(encoding="utf-8") if path.exists() else None
        if now != text:
            if text is None:
                path.unlink()
            else:
                path.write_text(text, encoding="utf-8")

    def reset(self) -> bool:
        """Back to the fixture's text; whether anything had to be saved."""
        changed = any(self.choice.values())
        self.choice = dict.fromkeys(self.choice, 0)
        for name, text in self.files.items():
            self.save(name, text)
        return changed

    def apply(self, kind: str, value: int) -> None:
        """Change one choice to a value it does not have, and save what changed."""
        before = {name: self.text(name) for name in self.files}
        options = 2 if kind in ("cite", "uncite", "record", "article", *BROKEN) else 3
        self.choice[kind] = (self.choice[kind] + 1 + value % (options - 1)) % options
        for name in self.files:
            text = self.text(name)
            if text != before[name]:
                self.save(name, text)


def differences(left: Path, right: Path) -> list[str]:
    """Every file that is only on one side or differs in its bytes."""
    found: list[str] = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        found.extend(f"only in {compare.left}: {prefix}{name}" for name in compare.left_only)
        found.extend(f"only in {compare.right}: {prefix}{name}" for name in compare.right_only)
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right,
                                               compare.common_files, shallow=False)
        found.extend(f"differs: {prefix}{name}" for name in [*mismatch, *errors])
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


def place_block(content: Path) -> None:
    (content / "safety").mkdir()
    (content / BLOCK).write_text(BLOCK_TEXT, encoding="utf-8")
    article = content / "articles/ldn-fibromyalgia.md"
    text = article.read_text(encoding="utf-8")
    at = text.index(PLACED_AFTER, text.index("---", 3))
    article.write_text(f"{text[:at]}!safety opioids\n\n{EVIDENCE}\n\n{text[at:]}",
                       encoding="utf-8")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("preview-equality")
    content = preview_fixture(root)
    place_block(content)
    with running_preview(root) as running:
        running.sources = Sources(content)
        yield running


@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 1)),
                      min_size=1, max_size=4))
@example(steps=[("unsafe", 0), ("sentence", 1)])  # the sanitiser's remembered answers
@example(steps=[("article", 0), ("entry", 1), ("article", 0)])  # /references/ linked or not
@example(steps=[("claim", 0), ("sentence", 0), ("claim", 0)])  # a remembered lint still fails
# A cached page with no evidence table, by the records of the works it cites.
@example(steps=[("cite", 0), ("entry", 0), ("record", 0), ("title", 0)])
def test_preview_equals_a_clean_build_after_any_edits(preview, tmp_path_factory, steps):
    sources = preview.sources
    generation = preview.state()["generation"]
    if sources.reset():  # each example starts from the fixture, so that it can be replayed
        preview.settle(generation)
    for kind, value in steps:
        generation = preview.state()["generation"]
        sources.apply(kind, value)
        state = preview.settle(generation)
        if kind in BROKEN and sources.choice[kind]:
            assert not state["ok"]
            assert any(BROKEN[kind] in line for line in state["errors"]), state["errors"]
            sources.apply(kind, 0)  # the fix
            state = preview.settle(state["generation"])
    assert state["ok"], state["errors"]
    clean = _clean_build(preview.root, tmp_path_factory.mktemp("clean"))
    assert differences(Path(state["folder"]), clean) == []
    served = preview.get("/what-is-ldn/")
    assert INJECTED_PREFIX in served  # the preview's pages carry the script ...
    for page in clean.rglob("*"):  # ... and a full build's files never do
        if page.is_file():
            assert b"__preview__" not in page.read_bytes(), page


def _clean_build(root: Path, into: Path) -> Path:
    """`pelican content` of the preview's sources in a fresh process, as `invoke build`."""
    result = run_build(root, output=into / "output", CACHE_PATH=str(into / "cache"))
    assert result.ok, result.stderr
    return result.output


def test_a_sentence_edit_copies_the_pages_it_cannot_change(preview, tmp_path_factory):
    """The copying path is taken (so the property above tests it), and stays exact."""
    generation = preview.state()["generation"]
    preview.sources.apply("sentence", 0)
    state = preview.settle(generation)
    assert state["ok"], state["errors"]
    assert state["copied"] > 0
    assert state["rendered"] > 0  # the edited page, the home page, the lists
    sentence = SENTENCES[preview.sources.choice["sentence"]][:-1]
    assert sentence in preview.get("/what-is-ldn/")
    clean = _clean_build(preview.root, tmp_path_factory.mktemp("clean"))
    assert differences(Path(state["folder"]), clean) == []


def test_a_data_edit_reaches_every_cached_page(preview, tmp_path_factory):
    """Pages taken from the page cache change when the loaded data they read changes: a
    bibliography entry's title (every page citing it, and the block's citation), a study
    record (the page's evidence table), a reviewer's role (every page they reviewed), a
    safety block's text (the page that places it)."""
    sources = preview.sources
    generation = preview.state()["generation"]
    if sources.reset():
        generation = preview.settle(generation)["generation"]
    sources.apply("sentence", 0)  # the article that places the block is not edited ...
    state = preview.settle(generation)
    assert state["ok"], state["errors"]
    assert state["cached"] > 0  # ... so it comes from the cache, and the rest too
    before = preview.get("/ldn-fibromyalgia/")
    for kind in ("entry", "study", "role", "block"):
        generation = state["generation"]
        sources.apply(kind, 0)
        state = preview.settle(generation)
        assert state["ok"], state["errors"]
    page = preview.get("/ldn-fibromyalgia/")
    assert page != before
    assert BLOCK_SENTENCES[sources.choice["block"]] in page
    assert BLOCK_SENTENCES[0] not in page
    assert f"{ROLES[sources.choice['role']].lower()} at " in page  # "a pharmacist at ..."
    assert f"{ROLES[0].lower()} at " not in page
    clean = _clean_build(preview.root, tmp_path_factory.mktemp("clean"))
    assert differences(Path(state["folder"]), clean) == []


def test_published_output_has_no_preview_script(tmp_path):
    """`invoke publish` (publishconf.py) writes no trace of the preview: it is added by the
    preview's server as it sends a page, never written into a build."""
    preview_fixture(tmp_path)
    result = run_build(tmp_path, settings_file="publishconf.py")
    assert result.ok, result.stderr
    assert len(list(result.output.rglob("*.html"))) > 10
    for path in result.output.rglob("*"):
        if path.is_file():
            assert b"__preview__" not in path.read_bytes(), path
            assert b"preview.js" not in path.read_bytes(), path


def test_a_title_entry_or_study_edit_reads_and_renders_only_the_pages_showing_it(
        preview, tmp_path_factory):
    """A title edit renders the edited page and the lists, not the other articles (which
    do not show it); a bibliography entry's or study record's edit reads again only the
    pages citing the work (ldn-fibromyalgia, which also has an evidence table), and the
    other articles are copied from the last good build."""
    sources = preview.sources
    generation = preview.state()["generation"]
    if sources.reset():
        generation = preview.settle(generation)["generation"]
    sources.apply("sentence", 0)  # every page read and written once more
    state = preview.settle(generation)
    for kind in ("title", "entry", "study"):
        before = Path(state["folder"])
        sources.apply(kind, 0)
        state = preview.settle(state["generation"])
        assert state["ok"], state["errors"]
        assert state["read"] == 1, kind  # the edited article, or the one citing the work
        after = Path(state["folder"])
        assert (after / "what-is-ldn/index.html").samefile(before / "what-is-ldn/index.html")
        assert not (after / "ldn-fibromyalgia/index.html").samefile(
            before / "ldn-fibromyalgia/index.html"), kind
    clean = _clean_build(preview.root, tmp_path_factory.mktemp("clean"))
    assert differences(Path(state["folder"]), clean) == []


def test_a_work_taken_out_of_the_bibliography_is_reported_where_a_cached_page_cites_it(
        preview):
    """what-is-ldn, read from the cache, cites younger2013 by its text alone: when the
    entry goes, the page is read again and the unknown key reported at its citation."""
    sources = preview.sources
    generation = preview.state()["generation"]
    if sources.reset():
        generation = preview.settle(generation)["generation"]
    sources.apply("cite", 0)
    generation = preview.settle(generation)["generation"]
    sources.apply("sentence", 0)  # what-is-ldn read again; the bibliography unchanged
    generation = preview.settle(generation)["generation"]
    bibliography = sources.content / "bibliography.bib"
    sources.save("bibliography.bib", bibliography.read_text(encoding="utf-8").replace(
        "@article{younger2013,", "@article{younger2013x,"))
    state = preview.settle(generation)
    assert not state["ok"]
    assert any(line.startswith("content/articles/what-is-ldn.md:")
               and "unknown citation key 'younger2013'" in line for line in state["errors"]), (
        state["errors"])
    generation = state["generation"]
    sources.reset()
    assert preview.settle(generation)["ok"]
