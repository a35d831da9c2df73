"""Untrusted text stays text: what is HTML is marked so where it is made, or printed
with ``|safe`` in the few template lines that print a page's HTML (see plugin.py)."""

from .plugin import register

__all__ = ["register"]
