"""How a data file marks a fact nobody has supplied yet, and the one test every plugin uses."""

from __future__ import annotations

UNKNOWN = "PLACEHOLDER"


def known(value: object) -> bool:
    """A fact the site may show: a non-blank string that is not a PLACEHOLDER."""
    return isinstance(value, str) and bool(value.strip()) and UNKNOWN not in value
