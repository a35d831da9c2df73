"""The front-matter plugin's setting, declared once with its default (read_declared:
pelicanconf.py sets it only to change it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.diagnostics.settings import read_declared

if TYPE_CHECKING:
    from plugins.diagnostics import Build


@dataclass(frozen=True)
class FrontMatterSettings:
    """PAGE_TEMPLATES in the settings."""

    page_templates: tuple[str, ...] | list[str] = ("article", "page")
    """The theme's templates a page's front-matter `template:` may name: those made for
    a page (the others render the build's own pages and expect other data)."""


def front_matter_settings(build: Build) -> FrontMatterSettings:
    """The build's front-matter setting, read once (``build.state(front_matter_settings)``)."""
    return read_declared(FrontMatterSettings, build.settings)
