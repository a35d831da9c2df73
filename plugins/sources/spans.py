"""What in a Markdown body is code and what is an HTML comment: the one reading every
check uses (citations, evidence directives, the editorial lints). Pure: text in, spans
with their offsets out.

Code is what Python-Markdown (pelicanconf's ``extra``) prints as code:

- a fenced block: a line that starts, at its first column, with three or more backticks
  or tildes (and at most a language or ``{attributes}``), up to a line that is the same
  fence exactly, spaces after it allowed. Python-Markdown reads no indented fence (in a
  list or elsewhere) and no fence without its closing line: those lines are text;
- an indented block: a block (after a blank line) whose lines start with four spaces or
  a tab, unless it follows a list, where the indentation continues the list's item and
  only a second level of indentation is code;
- a code span: a run of backticks up to the next run of as many (Python-Markdown's
  ``BacktickInlineProcessor``, its fallback to a shorter closing run included), within
  one block; a backslash before the run's first backtick makes that one text.

An HTML comment is read as a browser reads one: from ``<!--`` to the first ``-->`` or
``--!>``, ``<!-->`` and ``<!--->`` are whole comments, and an unclosed one runs to the
end. Whichever of a comment and a code span opens first wins: a backtick inside a comment
opens nothing, and a ``<!--`` inside a code span is code.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import NamedTuple

from markdown.extensions.fenced_code import FencedBlockPreprocessor

TAB_LENGTH = 4
# Python-Markdown's own pattern, so that what is fenced here is what it fences.
FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
BLANK_LINE = re.compile(r"\n[ \t]*\n")
LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.)[ ]+\S")
# Where a new block starts inside a chunk without a blank line: a code span never runs
# from a heading or a list item into the next.
BLOCK_LINE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|[*+-][ \t]|\d+\.[ \t])", re.MULTILINE)
COMMENT = re.compile(r"<!--(?:-?>|.*?(?:--!?>|\Z))", re.DOTALL)
OPENERS = re.compile(r"`+|<!--")
NOT_NEWLINE = re.compile(r"[^\n]")


class Span(NamedTuple):
    """``text[start:end]`` is one fenced or indented block, code span or comment."""

    start: int
    end: int
    kind: str  # "fence", "indented", "code" or "comment"


class Spans(NamedTuple):
    """The code and the comments of a text, each in order of offset."""

    blocks: tuple[Span, ...]  # fenced and indented code blocks
    inline: tuple[Span, ...]  # code spans and comments, outside the blocks

    @property
    def code(self) -> list[tuple[int, int]]:
        """Code blocks and code spans: what Markdown prints as code."""
        return _merged(self.blocks + tuple(s for s in self.inline if s.kind == "code"))

    @property
    def hidden(self) -> list[tuple[int, int]]:
        """Code and comments: what a visitor never reads as text."""
        return _merged(self.blocks + self.inline)

    @property
    def marked(self) -> list[tuple[int, int]]:
        """Fenced code, code spans and comments: what the writer marked as not text. An
        indented block is code too, but a line indented by mistake lands in one, so a
        check that reports misplaced lines still reads it."""
        return _merged(tuple(s for s in self.blocks + self.inline if s.kind != "indented"))


def _merged(spans: tuple[Span, ...]) -> list[tuple[int, int]]:
    return sorted((span.start, span.end) for span in spans)


def parse(text: str) -> Spans:
    """The code blocks, code spans and comments of Markdown ``text``."""
    blocks = code_blocks(text)
    inline: list[Span] = []
    last = 0
    for start, end in [(s.start, s.end) for s in blocks] + [(len(text), len(text))]:
        inline += _inline(text, last, start)
        last = end
    return Spans(blocks, tuple(inline))


def code_blocks(text: str) -> tuple[Span, ...]:
    """Fenced and indented code blocks, in order."""
    fences: list[Span] = []
    if holds(text, "```") or holds(text, "~~~"):
        # Python-Markdown expands tabs before it looks for fences; a tab for a space
        # keeps the offsets.
        spaced = text.replace("\t", " ")
        fences = [Span(m.start(), m.end(), "fence") for m in FENCED_BLOCK.finditer(spaced)]
    if not ("\n    " in text or ("\t" in text and "\n\t" in text)
            or text.startswith(("    ", "\t"))):
        return tuple(fences)
    found: list[Span] = []
    last = 0
    for start, end in [(s.start, s.end) for s in fences] + [(len(text), len(text))]:
        found += _indented(text, last, start)
        found += [s for s in fences if s.start == start]
        last = end
    return tuple(found)


def _indent(line: str) -> int:
    """The width of a line's indentation, tabs to the next multiple of four."""
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(TAB_LENGTH))


def _indented(text: str, start: int, stop: int) -> list[Span]:
    """Indented code blocks in ``text[start:stop]``, a part without fenced code."""
    found: list[Span] = []
    depth = 0  # lists open: an indented block in one continues its last item
    for match in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text[start:stop]):
        chunk_start = start + match.start()
        lines = match.group().splitlines(keepends=True)
        indent = _indent(lines[0])
        if indent < TAB_LENGTH and not LIST_ITEM.match(lines[0]):
            depth = 0  # a paragraph, a heading...: any list before it has ended
            continue
        elif indent >= TAB_LENGTH * (depth + 1):
            # The indented lines are code; the first that is not ends the block.
            end = chunk_start
            for line in lines:
                if _indent(line) < TAB_LENGTH * (depth + 1):
                    break
                end += len(line)
            found.append(Span(chunk_start, end - (text[end - 1] == "\n"), "indented"))
            continue
        for line in lines:  # items of a list, nested ones included
            if LIST_ITEM.match(line.lstrip(" \t")):
                depth = max(depth, _indent(line) // TAB_LENGTH + 1)
    return found


def _inline(text: str, start: int, stop: int) -> list[Span]:
    """Code spans and comments in ``text[start:stop]``, a part without code blocks."""
    part = text[start:stop]
    if "`" not in part and not holds(part, "<!--"):
        return []
    found: list[Span] = []
    pos = start
    while (opener := OPENERS.search(text, pos, stop)) is not None:
        if opener.group() == "<!--":
            comment = COMMENT.match(text, opener.start(), stop)
            end = stop if comment is None else comment.end()
            found.append(Span(opener.start(), end, "comment"))
            pos = end
            continue
        run_start = opener.start()
        if escaped(text, run_start):
            run_start += 1  # "\`" is a literal backtick; the rest of the run may open
            if run_start == opener.end():
                pos = opener.end()
                continue
        end = _closing(text, run_start, opener.end(), _block_end(text, run_start, stop))
        if end is None:
            pos = opener.end()
            continue
        found.append(Span(run_start, end, "code"))
        pos = end
    return found


def _block_end(text: str, pos: int, stop: int) -> int:
    """Where the block that holds ``pos`` ends: a blank line or a new heading or item."""
    ends = [stop]
    if (blank := BLANK_LINE.search(text, pos, stop)) is not None:
        ends.append(blank.start())
    line_end = text.find("\n", pos, stop)
    if line_end >= 0 and (new := BLOCK_LINE.search(text, line_end + 1, stop)) is not None:
        ends.append(new.start())
    return min(ends)


def _closing(text: str, start: int, after: int, stop: int) -> int | None:
    """The end of the code span that the run ``text[start:after]`` opens, or None.

    As Python-Markdown's ``find_code_spans``: the first later run of as many backticks
    closes it; failing that, the longest shorter run closes it and the opening run's
    extra backticks are text."""
    ticks = after - start
    longest, longest_end = 0, 0
    for run in re.finditer(r"`+", text[after:stop]):
        length = run.end() - run.start()
        if length == ticks:
            return after + run.end()
        if length > longest:
            longest, longest_end = length, after + run.end()
    return longest_end if 0 < longest < ticks else None


def escaped(text: str, pos: int) -> bool:
    """True if the character at ``pos`` follows an odd number of backslashes."""
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def holds(text: str, marker: str) -> bool:
    """``marker in text``, told at once when ``text`` lacks the marker's first character.

    Python looks for one character with memchr, fifty times quicker than for a longer
    marker (about 1 ns a character, 3 us a page); the markers a check looks for first
    ("<!--", "!!!", "!safety", a fence) start with characters most pages never hold."""
    return marker[0] in text and marker in text


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[offset]``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def offset_of(text: str, line: int, col: int) -> int:
    """The offset of a 1-based line and column of ``text``: ``line_col`` undone."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
    return start + col - 1


def inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` is in one of ``ranges`` (sorted, not overlapping)."""
    index = bisect.bisect_right(ranges, (pos, math.inf)) - 1
    return index >= 0 and ranges[index][0] <= pos < ranges[index][1]


def blank(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with every character of each range, newlines kept, replaced by a space:
    offsets into the copy are offsets into ``text``."""
    pieces, last = [], 0
    for start, end in ranges:
        pieces += [text[last:start], NOT_NEWLINE.sub(" ", text[start:end])]
        last = end
    return "".join(pieces) + text[last:] if pieces else text
