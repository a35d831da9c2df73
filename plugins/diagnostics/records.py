"""Findings (the one record of a problem) and the per-build report that collects them."""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

# The most characters of a message or a hint that are printed: a value quoted in one
# (a title, a list from the front-matter) may be any length.
MAX_TEXT = 300


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """``text``, or its first ``limit`` characters and how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in the content, pointing at a place in a source file.

    The one record every check returns. A pure check that knows the place but not yet
    the file (a parser given text) leaves ``path`` empty (``Finding.at``); the report
    fills it in when the finding is reported against a file (``Report.extend``).
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    @classmethod
    def at(cls, where: tuple[int, int], code: str, message: str, hint: str | None = None,
           severity: Severity = Severity.ERROR) -> Finding:
        """A finding at ``(line, col)`` of a file named later."""
        line, col = where
        return cls("", line, col, code, message, severity, hint)

    @property
    def position(self) -> tuple[int, int]:
        return (self.line, self.col)

    def workflow_command(self) -> str:
        """The diagnostic as a GitHub Actions workflow command, which a pull request shows
        at the line: ``::error file=…,line=…,col=…,title=<code>::message``.

        GitHub reads ``%``, CR and LF as escapes in the message (and also ``:`` and ``,``
        in the properties), so those are written as %25, %0D, %0A (%3A, %2C).
        """
        text = self.message if not self.hint else f"{self.message}; {self.hint}"
        properties = ",".join(f"{name}={_escape_property(str(value))}" for name, value in (
            ("file", self.path), ("line", self.line), ("col", self.col), ("title", self.code)))
        return f"::{self.severity.value} {properties}::{_escape_data(text)}"

    def format(self) -> str:
        """Render as ``path:line:col: severity: message; hint [code]`` on one line."""
        text = f"{self.severity.value}: {self.message}"
        if self.hint:
            text = f"{text}; {self.hint}"
        text = " ".join(text.split())  # one greppable line, whatever the message held
        return f"{self.path}:{self.line}:{self.col}: {text} [{self.code}]"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class BuildFailedError(SystemExit):
    """Raised once, after every diagnostic has been printed, when any is an error.

    A SystemExit, so that Pelican's catch-all does not print a traceback over the
    diagnostics: the process exits 1 with this message as its last line.
    """


@dataclass
class Report:
    """Collects diagnostics from every plugin; prints and fails once, at the end."""

    root: Path
    diagnostics: list[Finding] = field(default_factory=list)
    warnings_as_errors: frozenset[str] = frozenset()
    # The diagnostics already added, for the duplicate check: a list is searched in time
    # linear in its length, and a 20,000-entry bibliography adds 20,000 unused-entry warnings.
    _seen: set[Finding] = field(default_factory=set, repr=False, compare=False)
    # Each folder resolved once a build: resolving is a system call a part of the path,
    # and the address check alone asks for every page's path twice. (Each path's name is
    # not kept: at 5,000 pages that was 0.8 MB of the peak, which has no room for it.)
    _folders: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)
    # Each folder's name relative to the root, with "/" after it ("" for the root): most
    # pages share one, and joining strings costs a fifth of joining paths.
    _prefixes: dict[Path, str] = field(default_factory=dict, repr=False, compare=False)

    def relpath(self, path: str | Path) -> str:
        """A path relative to the project root, with forward slashes."""
        # The last part is not resolved: a diagnostic about a symbolic link names the link.
        given = Path(path)
        prefix = self._prefixes.get(given.parent)
        if prefix is not None and given.name not in ("", ".."):
            return prefix + given.name
        absolute = self._folder(given.parent) / given.name
        try:
            relative = absolute.relative_to(self.root)
        except ValueError:
            return Path(os.path.relpath(absolute, self.root)).as_posix()
        if given.parent.is_absolute() and given.name not in ("", ".."):
            folder = relative.parent.as_posix()
            self._prefixes[given.parent] = "" if folder == "." else f"{folder}/"
        return relative.as_posix()

    def resolved(self, path: Path) -> Path:
        """``path`` as ``Path.resolve`` gives it, its folder resolved once a build (most
        pages share one); a link, a relative path or ".." resolved whole."""
        if path.is_symlink() or not path.is_absolute() or path.name == "..":
            return path.resolve()
        return self._folder(path.parent) / path.name

    def _folder(self, folder: Path) -> Path:
        found = self._folders.get(folder)
        if found is None:
            found = folder.resolve()
            if folder.is_absolute():  # a relative one depends on the working folder
                self._folders[folder] = found
        return found

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
    ) -> Finding:
        if severity is Severity.WARNING and code in self.warnings_as_errors:
            severity = Severity.ERROR
        diagnostic = Finding(
            path=self.relpath(path),
            line=max(line, 1),
            col=max(col, 1),
            code=code,
            message=shorten(message),
            severity=severity,
            hint=shorten(hint) if hint else hint,
        )
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.diagnostics.append(diagnostic)
        return diagnostic

    def extend(self, path: str | Path, findings: Iterable[Finding]) -> None:
        """Report each finding, against ``path`` unless it names its own file."""
        for f in findings:
            self.add(f.path or path, f.line, f.col, f.code, f.message, severity=f.severity,
                     hint=f.hint)

    def discard(self, unwanted: Callable[[Finding], bool]) -> None:
        """Take back the diagnostics a later, more precise one replaces."""
        gone = [d for d in self.diagnostics if unwanted(d)]
        self.diagnostics[:] = [d for d in self.diagnostics if not unwanted(d)]
        self._seen.difference_update(gone)

    def error(self, path: str | Path, line: int, col: int, code: str, message: str,
              hint: str | None = None) -> Finding:
        return self.add(path, line, col, code, message, hint=hint)

    def warning(self, path: str | Path, line: int, col: int, code: str, message: str,
                hint: str | None = None) -> Finding:
        return self.add(path, line, col, code, message, severity=Severity.WARNING, hint=hint)

    @property
    def errors(self) -> list[Finding]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def sorted(self) -> list[Finding]:
        return sorted(self.diagnostics, key=lambda d: (d.path, d.line, d.col, d.code, d.message))

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        return (f"{errors} error{'s' * (errors != 1)}, "
                f"{warnings} warning{'s' * (warnings != 1)}")

    def flush(self, stream: TextIO | None = None) -> None:
        """Print every diagnostic, one per line, then fail if any is an error.

        Plain writes, not logging: Rich would wrap long lines at 80 columns. Under GitHub
        Actions (GITHUB_ACTIONS=true) each is also printed as a workflow command.
        """
        stream = stream or sys.stderr
        for diagnostic in self.sorted():
            stream.write(diagnostic.format() + "\n")
        if self.diagnostics:
            stream.write(f"content check: {self.summary()}\n")
        stream.flush()
        if os.environ.get("GITHUB_ACTIONS") == "true":
            # On GitHub, each is also a workflow command (read from standard output),
            # which shows it on the pull request's diff at its line.
            for diagnostic in self.sorted():
                sys.stdout.write(diagnostic.workflow_command() + "\n")
            sys.stdout.flush()
        if self.errors:
            raise BuildFailedError(
                f"content check failed with {self.summary()}; nothing was written. "
                "Fix the problems listed above (path:line:col) and build again."
            )
