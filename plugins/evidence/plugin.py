"""Signal wiring: the study records into the templates' context (the conditions
generator and the JSON-LD read them as EVIDENCE). The page stage, the site check and the
tables' HTML are in stage.py, run by the page pipeline (plugins/pipeline/stages.py)."""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import build_of

from .stage import prepare
from .state import Evidence


def add_to_context(generator: Any) -> None:
    """Templates, the conditions generator and the JSON-LD read the records as EVIDENCE."""
    build = build_of(generator.context, generator.settings)
    generator.context["EVIDENCE"] = build.state(Evidence)
    # Before anything reads the registry (a page, the condition pages, the search page),
    # even on a site without pages: its untested conditions are marked.
    prepare(build)


def register() -> None:
    signals.generator_init.connect(add_to_context)
