"""Conditions taxonomy: the registry, each page's conditions, and the /conditions/ pages."""

from .plugin import register
from .registry import Condition, Group, Registry, load_registry, parse_registry

__all__ = ["Condition", "Group", "Registry", "load_registry", "parse_registry", "register"]
