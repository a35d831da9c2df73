"""Conditions taxonomy: the registry, each page's conditions, and the /conditions/ pages."""

from .records import Condition, Group, Registry
from .registry import load_registry, parse_registry


def register() -> None:
    # Imported here, not above: another plugin reads this one's settings (settings.py, a
    # leaf) without loading the plugin, whose modules import that other plugin in turn.
    from .plugin import register as connect  # noqa: PLC0415

    connect()

__all__ = ["Condition", "Group", "Registry", "load_registry", "parse_registry", "register"]
