"""Signal wiring: load the registry, resolve each page's conditions, add the generator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from plugins.diagnostics import Report, get_report
from plugins.frontmatter.findings import report_all
from plugins.sources import SourceDocument, drop_fields, source_read

from .check import resolve_conditions
from .generator import ConditionsGenerator
from .registry import CONDITION_URL, Registry, load_registry

REGISTRY_SETTING = "CONDITIONS"


def registry_for(settings: dict[str, Any], report: Report) -> Registry:
    """This build's registry, loaded once and kept in the settings (and so the context)."""
    registry = settings.get(REGISTRY_SETTING)
    if not isinstance(registry, Registry):
        path = Path(settings["PATH"]) / settings.get("CONDITIONS_REGISTRY", "conditions.yaml")
        registry, findings = load_registry(path, settings.get("CONDITION_URL", CONDITION_URL))
        report_all(report, path, findings)
        settings[REGISTRY_SETTING] = registry
    return registry


def load(pelican: Any) -> None:
    registry_for(pelican.settings, get_report(pelican.settings))


def attach_conditions(doc: SourceDocument, metadata: dict[str, Any], settings: dict[str, Any],
                      report: Report) -> None:
    records, findings = resolve_conditions(doc.front_matter, registry_for(settings, report))
    report_all(report, doc.path, findings)
    metadata["condition_records"] = tuple(records)  # most pages have none: one shared ()
    drop_fields(metadata, ("conditions",))  # the records replace the names


def add_generator(pelican: Any) -> type[ConditionsGenerator]:
    return ConditionsGenerator


def register() -> None:
    signals.initialized.connect(load)
    source_read.connect(attach_conditions)
    signals.get_generators.connect(add_generator)
