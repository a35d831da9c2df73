"""One object per build that holds what the plugins keep while the build runs.

Pelican makes a fresh ``context`` dict for every run and hands it to every generator,
content object and template; its own per-run state (``generated_content``, ...) lives
there, and so does ours, under one key. The Build is made by the first plugin that asks
for it and goes with the context when the run ends. Nothing is kept in ``settings``,
which ``pelican -r`` reuses from one run to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .logwatch import install
from .records import BuildFailedError, Report
from .settings import DiagnosticsSettings, diagnostics_settings, read_declared

BUILD = "BUILD"  # the Build's key in Pelican's per-run context
State = TypeVar("State")


@dataclass
class Build:
    """The run's settings, its report, and one state object per plugin."""

    settings: dict[str, Any]
    report: Report
    _states: dict[Any, Any] = field(default_factory=dict)

    def state(self, kind: Callable[[Build], State]) -> State:
        """This build's instance of ``kind``, made with ``kind(build)`` on first use."""
        found = self._states.get(kind)
        if found is None:
            found = self._states[kind] = kind(self)
        return found

    @classmethod
    def new(cls, settings: dict[str, Any]) -> Build:
        declared = read_declared(DiagnosticsSettings, settings)
        root = Path(declared.project_root or Path.cwd()).resolve()
        strict = frozenset(declared.diagnostics_warnings_as_errors)
        build = cls(settings, Report(root=root, warnings_as_errors=strict))
        build._states[diagnostics_settings] = declared  # read once: the same object
        return build


def build_of(context: dict[str, Any], settings: dict[str, Any]) -> Build:
    """The run's Build, made on first use; Pelican's logged errors go to its report."""
    build = context.get(BUILD)
    if build is None:
        build = context[BUILD] = Build.new(settings)
        install().bind(build.report)
    return build


class StoppedAtReport(SystemExit):
    """Raised once the report is printed, when the run only checks (``CHECK_ONLY``):
    ``Pelican.run()`` ends there, before any page is written (``invoke check``).

    A SystemExit, as BuildFailedError is: its code is 0, or the failure's message when
    the report holds an error. ``build`` is the run's Build, for the tools that read it
    after the check (``invoke report``, ``invoke facts``).
    """

    def __init__(self, build: Build, failure: BuildFailedError | None) -> None:
        super().__init__(0 if failure is None else failure.code)
        self.build = build
        self.failed = failure is not None
