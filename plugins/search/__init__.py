"""Site search: the Pagefind index, built while Pelican writes the pages (SEARCH_INDEX)."""

from .plugin import register

__all__ = ["register"]
