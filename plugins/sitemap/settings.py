"""The sitemap plugin's setting, declared once with its default (read_declared:
pelicanconf.py sets it only to change it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plugins.diagnostics.settings import read_declared

if TYPE_CHECKING:
    from plugins.diagnostics import Build


def _sitemap() -> dict[str, Any]:
    return {
        "exclude": [r"^404\.html$", r"^robots\.txt$", r"^search/"],
        "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.6},
        "changefreqs": {"articles": "monthly", "indexes": "monthly", "pages": "monthly"},
    }


@dataclass(frozen=True)
class SitemapSettings:
    """SITEMAP in the settings."""

    sitemap: Mapping[str, Any] = field(default_factory=_sitemap)
    """pelican-sitemap's setting: "exclude", the regular expressions of the addresses
    left out; "priorities" and "changefreqs", per kind of page (articles, pages,
    indexes). A key it does not name keeps its default here, and so does a kind of page
    within a key; the format is always XML."""


def sitemap_settings(build: Build) -> SitemapSettings:
    """The build's sitemap setting, read once (``build.state(sitemap_settings)``)."""
    return read_declared(SitemapSettings, build.settings)
