"""The theme's table-of-contents setting, declared once with its default (read_declared:
pelicanconf.py sets it only to change it). The templates read it from the context, where
the sources plugin puts the declared value (plugin.py), beside the ``words`` filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.diagnostics.settings import read_declared

if TYPE_CHECKING:
    from plugins.diagnostics import Build


@dataclass(frozen=True)
class TocSettings:
    """TOC_MIN_WORDS in the settings."""

    toc_min_words: int = 1200
    """A page with more words of running text than this (tables and code not counted)
    gets a table of contents, a back-to-top link and, on wide screens, a side column for
    them (theme/templates/base.html and partials/document.html)."""


def toc_settings(build: Build) -> TocSettings:
    """The build's table-of-contents setting, read once (``build.state(toc_settings)``)."""
    return read_declared(TocSettings, build.settings)
