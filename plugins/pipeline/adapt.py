"""Stage boundaries: the problem records inner modules still return, as ``Finding``s.

Pure parsers and checks report in records of their own (an offset into the body, or a
front-matter position); a stage turns them into the one ``Finding`` with these two.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plugins.diagnostics import Finding, Severity


def _severity(problem: Any) -> Severity:
    if getattr(problem, "warning", False):
        return Severity.WARNING
    return Severity(getattr(problem, "severity", Severity.ERROR))


def located(problems: Iterable[Any]) -> list[Finding]:
    """Records with a ``position`` (line, col): a front-matter or data-file check's."""
    return [Finding.at(p.position, p.code, p.message, p.hint, _severity(p)) for p in problems]


def at_offsets(doc: Any, problems: Iterable[Any]) -> list[Finding]:
    """Records with an ``offset`` into ``doc``'s body: a Markdown scanner's."""
    return [Finding.at(doc.body_position(p.offset), p.code, p.message, p.hint, _severity(p))
            for p in problems]
