"""The editorial checks' settings, read once per build, and the record of one row of
``invoke report`` (each page's is on its Page: plugins/pipeline)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from plugins.diagnostics import Build, Severity

from .rules import CODES
from .settings import EditorialSettings, editorial_settings

PATIENT_AUDIENCES = ("patients", "both")


@dataclass(frozen=True)
class PageRow:
    """One line of the editorial report."""

    path: str
    title: str
    audience: str
    grade: float
    words: int
    minutes: int
    citations: int
    conditions: tuple[str, ...]
    last_reviewed: datetime.date | None
    next_review: datetime.date | None
    overdue: bool
    lint_hits: int
    unknown_facts: int


@dataclass
class Editorial:
    build: Build
    max_grade: float = EditorialSettings.readability_max_grade
    severities: dict[str, str] = field(default_factory=dict)
    off: frozenset[str] = frozenset()
    problems: list[tuple[str, str]] = field(default_factory=list)  # (setting, message)

    @classmethod
    def start(cls, build: Build) -> Editorial:
        declared = build.state(editorial_settings)
        state = cls(build)
        grade = declared.readability_max_grade
        if isinstance(grade, int | float) and not isinstance(grade, bool):
            state.max_grade = float(grade)
        else:
            state.problems.append(("READABILITY_MAX_GRADE",
                                   f"READABILITY_MAX_GRADE must be a number, not {grade!r:.40}"))
        for code, severity in (declared.claims_severity or {}).items():
            if code not in CODES:
                state.problems.append(("CLAIMS_SEVERITY",
                                       f"CLAIMS_SEVERITY names an unknown code {code!r:.60}"))
            elif severity == "off":
                state.off |= {code}
            elif severity in {s.value for s in Severity}:
                state.severities[code] = severity
            else:
                state.problems.append(("CLAIMS_SEVERITY",
                                       f"CLAIMS_SEVERITY[{code!r}] must be 'error', "
                                       f"'warning' or 'off', not {severity!r:.40}"))
        return state

    def relpath(self, path: Path) -> str:
        return self.build.report.relpath(path)
