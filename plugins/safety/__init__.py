"""Safety statements written once: each block is a file under content/safety/, placed in a
page with a line of its own (``!safety opioids``) and checked to be on every page that
must carry it (see docs/safety.md)."""

from .plugin import register

__all__ = ["register"]
