"""The evidence plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it); see docs/evidence.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.diagnostics.settings import read_declared

if TYPE_CHECKING:
    from plugins.diagnostics import Build


@dataclass(frozen=True)
class EvidenceSettings:
    """EVIDENCE_<NAME> in the settings."""

    studies: str = "studies.yaml"
    """The study records, under PATH: design, size, dose and result of each cited work."""


def evidence_settings(build: Build) -> EvidenceSettings:
    """The build's evidence settings, read once (``build.state(evidence_settings)``)."""
    return read_declared(EvidenceSettings, build.settings, "EVIDENCE_")
