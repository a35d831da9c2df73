"""Editorial and safety gates: the raw-HTML lint, the claims lint, readability, the
files allowed under content/, and the data behind ``invoke report``."""

from .plugin import register

__all__ = ["register"]
