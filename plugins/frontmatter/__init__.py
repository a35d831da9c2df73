"""The declared front-matter schema: every field, its type and whether it is required."""

from .plugin import register
from .schema import FIELDS, Field, validate

__all__ = ["FIELDS", "Field", "register", "validate"]
