"""Integrity: what Crossref and PubMed say of the cited works (retractions, corrections,
expressions of concern) and what is new since each page's review. `invoke audit` writes
the data file (content/integrity.yaml); the build reads it, offline."""

from .plugin import register

__all__ = ["register"]
