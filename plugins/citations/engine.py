"""citeproc-py: the worker process's script, and what formats an entry in any process.

Run as ``python -S -P engine.py REQUEST ANSWER`` (see worker.Worker), it formats the
entries the request file asks for, writes their HTML to the answer file and exits. It
imports only the standard library's smallest modules and citeproc-py: no site module
(-S; the request says where citeproc-py is) and nothing of Pelican or of the plugin,
so the process takes 0.03 s to start instead of 0.07 s. -P keeps this folder, which
holds modules named like the standard library's (cache, check, ...), off sys.path.

The build uses ``CiteprocRun`` in its own process only when the worker cannot run.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")


class StyleMemo:
    """Answers to citeproc-py's lookups in one parsed style, which never changes once
    parsed. The elements in the keys keep lxml's Python objects for them, and so their
    identities, alive; the memo goes with the style."""

    __slots__ = ("roots", "xpath")

    def __init__(self) -> None:
        self.xpath: dict[tuple[Any, str], list[Any]] = {}  # (element, query): found
        self.roots: dict[Any, Any] = {}  # element: the root of its tree


@contextmanager
def memoized(memo: StyleMemo) -> Iterator[None]:
    """While in the block, citeproc-py's lookups are answered from ``memo``.

    For every element of every entry it formats, citeproc-py runs an XPath query on
    the style (macros, terms, layouts, inherited options), finds the element's root,
    and finds the cited entry's data again through four attribute lookups: the same
    few hundred queries thousands of times, and half (AMA) to three quarters (APA) of its
    time. Each query on an element has one answer, and so has each element's root;
    a citation item's data is looked up once per entry formatted (the block).

    A citeproc-py whose internals differ is used as it is: slower, never wrong.
    """
    from citeproc.model import CitationStylesElement  # noqa: PLC0415 - only where it runs
    from citeproc.source import CitationItem  # noqa: PLC0415

    search = CitationStylesElement.__dict__.get("xpath_search")
    get_root = CitationStylesElement.__dict__.get("get_root")
    reference = CitationItem.__dict__.get("reference")
    if not (callable(search) and callable(get_root) and isinstance(reference, property)
            and reference.fget is not None):
        yield
        return
    references: dict[int, tuple[Any, Any]] = {}  # id(item): (item, its data); item kept

    def memo_search(element: Any, expression: str) -> list[Any]:
        found = memo.xpath.get((element, expression))
        if found is None:
            found = memo.xpath[element, expression] = search(element, expression)
        return found

    def memo_root(element: Any) -> Any:
        root = memo.roots.get(element)
        if root is None:
            root = memo.roots[element] = get_root(element)
        return root

    def memo_reference(item: Any) -> Any:
        found = references.get(id(item))
        if found is None:
            found = references[id(item)] = (item, reference.fget(item))
        return found[1]

    CitationStylesElement.xpath_search = memo_search  # type: ignore[method-assign]
    CitationStylesElement.get_root = memo_root  # type: ignore[method-assign]
    CitationItem.reference = property(memo_reference)  # type: ignore[method-assign]
    try:
        yield
    finally:
        CitationStylesElement.xpath_search = search  # type: ignore[method-assign]
        CitationStylesElement.get_root = get_root  # type: ignore[method-assign]
        CitationItem.reference = reference  # type: ignore[method-assign]


class CiteprocRun:
    """One parsed style and one source of entries, formatting an entry at a time."""

    def __init__(self, style_path: str, items: list[dict[str, Any]], *, numbered: bool) -> None:
        from citeproc import CitationStylesStyle  # noqa: PLC0415 - only where it runs
        from citeproc.source.json import CiteProcJSON  # noqa: PLC0415

        self.style = CitationStylesStyle(style_path, validate=False)
        self.source = CiteProcJSON(items)
        self.numbered = numbered  # the style numbers its list: the number is not kept
        self.memo = StyleMemo()

    def format(self, key: str) -> str:
        """The entry as the style writes it in a reference list, as HTML."""
        from citeproc import (  # noqa: PLC0415
            Citation,
            CitationItem,
            CitationStylesBibliography,
            formatter,
        )

        with warnings.catch_warnings(), memoized(self.memo):
            warnings.simplefilter("ignore")  # citeproc-py warns on CSL features it skips
            bib = CitationStylesBibliography(self.style, self.source, formatter.html)
            bib.register(Citation([CitationItem(key)]))
            text = str(bib.bibliography()[0])
        if self.numbered:
            text = LEADING_NUMBER.sub("", text, count=1)
        return text.strip()


def format_all(request: dict[str, Any]) -> dict[str, str | None]:
    """``request["keys"]`` formatted: None for an entry citeproc-py fails on."""
    run = CiteprocRun(request["style"], request["items"], numbered=request["numbered"])
    formatted: dict[str, str | None] = {}
    for key in request["keys"]:
        try:
            formatted[key] = run.format(key)
        except Exception:  # citeproc-py raises many kinds of errors on odd data
            formatted[key] = None
    return formatted


def main(argv: list[str]) -> int:
    """``engine.py REQUEST ANSWER``: format what the request file asks, write the answer."""
    request_path, answer_path = argv
    # open(), not pathlib: citeproc-py does not import pathlib, so the worker need not.
    with open(request_path, encoding="utf-8") as file:  # noqa: PTH123
        request = json.load(file)
    sys.path[:0] = request.get("path", [])  # where citeproc-py and lxml are
    answer = json.dumps(format_all(request), ensure_ascii=False)
    with open(answer_path, "w", encoding="utf-8") as file:  # noqa: PTH123
        file.write(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
