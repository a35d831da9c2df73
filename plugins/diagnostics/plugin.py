"""Signal wiring: the collect phase, then print and fail.

The report lives in the build's settings (fresh for every build), created by the
first plugin that reports, so no plugin depends on the order signals run in."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .logwatch import install
from .records import BuildFailedError, get_report
from .signals import collect


def bind_errors(pelican: Any) -> None:
    install().bind(get_report(pelican.settings))


def resolve(generators: list[Any]) -> None:
    if not generators:
        return
    settings = generators[0].settings
    report = get_report(settings)
    collect.send(generators, report=report, settings=settings)
    report.flush()
    install().after_resolve = 0


def fail_on_late_errors(pelican: Any) -> None:
    """Errors Pelican logged while writing: the pages are suspect, so the build fails."""
    if install().after_resolve:
        report = get_report(pelican.settings)
        late = report.errors[-install().after_resolve :]
        raise BuildFailedError(
            "\n".join(d.format() for d in late)
            + f"\nPelican logged {len(late)} error(s) while writing; the build failed."
        )


def register() -> None:
    # First in PLUGINS, so that a later plugin whose register() raises is caught too.
    install()
    signals.initialized.connect(bind_errors)
    signals.all_generators_finalized.connect(resolve)
    signals.finalized.connect(fail_on_late_errors)
