"""A memo of citeproc-py's style lookups, in place only while an entry is formatted.

For every element of every entry, citeproc-py runs an XPath query on the parsed style,
walks up to the element's root and finds the cited item's data again: the same few
hundred answers, asked thousands of times. Without the memo a cold build of the
1000-article benchmark exceeds its 10% budget over plain Pelican (docs/performance.md).

It replaces two methods and a property of citeproc-py's classes, and puts them back when
the block ends. It is used only with the citeproc-py releases it was tested on
(TESTED, which pyproject.toml pins); with any other, entries are formatted unmemoized:
slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any

TESTED = ("0.11.",)  # citeproc-py versions whose internals the memo was checked against


class StyleMemo:
    """Answers for one parsed style, which never changes once parsed."""

    __slots__ = ("roots", "xpath")

    def __init__(self) -> None:
        self.xpath: dict[tuple[Any, str], list[Any]] = {}  # (element, query): found
        self.roots: dict[Any, Any] = {}  # element: the root of its tree


def new_memo() -> StyleMemo | None:
    """A memo for one parsed style, or None on a citeproc-py release it was not tested on."""
    return StyleMemo() if version("citeproc-py").startswith(TESTED) else None


@contextmanager
def memoized(memo: StyleMemo | None) -> Iterator[None]:
    """While in the block, citeproc-py's lookups are answered from ``memo`` (if any)."""
    if memo is None:
        yield
        return
    from citeproc.model import CitationStylesElement  # noqa: PLC0415 - citeproc is lazy
    from citeproc.source import CitationItem  # noqa: PLC0415

    search, get_root = CitationStylesElement.xpath_search, CitationStylesElement.get_root
    reference = CitationItem.__dict__["reference"]
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
