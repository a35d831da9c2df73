"""The conditions stage of the page pipeline, and the registry it reads (loaded data)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plugins.diagnostics import Build, Finding
from plugins.frontmatter.findings import report_all
from plugins.pipeline.adapt import located
from plugins.sources import drop_fields
from plugins.sources.tree import is_linked

from .check import resolve_conditions
from .registry import CONDITION_URL, Registry, load_registry

if TYPE_CHECKING:
    from plugins.pipeline.page import Page


def registry_of(build: Build) -> Registry:
    """The build's registry (``build.state(registry_of)``), its problems reported once."""
    settings = build.settings
    path = Path(settings["PATH"]) / settings.get("CONDITIONS_REGISTRY", "conditions.yaml")
    if is_linked(path, settings["PATH"]):  # never read through a link (static.symlink)
        return Registry(path, missing=True)
    registry, findings = load_registry(path, settings.get("CONDITION_URL", CONDITION_URL))
    report_all(build.report, path, findings)
    return registry


def resolve(page: Page, build: Build) -> list[Finding]:
    """The page's ``conditions:`` names as the registry's records."""
    records, findings = resolve_conditions(page.source.front_matter, build.state(registry_of))
    page.conditions = tuple(records)  # most pages have none: one shared ()
    page.metadata["condition_records"] = page.conditions  # the templates' and generator's
    drop_fields(page.metadata, ("conditions",))  # the records replace the names
    return located(findings)
