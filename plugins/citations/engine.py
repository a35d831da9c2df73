"""citeproc-py: one parsed style formatting one entry at a time."""

from __future__ import annotations

import re
import warnings
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from .memo import memoized, new_memo

LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")


class CiteprocRun:
    """One parsed style and one source of entries, formatting an entry at a time."""

    def __init__(self, style_path: str, items: list[dict[str, Any]], *, numbered: bool) -> None:
        self.style = CitationStylesStyle(style_path, validate=False)
        self.source = CiteProcJSON(items)
        self.numbered = numbered  # the page numbers its list itself: citeproc's goes
        self.memo = new_memo()

    def format(self, key: str) -> str:
        """The entry as the style writes it in a reference list, as HTML."""
        with warnings.catch_warnings(), memoized(self.memo):
            warnings.simplefilter("ignore")  # citeproc-py warns on CSL features it skips
            bib = CitationStylesBibliography(self.style, self.source, formatter.html)
            bib.register(Citation([CitationItem(key)]))
            text = str(bib.bibliography()[0])
        if self.numbered:
            text = LEADING_NUMBER.sub("", text, count=1)
        return text.strip()
