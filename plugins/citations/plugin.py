"""Signal wiring: citations resolved while reading, checked in the collect phase,
and the site-wide /references/ page written by a generator."""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import Report, collect
from plugins.sources import SourceDocument, source_read

from .bibliography import get_bibliography
from .check import Use, run_checks
from .formatting import get_formatter
from .page import ReferencesGenerator
from .render import ArticleCitations, further_reading, ordered, replace_citations
from .syntax import find_citations

ORIGINALS_SETTING = "CITATIONS_ORIGINAL_BODIES"  # id(doc) -> (doc, its body as written)


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
    """Record every cited key with its position; outside CHECK_ONLY, also render them."""
    citations = find_citations(doc.body)
    uses = [Use(item.key, doc.path, *doc.body_position(item.offset))
            for citation in citations for item in citation.items]
    reading = further_reading_uses(doc)
    metadata["citation_uses"] = uses + reading
    if settings.get("CHECK_ONLY") or not (uses or reading):
        return
    formatter = get_formatter(settings, get_bibliography(settings))
    renderer = ArticleCitations(formatter, formatter.mode)
    originals = settings.setdefault(ORIGINALS_SETTING, {})
    originals[id(doc)] = (doc, doc.body)  # the doc itself too, so its id is not reused
    doc.body = replace_citations(doc.body, citations, renderer)
    references = ordered(renderer.references, formatter, formatter.mode)
    extra = further_reading([use.key for use in reading], formatter, renderer.references)
    metadata["references"] = references
    metadata["further_reading"] = extra
    metadata["cited_works_jsonld"] = [formatter[r.key].jsonld for r in references + extra]


def restore_body(content: Any) -> None:
    """Once converted, the source keeps its own Markdown again, not the rewritten copy.

    The copy holds every citation's link HTML; kept for every article of a large site it
    would be the plugin's biggest use of memory. Positions also match the source again.
    """
    doc = getattr(content, "source_doc", None)
    originals = content.settings.get(ORIGINALS_SETTING) or {}
    if doc is not None and id(doc) in originals:
        _, doc.body = originals.pop(id(doc))


def add_generator(pelican: Any) -> type[ReferencesGenerator]:
    return ReferencesGenerator


def register() -> None:
    source_read.connect(resolve_citations)
    collect.connect(run_checks)
    signals.get_generators.connect(add_generator)
    signals.content_object_init.connect(restore_body)
