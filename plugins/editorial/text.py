"""Which parts of a Markdown body each check reads. Pure: string in, string out.

Every function returns a copy of the body of the same length in which the parts a check
must not read are blanked (each character but a newline becomes a space), so an offset
into the copy is an offset into the body, and positions stay exact.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*(?P=fence)[ \t]*$|\Z)",
                   re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.DOTALL)
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*", re.MULTILINE)
# A quotation on one line: "..." or “...” (typogrify curls the straight ones later).
QUOTATION = re.compile(r"\"[^\"\n]+\"|\u201c[^\u201d\n]+\u201d")
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>[^\n]*)$", re.MULTILINE)
REFERENCE_HEADINGS = re.compile(r"^(?:references|further reading|sources|bibliography)\b",
                                re.IGNORECASE)
TABLE_ROW = re.compile(r"^[ \t]*\|[^\n]*$", re.MULTILINE)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character of each span, newlines kept, replaced by a space."""
    chars = list(text)
    for start, end in spans:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def without_code(body: str) -> str:
    """The body less fenced code blocks, code spans and HTML comments: what is markup."""
    body = blank(body, _spans(FENCE, body))
    body = blank(body, _spans(COMMENT, body))
    return blank(body, _spans(CODE_SPAN, body))


def reference_sections(body: str) -> list[tuple[int, int]]:
    """Sections headed References, Further reading, Sources or Bibliography."""
    spans = []
    headings = list(HEADING.finditer(body))
    for index, heading in enumerate(headings):
        if not REFERENCE_HEADINGS.match(heading.group("text").strip("*_ ")):
            continue
        level = len(heading.group("hashes"))
        end = len(body)
        for later in headings[index + 1:]:
            if len(later.group("hashes")) <= level:
                end = later.start()
                break
        spans.append((heading.start(), end))
    return spans


def prose(body: str) -> str:
    """What the claims lint reads: the body less code, comments, block quotations,
    quotations in quotation marks and reference lists."""
    body = without_code(body)
    body = blank(body, _spans(BLOCKQUOTE, body))
    body = blank(body, reference_sections(body))
    return blank(body, _spans(QUOTATION, body))
