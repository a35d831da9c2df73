"""Signal wiring: Pelican's logged errors into the report, and a build that logged an error
while writing fails. The report is printed once the site checks ran (``settle_report``,
called by plugins/pipeline at the end of the collect phase).

The report belongs to the run's Build (see build.py), made by whichever plugin asks
first, so no plugin depends on the order signals run in."""

from __future__ import annotations

import os
import sys
from typing import Any

from pelican import signals

from .build import Build, StoppedAtReport
from .logwatch import install
from .records import BuildFailedError
from .settings import diagnostics_settings


def settle_report(build: Build) -> None:
    """Every check has run: print the report, and fail on an error; a run that only
    checks (CHECK_ONLY) stops here, with the report (StoppedAtReport)."""
    try:
        build.report.flush()
    except BuildFailedError as failure:
        if build.state(diagnostics_settings).check_only:
            raise StoppedAtReport(build, failure) from None
        raise
    install().after_resolve = 0
    if build.state(diagnostics_settings).check_only:
        raise StoppedAtReport(build, None)


def fail_on_late_errors(pelican: Any) -> None:
    """Errors Pelican logged while writing: the pages are suspect, so the build fails."""
    watcher = install()
    if watcher.after_resolve and watcher.report is not None:
        late = watcher.report.errors[-watcher.after_resolve :]
        if os.environ.get("GITHUB_ACTIONS") == "true":
            sys.stdout.write("".join(d.workflow_command() + "\n" for d in late))
            sys.stdout.flush()
        raise BuildFailedError(
            "\n".join(d.format() for d in late)
            + f"\nPelican logged {len(late)} error(s) while writing; the build failed."
        )


def register() -> None:
    # First in PLUGINS, so that a later plugin whose register() raises is caught too.
    install()
    signals.finalized.connect(fail_on_late_errors)
