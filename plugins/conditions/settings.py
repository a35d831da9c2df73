"""The conditions plugin's settings, declared once with their defaults (read_declared:
pelicanconf.py sets one only to change it); see docs/front-matter.md. Each field is the
setting of its name in upper case (``condition_url`` is CONDITION_URL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.diagnostics.settings import read_declared

if TYPE_CHECKING:
    from plugins.diagnostics import Build

CONDITION_URL = "conditions/{slug}/"
# The one page for the conditions LDN has not been tested in (no page of their own).
UNTESTED_URL = "conditions/without-trials/"


@dataclass(frozen=True)
class ConditionSettings:
    """The registry's file and the conditions pages' addresses, titles and summaries."""

    conditions_registry: str = "conditions.yaml"
    """The registry of conditions, under PATH: the names a page's `conditions:` may use."""
    condition_url: str = CONDITION_URL
    """A condition's page."""
    condition_save_as: str = "conditions/{slug}/index.html"
    """Where a condition's page is written."""
    conditions_url: str = "conditions/"
    """The page that lists every condition, grouped by kind."""
    conditions_save_as: str = "conditions/index.html"
    """Where that page is written."""
    conditions_title: str = "Conditions"
    """That page's title."""
    conditions_summary: str = ("The conditions this site discusses, grouped by kind, "
                               "with the articles about each.")
    """That page's summary."""
    conditions_untested_url: str = UNTESTED_URL
    """The one page of the conditions no study record shows LDN tested in."""
    conditions_untested_save_as: str = f"{UNTESTED_URL}index.html"
    """Where that page is written."""
    conditions_untested_title: str = "Conditions without clinical trials"
    """That page's title."""
    conditions_untested_summary: str = (
        "LDN has not been tested in these conditions in any clinical trial in our sources. "
        "For each one, this page says what is known. LDN has not been shown to help them.")
    """That page's summary."""


def condition_settings(build: Build) -> ConditionSettings:
    """The build's condition settings, read once (``build.state(condition_settings)``)."""
    return read_declared(ConditionSettings, build.settings)
