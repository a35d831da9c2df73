"""Find pandoc-style citations (``[@key]``, ``[see @a, p. 4; @b]``) in Markdown source.

Pure: text in, citations with their offsets out. Code spans, fenced code, escaped
brackets (``\\[@x]``), links (``[@x](url)``) and e-mail addresses are not citations.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Letters, digits and ``_ - : .`` inside; no trailing punctuation, so "[@a.]" cites 'a'.
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.\-]*[A-Za-z0-9_])?"
ITEM = re.compile(rf"(?:(?<=\s)|^)(?P<suppress>-?)@(?P<key>{KEY})")
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})", re.MULTILINE)
BACKTICKS = re.compile(r"`+")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# "[text](url "title")" and "[text][label]" are links, whatever the text holds.
LINK_TAIL = re.compile(r"""\(\s*(?:<[^<>\n]*>|[^\s()<>]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)"""
                       r"|\[[^\[\]]*\]")


class CiteItem(NamedTuple):
    """One cited key; ``offset`` is the position of its '@' in the text."""

    key: str
    offset: int
    prefix: str = ""
    suffix: str = ""


class Citation(NamedTuple):
    """A bracketed citation: ``text[start:end]`` is ``[...]`` and cites ``items`` in order."""

    start: int
    end: int
    items: tuple[CiteItem, ...]


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of fenced code blocks and inline code spans, as (start, end) offsets."""
    if "`" not in text and "~~~" not in text:
        return []  # most articles: no code to skip, so no regex search for it
    ranges: list[tuple[int, int]] = []
    pos = 0
    while (opening := FENCE.search(text, pos)) is not None:
        fence = opening.group("fence")
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$",
                             re.MULTILINE)
        line_end = text.find("\n", opening.end())
        body_start = len(text) if line_end < 0 else line_end + 1
        match = closing.search(text, body_start)
        end = len(text) if match is None else match.end()
        ranges.extend(_code_spans(text, pos, opening.start()))
        ranges.append((opening.start(), end))
        pos = end
    ranges.extend(_code_spans(text, pos, len(text)))
    return ranges


def _code_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Inline code: a run of n backticks up to the next run of exactly n."""
    spans: list[tuple[int, int]] = []
    runs = list(BACKTICKS.finditer(text, start, stop))
    index = 0
    while index < len(runs):
        run = runs[index]
        if _escaped(text, run.start()):
            run_len = len(run.group()) - 1  # "\`" is a literal backtick; the rest may open
            if run_len == 0:
                index += 1
                continue
        else:
            run_len = len(run.group())
        for later in range(index + 1, len(runs)):
            if len(runs[later].group()) == run_len:
                spans.append((run.start(), runs[later].end()))
                index = later
                break
        index += 1
    return spans


def _escaped(text: str, pos: int) -> bool:
    """True if the character at ``pos`` follows an odd number of backslashes."""
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in ranges)


def parse_items(inner: str, base: int) -> tuple[CiteItem, ...] | None:
    """The items of ``[inner]``, or None when any part lacks a key (then it is no citation)."""
    items: list[CiteItem] = []
    pos = 0
    for part in inner.split(";"):
        match = ITEM.search(part)
        if match is None:
            return None
        prefix = part[: match.start()].strip()
        suffix = part[match.end():].strip()
        items.append(CiteItem(match.group("key"), base + pos + match.start("suppress")
                              + len(match.group("suppress")), prefix, suffix))
        pos += len(part) + 1
    return tuple(items)


def find_citations(text: str) -> list[Citation]:
    """Every citation in Markdown ``text``, in order of appearance."""
    if "@" not in text:
        return []
    code = code_ranges(text)
    found: list[Citation] = []
    pos = 0
    while (start := text.find("[", pos)) >= 0:
        pos = start + 1
        end = text.find("]", start)
        if end < 0:
            break
        inner = text[start + 1 : end]
        if "[" in inner or "@" not in inner or BLANK_LINE.search(inner):
            continue
        if _escaped(text, start) or _inside(start, code) or LINK_TAIL.match(text, end + 1):
            continue
        items = parse_items(inner, start + 1)
        if items is None or any(_inside(item.offset, code) for item in items):
            continue
        found.append(Citation(start, end + 1, items))
        pos = end + 1
    return found
