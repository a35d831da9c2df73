"""The safety plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it); see docs/safety.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.diagnostics.settings import read_declared

if TYPE_CHECKING:
    from plugins.diagnostics import Build


@dataclass(frozen=True)
class SafetySettings:
    """SAFETY_<NAME> in the settings."""

    path: str = "safety"
    """The folder under PATH of the safety blocks, one Markdown file each, placed in a
    page with a line '!safety <name>'; each block's required_on says which pages must
    carry it."""


def safety_settings(build: Build) -> SafetySettings:
    """The build's safety settings, read once (``build.state(safety_settings)``)."""
    return read_declared(SafetySettings, build.settings, "SAFETY_")
