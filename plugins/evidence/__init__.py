"""Evidence as data: study records, their labels, generated evidence tables and the
condition pages' summaries (see docs/evidence.md)."""

from .plugin import register

__all__ = ["register"]
