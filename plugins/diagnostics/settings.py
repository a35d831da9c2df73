"""A plugin's settings, declared once: a frozen dataclass whose fields are the settings'
names in lower case (``style`` of CitationSettings is CITATIONS_STYLE), each with its
default and a docstring. The default is stated there and nowhere else: pelicanconf.py
sets a plugin's setting only to change it (its comments say where each plugin declares
its own). A build reads each declaration once, as a state of its Build:
``build.state(citation_settings)``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .build import Build

Declared = TypeVar("Declared")


def read_declared(declaration: type[Declared], settings: Mapping[str, Any],
                  prefix: str = "") -> Declared:
    """``declaration`` with each field read from the setting ``prefix + NAME``, where the
    settings give it, else left at its default."""
    given = {}
    for item in fields(declaration):  # type: ignore[arg-type]
        name = f"{prefix}{item.name}".upper()
        if name in settings:
            given[item.name] = settings[name]
    return declaration(**given)


@dataclass(frozen=True)
class DiagnosticsSettings:
    """The report's settings; each field is the setting of its name in upper case."""

    diagnostics_warnings_as_errors: tuple[str, ...] | list[str] = ()
    """Warning codes that fail the build, e.g. ["review.overdue"] (publishconf.py)."""
    check_only: bool = False
    """Check every page, print the report and stop before anything is written: set by
    `invoke check` and `invoke report` (plugins/diagnostics/check.py), not by a file."""
    project_root: str | None = None
    """The project's folder (pelicanconf.py sets it to its own): the report's paths are
    relative to it. None: the current folder."""


def diagnostics_settings(build: Build) -> DiagnosticsSettings:
    """The build's diagnostics settings, read once (``build.state(diagnostics_settings)``);
    Build.new reads them first, for its report."""
    return read_declared(DiagnosticsSettings, build.settings)
