"""The collect phase: checks connect here and add to the report before anything is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from blinker import signal

from .records import BuildFailedError

if TYPE_CHECKING:
    from .build import Build

# Sent once per build, after every generator has read its content and before any
# page is written: ``collect.send(generators, build=...)``.
collect = signal("diagnostics.collect")


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
