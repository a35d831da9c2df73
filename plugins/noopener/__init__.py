"""rel="noopener" on every link to another site, in every page Pelican writes."""

from .plugin import register
from .rewrite import add_noopener, file_has_candidates, has_candidates

__all__ = ["add_noopener", "file_has_candidates", "has_candidates", "register"]
