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
NAMES = "{http://purl.org/net/xbiblio/csl}names"
# What citeproc-py (model.Names.process) adds to a <names> that has no <name>, on every
# render: a Name element without the CSL namespace, which its own lookup never finds.
ADDED_NAME = "Name"


class CiteprocRun:
    """One parsed style and one source of entries, formatting an entry at a time."""

    def __init__(self, style_path: str, items: list[dict[str, Any]], *, numbered: bool) -> None:
        self.style = CitationStylesStyle(style_path, validate=False)
        self.source = CiteProcJSON(items)
        self.numbered = numbered  # the page numbers its list itself: citeproc's goes
        self.memo = new_memo()
        # Every render adds a Name to these (ADDED_NAME), so the style grows by an element
        # per entry and each lookup among their children gets slower: a 20,000-entry
        # bibliography took time quadratic in entries. They are taken out after each entry,
        # which every entry then meets as the first did (docs/performance.md).
        self.names = list(self.style.root.iter(NAMES))

    def format(self, key: str) -> str:
        """The entry as the style writes it in a reference list, as HTML."""
        with warnings.catch_warnings(), memoized(self.memo):
            warnings.simplefilter("ignore")  # citeproc-py warns on CSL features it skips
            bib = CitationStylesBibliography(self.style, self.source, formatter.html)
            bib.register(Citation([CitationItem(key)]))
            try:
                text = str(bib.bibliography()[0])
            finally:
                self._remove_added_names()
        if self.numbered:
            text = LEADING_NUMBER.sub("", text, count=1)
        return text.strip()

    def _remove_added_names(self) -> None:
        for names in self.names:
            for child in [c for c in names if c.tag == ADDED_NAME]:
                names.remove(child)
