"""Read Markdown sources with YAML front-matter, keeping the text and every position."""

from .frontmatter import FrontMatter, Position, SourceDocument, SourceError, parse_source
from .pagefields import drop_fields
from .plugin import register

__all__ = [
    "FrontMatter",
    "Position",
    "SourceDocument",
    "SourceError",
    "drop_fields",
    "parse_source",
    "register",
]
