"""Read Markdown sources with YAML front-matter, keeping the text and every position."""

from .document import FrontMatter, SourceDocument, parse_source
from .pagefields import drop_fields
from .plugin import register
from .yamldoc import Position, SourceError

__all__ = [
    "FrontMatter",
    "Position",
    "SourceDocument",
    "SourceError",
    "drop_fields",
    "parse_source",
    "register",
]
