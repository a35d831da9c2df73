"""Signal wiring: the generator that writes /references/ (and keeps the formatted entries
on disk). The citations' page stage and site check are in stage.py, run by the page
pipeline (plugins/pipeline/stages.py)."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .page import ReferencesGenerator


def add_generator(pelican: Any) -> type[ReferencesGenerator]:
    return ReferencesGenerator


def register() -> None:
    signals.get_generators.connect(add_generator)
