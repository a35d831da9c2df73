"""Signal wiring, in the order a build runs: citations resolved while each page is read,
checked in the collect phase, their HTML put in once the page is converted, and
/references/ written by a generator (which also keeps the formatted entries on disk)."""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import BUILD, Build, collect
from plugins.sources import SourceDocument, source_read

from .check import Use, run_checks
from .page import ReferencesGenerator
from .placeholders import insert
from .render import ArticleCitations, further_reading, ordered, replace_citations
from .settings import citation_settings, citation_style
from .state import Citations
from .syntax import SyntaxProblem, scan


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


def report_syntax(doc: SourceDocument, problems: list[SyntaxProblem], build: Build) -> None:
    """Text that starts like a citation but does not parse: never left as text."""
    for problem in problems:
        line, col = doc.body_position(problem.offset)
        add = build.report.warning if problem.warning else build.report.error
        add(doc.path, line, col, problem.code, problem.message, hint=problem.hint)


def resolve_citations(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    """Record every cited key with its position; outside CHECK_ONLY, also render them.

    The reader then converts the body with a placeholder for each citation, so Markdown
    and typogrify never see citation markup; ``insert_citations`` puts it in afterwards.
    """
    citations, problems = scan(doc.body)
    report_syntax(doc, problems, build)
    reading = further_reading_uses(doc)
    state = build.state(Citations)
    # A block's own keys were counted once, where the block is written (plugins/safety).
    inclusions = state.inclusions.pop(str(doc.path), [])
    if not (citations or reading or inclusions):
        return
    entries = state.bibliography.entries
    state.uses.add_cited(doc, (item for citation in citations for item in citation.items),
                         entries)
    state.uses.add(reading, entries)
    if build.settings.get("CHECK_ONLY"):
        return
    formatter = state.formatter
    renderer = ArticleCitations(
        formatter, after_punctuation=build.state(citation_settings).notes_after_punctuation)
    if citations or inclusions:
        doc.markdown, pieces = replace_citations(doc.body, citations, renderer, inclusions)
        state.pieces[str(doc.path)] = pieces
    # Each page keeps as few fields as it can: see plugins/sources/pagefields.py.
    metadata["references"] = ordered(renderer.counts, formatter, formatter.mode,
                                     state.notes)
    extra = further_reading([use.key for use in reading], formatter, renderer.counts,
                            state.notes)
    if extra:
        metadata["further_reading"] = extra


def check_citations(generators: list[Any], build: Build) -> None:
    """The collect phase: bibliography problems, unknown keys, unused entries."""
    state = build.state(Citations)
    run_checks(state.bibliography, state.uses, build.state(citation_style), build.settings,
               build.report)


def insert_citations(content: Any) -> None:
    """Swap the placeholders for citation HTML, after Markdown and typogrify ran.

    Pelican sends content_object_init once the reader's output, typogrified, is the
    content object's. The object reaches the run's context only as ``_context``.
    """
    build = content._context.get(BUILD) if content._context else None
    if build is None:
        return
    pieces = build.state(Citations).pieces.pop(str(content.source_path), None)
    if pieces is not None:
        content._content = insert(content._content, pieces)  # Pelican keeps the HTML there


def add_generator(pelican: Any) -> type[ReferencesGenerator]:
    return ReferencesGenerator


def register() -> None:
    source_read.connect(resolve_citations)
    collect.connect(check_citations)
    signals.content_object_init.connect(insert_citations)
    signals.get_generators.connect(add_generator)
