"""Citations: a BibTeX/CSL-JSON bibliography, pandoc-style in-text citations, reference
lists formatted once per entry with citeproc-py, the /references/ page, and the checks."""

from .plugin import register

__all__ = ["register"]
