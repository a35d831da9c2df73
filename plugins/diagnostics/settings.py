"""A plugin's settings, declared once: a frozen dataclass whose fields are the settings'
names in lower case (``style`` of CitationSettings is CITATIONS_STYLE), each with its
default and a docstring. The default is stated there and nowhere else: pelicanconf.py
sets a plugin's setting only to change it (its comments say where each plugin declares
its own). A build reads each declaration once, as a state of its Build:
``build.state(citation_settings)``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, TypeVar

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
