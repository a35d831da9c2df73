"""A problem found by a pure check, before it is reported against a file."""

from __future__ import annotations

from typing import NamedTuple

from plugins.diagnostics import Report, Severity
from plugins.sources.yamldoc import Position


class Finding(NamedTuple):
    """Where, which code, what is wrong and how to fix it; reported by the plugin wiring."""

    position: Position
    code: str
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR


def report_all(report: Report, path: object, findings: list[Finding]) -> None:
    for finding in findings:
        report.add(str(path), finding.position.line, finding.position.col, finding.code,
                   finding.message, severity=finding.severity, hint=finding.hint)
