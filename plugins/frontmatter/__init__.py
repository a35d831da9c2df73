"""The declared front-matter schema: every field, its type and whether it is required."""

from .findings import Finding, report_all
from .plugin import register
from .schema import FIELDS, Field, validate

__all__ = ["FIELDS", "Field", "Finding", "register", "report_all", "validate"]
