"""Signal wiring: citations resolved while reading, their HTML put in once the page is
converted, checked in the collect phase, and /references/ written by a generator."""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import Report, collect
from plugins.sources import SourceDocument, source_read

from .bibliography import get_bibliography
from .check import Use, run_checks, use_log
from .formatting import CACHE_SETTING, get_formatter
from .page import ReferencesGenerator
from .placeholders import insert
from .render import ArticleCitations, further_reading, ordered, replace_citations
from .syntax import find_citations

# Source path -> each placeholder's HTML, from reading the file until it is put in.
PIECES_SETTING = "CITATIONS_PIECES"


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


def resolve_citations(doc: SourceDocument, metadata: dict[str, Any], settings: dict[str, Any],
                      report: Report) -> None:
    """Record every cited key with its position; outside CHECK_ONLY, also render them.

    The reader then converts the body with a placeholder for each citation, so Markdown
    and typogrify never see citation markup; ``insert_citations`` puts it in afterwards.
    """
    citations = find_citations(doc.body)
    reading = further_reading_uses(doc)
    if not (citations or reading):
        return
    bibliography = get_bibliography(settings)
    log = use_log(settings)  # for the collect phase
    log.add_cited(doc, (item for citation in citations for item in citation.items),
                  bibliography.entries)
    log.add(reading, bibliography.entries)
    if settings.get("CHECK_ONLY"):
        return
    formatter = get_formatter(settings, bibliography)
    renderer = ArticleCitations(formatter)
    if citations:
        doc.markdown, pieces = replace_citations(doc.body, citations, renderer)
        settings.setdefault(PIECES_SETTING, {})[str(doc.path)] = pieces
    # Each page keeps as few fields as it can: Pelican copies every one onto the page
    # object too, and one field too many doubles the size of both tables.
    metadata["references"] = ordered(renderer.counts, formatter, formatter.mode)
    extra = further_reading([use.key for use in reading], formatter, renderer.counts)
    if extra:
        metadata["further_reading"] = extra


def insert_citations(content: Any) -> None:
    """Swap the placeholders for citation HTML, after Markdown and typogrify ran.

    Pelican sends content_object_init once the reader's output, typogrified, is the
    content object's; the summary and everything else read the content from there.
    """
    waiting = content.settings.get(PIECES_SETTING)
    pieces = waiting.pop(str(content.source_path), None) if waiting else None
    if pieces is None:
        return
    content._content = insert(content._content, pieces)  # Pelican keeps the HTML there


def save_format_cache(pelican: Any) -> None:
    """After a successful build, keep the formatted entries for the next one."""
    formatter = pelican.settings.get(CACHE_SETTING)
    if formatter is not None and formatter.store is not None:
        formatter.store.save()


def add_generator(pelican: Any) -> type[ReferencesGenerator]:
    return ReferencesGenerator


def register() -> None:
    source_read.connect(resolve_citations)
    collect.connect(run_checks)
    signals.get_generators.connect(add_generator)
    signals.content_object_init.connect(insert_citations)
    signals.finalized.connect(save_format_cache)
