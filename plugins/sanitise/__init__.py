"""The security boundary: every piece of HTML made from content passes one sanitiser
(nh3, one allow-list) where it is final, and the build fails if that would change it."""

from .plugin import register

__all__ = ["register"]
