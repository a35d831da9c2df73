"""The sitedata plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it). Each field is the setting of its name in
upper case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plugins.diagnostics.settings import read_declared

if TYPE_CHECKING:
    from plugins.diagnostics import Build


@dataclass(frozen=True)
class SiteDataSettings:
    """The data files, and the launch switch."""

    site_data: Mapping[str, str] = field(
        default_factory=lambda: {"PHARMACY": "pharmacy.yaml"})
    """YAML files under PATH, each given to the templates under its name (PHARMACY:
    the pharmacy's facts and people, checked against plugins/sitedata/schema.py)."""
    site_data_list_unknown: bool = False
    """List each fact still marked PLACEHOLDER as a warning (publishconf.py turns it on)."""
    launch: bool = False
    """Off, every page is a preview until the pharmacy's facts are all known (a banner,
    noindex, robots.txt disallowing all, no sitemap). On (publishconf.py, once `invoke
    facts` says ready), a build that is not ready fails, naming each missing fact."""


def site_data_settings(build: Build) -> SiteDataSettings:
    """The build's site data settings, read once (``build.state(site_data_settings)``)."""
    return read_declared(SiteDataSettings, build.settings)
