"""Signal wiring: the registry into the templates' context, and the generator that writes
the condition pages. The page stage is in stage.py (plugins/pipeline/stages.py runs it)."""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import build_of

from .generator import ConditionsGenerator
from .stage import registry_of


def add_to_context(generator: Any) -> None:
    """Templates (the search page) and the generator read the registry as CONDITIONS."""
    build = build_of(generator.context, generator.settings)
    generator.context["CONDITIONS"] = build.state(registry_of)


def add_generator(pelican: Any) -> type[ConditionsGenerator]:
    return ConditionsGenerator


def register() -> None:
    signals.generator_init.connect(add_to_context)
    signals.get_generators.connect(add_generator)
