"""The review plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it); see docs/front-matter.md."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.diagnostics import Build
from plugins.diagnostics.settings import read_declared


@dataclass(frozen=True)
class ReviewSettings:
    """REVIEW_<NAME> in the settings."""

    interval_days: int | None = 182
    """next_review defaults to last_reviewed plus this many days; None makes
    next_review required on every page."""
    today: str | None = None
    """"Today" for the overdue check, as "YYYY-MM-DD"; None means the real date in
    TIMEZONE (tests and checking ahead set it)."""


def review_settings(build: Build) -> ReviewSettings:
    """The build's review settings, read once (``build.state(review_settings)``)."""
    return read_declared(ReviewSettings, build.settings, "REVIEW_")
