"""The XML sitemap, every value escaped (it replaces pelican-sitemap, which is not)."""

from .plugin import register

__all__ = ["register"]
