"""The editorial plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it); see docs/editorial.md. Each field is the
setting of its name in upper case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from plugins.diagnostics import Build
from plugins.diagnostics.settings import read_declared


@dataclass(frozen=True)
class EditorialSettings:
    readability_max_grade: Any = 8.0
    """The highest Flesch-Kincaid grade for a page whose audience is patients or both
    (a number; anything else is an editorial.bad-setting error)."""
    claims_severity: Mapping[str, str] = field(default_factory=dict)
    """Severity per claims lint code ("error", "warning" or "off"), overriding the
    defaults of plugins/editorial/rules.py."""


def editorial_settings(build: Build) -> EditorialSettings:
    """The build's editorial settings, read once (``build.state(editorial_settings)``)."""
    return read_declared(EditorialSettings, build.settings)
