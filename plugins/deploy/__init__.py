"""Deployment extras: the CNAME file a static host reads for a custom domain."""

from .cname import normalize_domain
from .plugin import register

__all__ = ["normalize_domain", "register"]
