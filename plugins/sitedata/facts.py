"""How a data file marks a fact nobody has supplied yet, and the one test every plugin uses."""

from __future__ import annotations

UNKNOWN = "PLACEHOLDER"


def is_placeholder(value: object) -> bool:
    """A value still marked as not supplied, in any case: "PLACEHOLDER: …", "placeholder"."""
    return isinstance(value, str) and UNKNOWN in value.upper()


def known(value: object) -> bool:
    """A fact the site may show: a non-blank string that is not a PLACEHOLDER."""
    return isinstance(value, str) and bool(value.strip()) and not is_placeholder(value)
