"""Split Markdown prose into sentences, with offsets. Pure.

A sentence never runs across a block boundary (a blank line, a heading, a list item, a
table row), and a full stop after a common abbreviation ("e.g.", "et al.", "vs.") or
inside a number ("4.5 mg") does not end one.
"""

from __future__ import annotations

import re
from typing import NamedTuple

BLOCK_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|[-+*][ \t]|\d+[.)][ \t]|\||:[ \t])")
END = re.compile(r"[.!?][\"'\u201d\u2019)\]*_]*\s+(?=[\"'\u201c\u2018(\[*_]*[A-Z0-9])")
ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|vs|cf|approx|Dr|Mr|Mrs|Ms|Prof|St|No|Fig|Vol|pp?|ca|U\.S|"
    r"Inc|Ltd|Co|Jr|Sr|etc|al)|\b[A-Z])\.$")
# A callout's title or an evidence table's caption: a block of its own.
CALLOUT_LINE = re.compile(r"^[ \t]*!!!|^!evidence\b")


class Sentence(NamedTuple):
    start: int  # offset into the body
    text: str


def blocks(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each block: a paragraph, a list item, a heading or a table row."""
    found: list[tuple[int, str]] = []
    start, offset = None, 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if CALLOUT_LINE.match(line):
            if start is not None:
                found.append((start, text[start:offset]))
            found.append((offset, line))
            start = None
        elif not stripped or BLOCK_START.match(line):
            if start is not None:
                found.append((start, text[start:offset]))
            start = offset if stripped else None
        elif start is None:
            start = offset
        offset += len(line)
    if start is not None:
        found.append((start, text[start:offset]))
    return found


def split(offset: int, block: str) -> list[Sentence]:
    """The sentences of one block that starts at ``offset``."""
    if block.lstrip().startswith("|"):  # a table row reads as one statement
        return [Sentence(offset, block.rstrip())]
    pieces, begin = [], 0
    for match in END.finditer(block):
        candidate = block[begin:match.start() + 1]
        if ABBREVIATIONS.search(candidate):
            continue
        pieces.append(Sentence(offset + begin, candidate))
        begin = match.end()
    if block[begin:].strip():
        pieces.append(Sentence(offset + begin, block[begin:].rstrip()))
    return [s for s in pieces if s.text.strip()]
