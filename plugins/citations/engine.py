"""citeproc-py: every entry to format registered in one bibliography, formatted together.

Run as a script by plugins/citations/apart.py, in a process of its own: a pickled request
(style path, items, numbered) on stdin, the pickled result on stdout.
"""

from __future__ import annotations

import pickle
import re
import sys
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

LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")
NAMES = "{http://purl.org/net/xbiblio/csl}names"
NAME = "{http://purl.org/net/xbiblio/csl}name"
SUBSTITUTE = "{http://purl.org/net/xbiblio/csl}substitute"


class NothingPrinted(ValueError):
    """citeproc-py gave no text for an entry."""


def format_entries(style_path: str, items: list[dict[str, Any]], *,
                   numbered: bool) -> dict[str, str | Exception]:
    """Each item (CSL-JSON, its "id" our key) as the style writes it in a reference list,
    as HTML, by id; an item citeproc-py cannot format gets its exception instead.

    ``numbered``: the page numbers its list itself, so citeproc's number goes.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns on CSL features it skips
        style = CitationStylesStyle(style_path, validate=False)
        name_every_names(style)
        texts: dict[str, str | Exception] = {}
        try:
            texts.update(zip([item["id"] for item in items], bibliography(style, items),
                             strict=True))
        except Exception:  # each entry is formatted alone, to find which failed
            for item in items:
                try:
                    texts[item["id"]] = bibliography(style, [item])[0]
                except Exception as error:  # citeproc-py raises many kinds on odd data
                    texts[item["id"]] = error
    for key, text in texts.items():
        if isinstance(text, str):
            texts[key] = (LEADING_NUMBER.sub("", text, count=1) if numbered else text).strip()
    return texts


def bibliography(style: CitationStylesStyle, items: list[dict[str, Any]]) -> list[str]:
    """The items, registered in this order in one bibliography, formatted in that order."""
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
    for item in items:
        bib.register(Citation([CitationItem(str(item["id"]))]))
    texts = [str(text) for text in bib.bibliography()]
    if len(texts) != len(items):
        # An entry that printed nothing is left out of the list (or two ids differ only
        # by case, which citeproc-py folds): the texts no longer line up with the items.
        raise NothingPrinted(f"citeproc-py printed {len(texts)} entries for {len(items)}")
    return texts


def name_every_names(style: CitationStylesStyle) -> None:
    """Give each ``<names>`` without a ``<name>`` the empty ``<name/>`` CSL implies.

    Otherwise citeproc-py (model.Names.process) inserts a Name element without the CSL
    namespace on every render, which its own lookup never finds: the style grows by an
    element an entry and each lookup among their children gets slower, time quadratic in
    entries (docs/performance.md, issue 25). An empty ``<name/>`` inherits every option
    from the style, as that element does, and sits where it would (first). A ``<names>``
    of a ``<substitute>`` is left as it is: it takes the name and label of the
    ``<names>`` it substitutes for, and citeproc-py adds nothing to it.
    """
    for names in style.root.iter(NAMES):
        if names.find(NAME) is None and names.getparent().tag != SUBSTITUTE:
            names.insert(0, names.makeelement(NAME))


PLAIN_ARGS = (str, int, float, bytes, type(None))


def portable(error: Exception) -> Exception | tuple[str, str]:
    """An exception the build's process can unpickle without importing citeproc-py: a
    built-in one with plain arguments as it is, any other as its class name and message."""
    if type(error).__module__ == "builtins" and all(isinstance(a, PLAIN_ARGS)
                                                       for a in error.args):
        return error
    return type(error).__name__, str(error)


def main() -> None:
    style_path, items, numbered = pickle.load(sys.stdin.buffer)  # noqa: S301 - our parent
    texts = format_entries(style_path, items, numbered=numbered)
    pickle.dump({key: text if isinstance(text, str) else portable(text)
                 for key, text in texts.items()}, sys.stdout.buffer)


if __name__ == "__main__":
    main()
