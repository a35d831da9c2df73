"""Resolve a page's ``conditions:`` against the registry. Pure: findings, not reports."""

from __future__ import annotations

from plugins.diagnostics import Finding, Severity, did_you_mean
from plugins.sources.document import FrontMatter

from .records import Condition, Registry


def resolve_conditions(front_matter: FrontMatter,
                       registry: Registry) -> tuple[list[Condition], list[Finding]]:
    """The conditions a page names, synonyms resolved, each once, in the order given.

    A value that is not a list is left to the schema check (frontmatter.bad-type).
    """
    names = front_matter.data.get("conditions")
    if not isinstance(names, list):
        return [], []
    records: list[Condition] = []
    findings: list[Finding] = []
    for index, name in enumerate(names):
        if not isinstance(name, str):
            continue
        where = front_matter.item_position("conditions", index)
        condition = registry.resolve(name)
        if condition is None and registry.broken:
            continue  # the registry's own error is reported once, in conditions.yaml
        if condition is None:
            findings.append(Finding.at(where, "conditions.unknown", f"unknown condition '{name}'",
                                    _unknown_hint(name, registry)))
        elif condition in records:
            message = (f"condition '{name}' is listed twice" if name == condition.slug
                       else f"'{name}' names '{condition.slug}', which is already listed")
            findings.append(Finding.at(where, "conditions.duplicate", message,
                                    "remove one of the two", Severity.WARNING))
        else:
            records.append(condition)
    return records, findings


def _unknown_hint(name: str, registry: Registry) -> str:
    if registry.missing:
        return "there is no conditions registry: add conditions.yaml to the content folder"
    suggestion = did_you_mean(name, registry.names())
    if suggestion:
        return suggestion
    return "use a slug or synonym from conditions.yaml, or add the condition there first"
