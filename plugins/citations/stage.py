"""The citations stage of the page pipeline, and the citations' site check.

The stage records every key a page cites (its own ``UseLog``) and, outside CHECK_ONLY,
rewrites the body with a placeholder per citation, so that Markdown and typogrify never
see citation markup; the pieces of HTML go in after both (plugins/pipeline/stages.py).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from plugins.diagnostics import Build, Finding
from plugins.diagnostics.settings import diagnostics_settings

from .check import Use, UseLog, check_formatting, run_checks
from .render import ArticleCitations, further_reading, ordered, replace_citations
from .settings import citation_settings, citation_style
from .state import Citations

if TYPE_CHECKING:
    from plugins.pipeline.page import Page
    from plugins.sources import SourceDocument


def further_reading_uses(doc: SourceDocument) -> list[Use]:
    """The front-matter ``citations:`` keys, each with the position of its list item."""
    value = doc.front_matter.data.get("citations")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    uses = []
    for index, key in enumerate(value):
        if isinstance(key, str) and key.strip():
            position = doc.front_matter.item_position("citations", index)
            uses.append(Use(key.strip().lstrip("@"), doc.path, *position, further_reading=True))
    return uses


def cite(page: Page, build: Build) -> list[Finding]:
    """Every cited key with its place; outside CHECK_ONLY, the citations rendered.

    Text that starts like a citation but does not parse is reported, never left as text.
    A safety block placed in the page (``page.inclusions``) brings its citations, numbered
    with the page's; its own keys were counted once, where the block is written.
    """
    doc = page.source
    citations, problems = page.citations
    findings = doc.in_body(problems)
    reading = further_reading_uses(doc)
    inclusions = page.inclusions
    if not (citations or reading or inclusions):
        return findings
    state = build.state(Citations)
    entries = state.bibliography.entries
    uses = UseLog()
    uses.add_cited(doc, (item for citation in citations for item in citation.items), entries)
    uses.add(reading, entries)
    # Interned as the reference lists' keys are (render.py): one string per key, not per
    # page, since every page keeps its uses until the site check.
    page.uses = PageUses(tuple(map(sys.intern, uses.found)), tuple(uses.unknown), uses.count)
    if build.state(diagnostics_settings).check_only:
        return findings
    formatter = state.formatter
    renderer = ArticleCitations(
        formatter, after_punctuation=build.state(citation_settings).notes_after_punctuation)
    if citations or inclusions:
        page.markdown, page.pieces = replace_citations(doc.body, citations, renderer, inclusions)
    # Each page keeps as few fields as it can: see plugins/sources/pagefields.py.
    page.metadata["references"] = ordered(renderer.counts, formatter, formatter.mode,
                                          state.notes)
    extra = further_reading([use.key for use in reading], formatter, renderer.counts,
                            state.notes)
    if extra:
        page.metadata["further_reading"] = extra
    return findings


class PageUses(NamedTuple):
    """A page's citations as the site check needs them: the keys found in the
    bibliography, each unknown key with its place, and how many there were."""

    found: tuple[str, ...]
    unknown: tuple[Use, ...]
    count: int


def all_uses(pages: list[Page], build: Build) -> UseLog:
    """Every citation of the build: each page's, and the safety blocks' (counted once,
    when the blocks were loaded)."""
    loaded = build.state(Citations).uses
    log = UseLog(set(loaded.found), list(loaded.unknown), loaded.count)
    for page in pages:
        if page.uses is not None:
            log.found.update(page.uses.found)
            log.unknown.extend(page.uses.unknown)
            log.count += page.uses.count
    return log


def check_citations(pages: list[Page], generators: list[Any], build: Build) -> None:
    """Bibliography problems, unknown keys, unused entries, entries the style cannot
    format."""
    state = build.state(Citations)
    run_checks(state.bibliography, all_uses(pages, build), build.state(citation_style),
               build.settings, build.report)
    check_formatting(state.formatter, build.report)
