"""The page pipeline (plugins/pipeline): its order is the one docs/architecture.md states,
and a page is a function of its source and of the loaded data its stages declare."""

from __future__ import annotations

import re
from pathlib import Path

from pelican.settings import read_settings

from plugins.citations.state import Citations
from plugins.diagnostics import Build
from plugins.pipeline import pages_of
from plugins.pipeline.stages import LOADED, PAGE_STAGES, SITE_CHECKS, read_page
from plugins.safety.state import Safety
from plugins.sources import parse_source

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def table_names(heading: str) -> list[str]:
    """The first column of the table under ``heading`` in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8").split(heading, 1)[1].split("\n## ", 1)[0]
    return [row.split("|")[1].strip() for row in text.splitlines()
            if row.startswith("| ") and not row.startswith(("| stage", "| check"))]


def test_the_architecture_page_lists_every_stage_and_check_in_the_pipelines_order() -> None:
    assert table_names("## 2. The page stages") == [stage.name for stage in PAGE_STAGES]
    assert table_names("## 5. Site checks") == [check.name for check in SITE_CHECKS]


def test_each_stage_declares_loaded_data_the_build_has_and_a_plugin_that_exists() -> None:
    for stage in PAGE_STAGES:
        assert stage.reads, stage.name
        assert set(stage.reads) <= set(LOADED), stage.name
    for step in (*PAGE_STAGES, *SITE_CHECKS):
        assert (ROOT / step.plugin.replace(".", "/") / "__init__.py").is_file(), step.name


def real_build(tmp_path: Path) -> Build:
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(ROOT / "content"), "CACHE_PATH": str(tmp_path / "cache"),
        "PROJECT_ROOT": str(ROOT), "REVIEW_TODAY": "2026-12-07"})
    return Build.new(settings)


def snapshot(page) -> tuple:
    uses = page.uses
    return (page.findings, page.body, list(page.pieces), list(page.tables),
            [name for name, _ in page.blocks], page.kind, page.slug, page.conditions,
            page.review, uses.found if uses else None, uses.unknown if uses else None,
            sorted(k for k in page.metadata if k not in {"references", "further_reading"}),
            [r.key for r in page.metadata.get("references") or ()])


def test_a_page_read_twice_is_the_same_and_adds_nothing_to_build_state(tmp_path) -> None:
    """The contract of docs/architecture.md: stage results and findings come from the
    source and the loaded data; what a site check needs stays on the page."""
    build = real_build(tmp_path)
    source = ROOT / "content" / "articles" / "ldn-research.md"
    text = source.read_bytes()
    first = read_page(parse_source(source, text), {"slug": source.stem}, build)
    # Loaded data is loaded by the first page; from then on no page adds to it.
    loaded = set(build._states)
    uses = repr(build.state(Citations).uses)
    second = read_page(parse_source(source, text), {"slug": source.stem}, build)
    assert set(build._states) == loaded
    assert repr(build.state(Citations).uses) == uses
    # The citations the build itself keeps are the safety blocks' only, counted at load.
    blocks = build.state(Safety).blocks.values()
    assert build.state(Citations).uses.count == sum(
        len(citation.items) for block in blocks for citation in block.citations)
    assert snapshot(first) == snapshot(second)
    # The page is a real one: a safety block, citations rendered, an evidence table.
    assert [name for name, _ in first.blocks] == ["opioids"]
    assert first.tables
    assert first.uses is not None
    assert first.uses.count >= len(first.citations.citations) > 3
    # One piece of HTML per citation group, the safety block's joining the page's.
    assert len(first.pieces) > len(first.citations.citations)
    assert re.search(r"\x0e\x1b0\x0f", first.body)  # the block's placeholder
    assert build.state(pages_of) == {str(source): second}  # read again: replaced
