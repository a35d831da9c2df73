"""Content objects settled once the generators have read everything: each URL worked
out once, and drafts made writable."""

from .plugin import register

__all__ = ["register"]
