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

XPathMemo = dict[tuple[Any, str], list[Any]]

LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")


@contextmanager
def memoized_xpath(memo: XPathMemo) -> Iterator[None]:
    """While in the block, citeproc-py's style lookups are answered from ``memo``.

    citeproc-py finds macros, terms, layouts and inherited options by running an XPath
    query on the style for every element of every entry it formats: the same few
    hundred queries on the same elements, thousands of times, and 40% (AMA) to 60%
    (APA) of its time. The style never changes once parsed, so each (element, query)
    has one answer. The memo belongs to one parsed style and goes with it; the
    element in each key keeps lxml's Python object for it, and so its identity, alive.
    """
    from citeproc.model import CitationStylesElement  # noqa: PLC0415 - only where it runs

    search = CitationStylesElement.__dict__["xpath_search"]

    def xpath_search(element: Any, expression: str) -> list[Any]:
        found = memo.get((element, expression))
        if found is None:
            found = memo[element, expression] = search(element, expression)
        return found

    CitationStylesElement.xpath_search = xpath_search  # type: ignore[method-assign]
    try:
        yield
    finally:
        CitationStylesElement.xpath_search = search  # type: ignore[method-assign]


class CiteprocRun:
    """One parsed style and one source of entries, formatting an entry at a time."""

    def __init__(self, style_path: str, items: list[dict[str, Any]], *, numbered: bool) -> None:
        from citeproc import CitationStylesStyle  # noqa: PLC0415 - only where it runs
        from citeproc.source.json import CiteProcJSON  # noqa: PLC0415

        self.style = CitationStylesStyle(style_path, validate=False)
        self.source = CiteProcJSON(items)
        self.numbered = numbered  # the style numbers its list: the number is not kept
        self.memo: XPathMemo = {}

    def format(self, key: str) -> str:
        """The entry as the style writes it in a reference list, as HTML."""
        from citeproc import (  # noqa: PLC0415
            Citation,
            CitationItem,
            CitationStylesBibliography,
            formatter,
        )

        with warnings.catch_warnings(), memoized_xpath(self.memo):
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
