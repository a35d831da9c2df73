"""Signal wiring: load the registry once per build, resolve each page's conditions, and
add the generator that writes the condition pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from plugins.diagnostics import Build, build_of
from plugins.frontmatter.findings import report_all
from plugins.sources import SourceDocument, drop_fields, source_read
from plugins.sources.tree import is_linked

from .check import resolve_conditions
from .generator import ConditionsGenerator
from .registry import Registry, load_registry
from .settings import condition_settings


def registry_of(build: Build) -> Registry:
    """The build's registry (``build.state(registry_of)``), its problems reported once."""
    settings, declared = build.settings, build.state(condition_settings)
    path = Path(settings["PATH"]) / declared.conditions_registry
    if is_linked(path, settings["PATH"]):  # never read through a link (static.symlink)
        return Registry(path, missing=True)
    registry, findings = load_registry(path, declared.condition_url)
    report_all(build.report, path, findings)
    return registry


def add_to_context(generator: Any) -> None:
    """Templates (the search page) and the generator read the registry as CONDITIONS."""
    build = build_of(generator.context, generator.settings)
    generator.context["CONDITIONS"] = build.state(registry_of)


def attach_conditions(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    records, findings = resolve_conditions(doc.front_matter, build.state(registry_of))
    report_all(build.report, doc.path, findings)
    metadata["condition_records"] = tuple(records)  # most pages have none: one shared ()
    drop_fields(metadata, ("conditions",))  # the records replace the names


def add_generator(pelican: Any) -> type[ConditionsGenerator]:
    return ConditionsGenerator


def register() -> None:
    signals.generator_init.connect(add_to_context)
    source_read.connect(attach_conditions)
    signals.get_generators.connect(add_generator)
