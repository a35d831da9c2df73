"""Reading grade, words and reading time of a page's prose. Pure, but for textstat.

What is measured is the running text a reader reads: not the front-matter, code, tables,
reference lists, callouts' titles ("**In short:**", an admonition's title), HTML tags
or citation markup; a Markdown link counts as its text, and a heading or list item
without a full stop is still a sentence of its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import NamedTuple

from plugins.citations.syntax import Citation, scan
from plugins.sources.spans import Spans, blank

from .text import reference_sections, without_code

WORDS_PER_MINUTE = 200  # a common figure for adults reading on screen
TABLE_ROW = re.compile(r"^[ \t]*\|[^\n]*$", re.MULTILINE)
LINK = re.compile(r"!?\[([^\[\]]*)\]\([^)]*\)")
TAG = re.compile(r"<[^>]+>")
ATTRS = re.compile(r"\s*\{[:#.][^}]*\}")  # attribute lists: {: .class} or {#id}
# A callout's title: a bold lead-in that ends in a colon, or an admonition's first line.
CALLOUT_TITLE = re.compile(r"^(?:[ \t]*(?:[-+*]|\d+\.)?[ \t]*)(?:\*\*[^*\n]+:\*\*|__[^_\n]+:__)"
                           r"|^[ \t]*(?:!!!|\?\?\?)[^\n]*$", re.MULTILINE)
MARKUP = re.compile(r"[*_]{1,3}|^#{1,6}\s*|^\s*(?:[-+*]|\d+\.)\s+|^>\s?|^:\s+", re.MULTILINE)


class Readability(NamedTuple):
    grade: float  # Flesch-Kincaid US school grade
    words: int
    minutes: int  # reading time, rounded up


def _without_citations(source: str, body: str, citations: Iterable[Citation] | None) -> str:
    """``body`` (``source`` with parts blanked) less each citation of ``source`` and the
    space before it."""
    if citations is None:
        citations = scan(source).citations if "@" in source else ()
    pieces, last = [], 0
    for citation in citations:
        pieces.append(body[last:citation.start].rstrip())
        last = citation.end
    return "".join(pieces) + body[last:]


def prose(body: str, parsed: Spans | None = None,
          citations: Iterable[Citation] | None = None) -> str:
    """The page's running text, one sentence or more per line. ``parsed`` and
    ``citations`` are the body's spans and citations, when the caller has them (the
    page's)."""
    text = without_code(body, parsed)
    text = blank(text, reference_sections(text))
    body = _without_citations(body, text, citations)
    body = TABLE_ROW.sub("", body)
    body = CALLOUT_TITLE.sub("", body)
    body = LINK.sub(r"\1", body)
    body = TAG.sub("", body)
    body = ATTRS.sub("", body)
    body = MARKUP.sub("", body)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return "\n".join(line if line[-1] in ".!?:" else line + "." for line in lines)


def measure(body: str, parsed: Spans | None = None,
            citations: Iterable[Citation] | None = None) -> Readability:
    import textstat  # noqa: PLC0415 - loads a pronouncing dictionary: only when measured

    text = prose(body, parsed, citations)
    words = textstat.lexicon_count(text)
    grade = textstat.flesch_kincaid_grade(text) if words else 0.0
    return Readability(round(grade, 1), words, math.ceil(words / WORDS_PER_MINUTE))
