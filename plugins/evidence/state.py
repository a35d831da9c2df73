"""The evidence plugin's loaded data: the study records, loaded and checked once (each
page's tables are on its Page: plugins/pipeline)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from plugins.citations.state import Citations
from plugins.conditions.records import Registry
from plugins.conditions.settings import condition_settings
from plugins.conditions.stage import registry_of
from plugins.diagnostics import Build, Finding, did_you_mean
from plugins.sources.tree import is_linked
from plugins.sources.yamldoc import Position

from .labels import Work, label, work_of
from .records import Study, parse_studies
from .settings import evidence_settings
from .summary import ConditionEvidence, condition_evidence, untested_conditions
from .vocabulary import BY_SLUG


@dataclass
class Evidence:
    """The build's study records (``build.state(Evidence)``), read on first use."""

    build: Build
    untested: list[str] | None = None  # set by mark_untested()
    unreadable: bool = False  # studies.yaml as a whole was refused (reported once)

    @property
    def path(self) -> Path:
        return Path(self.build.settings["PATH"]) / self.build.state(evidence_settings).studies

    @cached_property
    def registry(self) -> Registry:
        return self.build.state(registry_of)

    def resolve(self, name: str) -> str | None:
        condition = self.registry.resolve(name)
        return condition.slug if condition else None

    @cached_property
    def studies(self) -> dict[str, Study]:
        """Every record; its problems reported once. No file: no records, no error."""
        if not self.path.is_file() or is_linked(self.path, self.build.settings["PATH"]):
            return {}  # a link is never read: static.symlink reports it
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.build.report.error(self.path, 1, 1, "evidence.bad-yaml",
                                    "studies.yaml is not UTF-8", hint="save it as UTF-8")
            return {}
        studies, findings = parse_studies(text, self.resolve, self.registry.names)
        self.unreadable = not studies and bool(findings)
        if self.registry.broken:  # its own error is reported once, in conditions.yaml
            findings = [f for f in findings if f.code != "evidence.unknown-condition"]
        self.build.report.extend(self.path, findings)
        return studies

    @cached_property
    def works(self) -> dict[str, Work]:
        """Each record with its work's name and year from the bibliography."""
        entries = self.build.state(Citations).bibliography.entries
        return {key: work_of(study, getattr(entries.get(key), "csl", None))
                for key, study in self.studies.items()}

    def mark_untested(self) -> list[str]:
        """The conditions no record shows LDN tested in, marked so in the registry (once):
        they get no page of their own. A site without records marks none."""
        if self.untested is None:
            self.untested = untested_conditions(
                (c.slug for c in self.registry.conditions), self.studies.values()
            ) if self.studies else []
            self.registry.mark_untested(
                self.untested, self.build.state(condition_settings).conditions_untested_url)
        return self.untested

    def labels(self) -> dict[str, str]:
        return {key: label(study) for key, study in self.studies.items()}

    def for_condition(self, slug: str) -> ConditionEvidence:
        return self.condition_summaries.get(slug) or ConditionEvidence(slug)

    @cached_property
    def condition_summaries(self) -> dict[str, ConditionEvidence]:
        works = list(self.works.values())
        return {c.slug: condition_evidence(c.slug, works) for c in self.registry.conditions}

    def condition_link(self, slug: str) -> tuple[str, str] | None:
        condition = self.registry.get(slug)
        return (condition.name, condition.url) if condition else None

    def schema(self, key: str) -> dict[str, Any] | None:
        """schema.org facts of the work's study, for its JSON-LD (plugins/jsonld)."""
        return self.schemas.get(key)

    @cached_property
    def schemas(self) -> dict[str, dict[str, Any]]:
        """Made once: every page citing a work shares its node."""
        found = {}
        for key, study in self.studies.items():
            node = self._schema(study)
            if node:
                found[key] = node
        return found

    def _schema(self, study: Study) -> dict[str, Any] | None:
        if study.design is None or study.review:
            return None
        design = BY_SLUG[study.design.slug]
        node: dict[str, Any] = {"@type": design.schema}
        if design.trial_design:
            node["trialDesign"] = f"https://schema.org/{design.trial_design}"
        if design.schema == "MedicalObservationalStudy":
            node["studyDesign"] = "https://schema.org/Observational"
        conditions = [self.registry.get(slug) for slug in study.conditions]
        names = [c.name for c in conditions if c]
        if names:
            # By name: schema.org takes text for any thing, and a page citing twenty
            # trials would otherwise carry twenty copies of {"@type": "MedicalCondition"}.
            node["healthCondition"] = names[0] if len(names) == 1 else names
        return node


def check_keys(evidence: Evidence, entries: dict[str, Any]) -> list[Finding]:
    """A record for a key that is not in the bibliography."""
    return [Finding.at(Position(s.line, s.col), "evidence.unknown-key",
                    f"study record for '{key}', which is not in the bibliography",
                    did_you_mean(key, entries) or "add the work to bibliography.bib first, "
                    "or correct the key")
            for key, s in evidence.studies.items() if key not in entries]
