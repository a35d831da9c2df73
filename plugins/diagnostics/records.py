"""Diagnostic records and the per-build report that collects them."""

from __future__ import annotations

import enum
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the content, pointing at a place in a source file."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def format(self) -> str:
        """Render as ``path:line:col: severity: message; hint [code]`` on one line."""
        text = f"{self.severity.value}: {self.message}"
        if self.hint:
            text = f"{text}; {self.hint}"
        text = " ".join(text.split())  # one greppable line, whatever the message held
        return f"{self.path}:{self.line}:{self.col}: {text} [{self.code}]"


class BuildFailedError(SystemExit):
    """Raised once, after every diagnostic has been printed, when any is an error.

    A SystemExit, so that Pelican's catch-all does not print a traceback over the
    diagnostics: the process exits 1 with this message as its last line.
    """


@dataclass
class Report:
    """Collects diagnostics from every plugin; prints and fails once, at the end."""

    root: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings_as_errors: frozenset[str] = frozenset()

    def relpath(self, path: str | Path) -> str:
        """A path relative to the project root, with forward slashes."""
        absolute = Path(path).resolve()
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return Path(os.path.relpath(absolute, self.root)).as_posix()

    def add(
        self,
        path: str | Path,
        line: int,
        col: int,
        code: str,
        message: str,
        *,
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
    ) -> Diagnostic:
        if severity is Severity.WARNING and code in self.warnings_as_errors:
            severity = Severity.ERROR
        diagnostic = Diagnostic(
            path=self.relpath(path),
            line=max(line, 1),
            col=max(col, 1),
            code=code,
            message=message,
            severity=severity,
            hint=hint,
        )
        if diagnostic not in self.diagnostics:
            self.diagnostics.append(diagnostic)
        return diagnostic

    def error(self, path: str | Path, line: int, col: int, code: str, message: str,
              hint: str | None = None) -> Diagnostic:
        return self.add(path, line, col, code, message, hint=hint)

    def warning(self, path: str | Path, line: int, col: int, code: str, message: str,
                hint: str | None = None) -> Diagnostic:
        return self.add(path, line, col, code, message, severity=Severity.WARNING, hint=hint)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=lambda d: (d.path, d.line, d.col, d.code, d.message))

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        return (f"{errors} error{'s' * (errors != 1)}, "
                f"{warnings} warning{'s' * (warnings != 1)}")

    def flush(self, stream: TextIO | None = None) -> None:
        """Print every diagnostic, one per line, then fail if any is an error.

        Plain writes, not logging: Rich would wrap long lines at 80 columns.
        """
        stream = stream or sys.stderr
        for diagnostic in self.sorted():
            stream.write(diagnostic.format() + "\n")
        if self.diagnostics:
            stream.write(f"content check: {self.summary()}\n")
        stream.flush()
        if self.errors:
            raise BuildFailedError(
                f"content check failed with {self.summary()}; nothing was written. "
                "Fix the problems listed above (path:line:col) and build again."
            )
