"""Signal wiring: the collect phase, then print and fail.

The report lives in the build's settings (fresh for every build), created by the
first plugin that reports, so no plugin depends on the order signals run in."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .records import get_report
from .signals import collect


def resolve(generators: list[Any]) -> None:
    if not generators:
        return
    settings = generators[0].settings
    report = get_report(settings)
    collect.send(generators, report=report, settings=settings)
    report.flush()


def register() -> None:
    signals.all_generators_finalized.connect(resolve)
