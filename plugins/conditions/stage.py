"""The conditions stage of the page pipeline, and the registry it reads (loaded data)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plugins.diagnostics import Build, Finding
from plugins.sources import drop_fields
from plugins.sources.tree import is_linked

from .check import resolve_conditions
from .records import Registry
from .registry import load_registry
from .settings import condition_settings

if TYPE_CHECKING:
    from plugins.pipeline.page import Page


def registry_of(build: Build) -> Registry:
    """The build's registry (``build.state(registry_of)``), its problems reported once."""
    settings, declared = build.settings, build.state(condition_settings)
    path = Path(settings["PATH"]) / declared.conditions_registry
    if is_linked(path, settings["PATH"]):  # never read through a link (static.symlink)
        return Registry(path, missing=True)
    registry, findings = load_registry(path, declared.condition_url)
    build.report.extend(path, findings)
    return registry


def resolve(page: Page, build: Build) -> list[Finding]:
    """The page's ``conditions:`` names as the registry's records."""
    records, findings = resolve_conditions(page.source.front_matter, build.state(registry_of))
    page.conditions = tuple(records)  # most pages have none: one shared ()
    page.metadata["condition_records"] = page.conditions  # the templates' and generator's
    drop_fields(page.metadata, ("conditions",))  # the records replace the names
    return findings
