"""The integrity plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it); see docs/integrity.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plugins.diagnostics import Build
from plugins.diagnostics.settings import read_declared

PREFIX = "INTEGRITY_"


@dataclass(frozen=True)
class IntegritySettings:
    """INTEGRITY_<NAME> in the settings."""

    file: str = "integrity.yaml"
    """Under PATH: written by `invoke audit` (Crossref, PubMed, ClinicalTrials.gov), read
    by the build offline: retractions, corrections, expressions of concern, new evidence."""
    max_age_days: int = 90
    """A check older than this many days is a warning, when warn_stale is on."""
    warn_stale: bool = False
    """Warn about checks older than max_age_days and works never checked (publishconf.py
    turns it on: `invoke publish` only)."""


def declared(settings: Mapping[str, Any]) -> IntegritySettings:
    return read_declared(IntegritySettings, settings, PREFIX)


def integrity_settings(build: Build) -> IntegritySettings:
    """The build's integrity settings, read once (``build.state(integrity_settings)``)."""
    return declared(build.settings)
