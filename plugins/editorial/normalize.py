"""The text the claims lint matches, as a reader sees it, whatever the spelling. Pure.

"FDA-approved" with a non-breaking hyphen (U+2011), `FDA&#8209;approved`, "F.D.A.
approved", a Cyrillic "A" (U+0410) in "FDA", a zero-width space inside a word,
`**FDA**-approved`: each reads as "FDA-approved" in the browser, so each is matched as
that. The folding, in order:

0. inline markup a reader does not see removed: emphasis and strike-through delimiters
   (``*``, ``_``, ``~~``) and the inline HTML tags an editor may write (``<em>``,
   ``<strong>``, ``<span ...>``, ``<a ...>`` …), their text kept: `FDA-<em>approved</em>`,
   `pro*ven*`;
1. character references decoded (``&#8209;``, ``&#x2011;``, ``&shy;``, ``&nbsp;``);
2. NFKC (full-width and mathematical letters, ligatures, no-break spaces);
3. invisible characters removed: format characters (Unicode category Cf: zero-width
   spaces and joiners, U+2060 word joiner, the soft hyphen, bidirectional controls) and
   the other default-ignorable ones (variation selectors, the combining grapheme joiner);
4. every hyphen and dash (U+2010 to U+2015, U+2212 minus, small and full-width
   hyphen-minus) to "-";
5. letters that look like Latin letters to the Latin letter: Unicode's confusables data
   (UTS #39, confusables.txt, as packaged by confusable_homoglyphs; the build reads the
   table confusables.py makes of it) gives each character's prototype; a non-ASCII
   character whose prototype is one ASCII letter or digit becomes it (Cyrillic U+0410
   to "A", Greek U+03BF to "o"). ASCII itself is left as written, so that the rules'
   patterns keep their meaning (TR39 would also turn "m" into "rn");
6. dotted abbreviations joined: "F.D.A." to "FDA", "U.S." to "US".

Every offset into the folded text maps back to the source (``Folded.source``), so a
diagnostic points at the character the editor wrote. The em dash also folds to "-", but
``Folded.clauses`` keeps it, as the clause break it is.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from .confusables import confusables

# Step 0's markup. Character references are decoded after it: "&lt;em&gt;" is text a
# reader sees.
MARKUP = re.compile(r"\*+|_+|~~|</?(?:a|abbr|b|cite|del|dfn|em|i|ins|kbd|mark|q|s|small|span"
                    r"|strong|sub|sup|u)\b[^<>]*>", re.IGNORECASE)
# One unit to fold: a character reference, or a non-ASCII character with its combining
# marks (NFKC composes them).
UNIT = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
                  r"|[^\x00-\x7f][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
                  r"\ufe20-\ufe2f]*")
DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")
# What every dotted abbreviation holds: a letter between two dots. Python's re scans for
# DOTTED at every word boundary (0.1 ms a page); this one only at each dot.
DOT_LETTER_DOT = re.compile(r"\.[A-Za-z]\.")
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2e3a\u2e3b")
CLAUSE_DASHES = frozenset("\u2014\u2015\u2e3a\u2e3b")  # em dashes: kept in Folded.clauses
# Default-ignorable characters that are not format characters (Cf): DerivedCoreProperties.
IGNORABLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f"
                       "\uffa0\U000e0000-\U000e0fff]")


# Characters that make a text read otherwise than it is written: bidirectional controls
# (a right-to-left override shows "devorppa-ADF" as "FDA-approved"), and control characters
# no editor means to type. Raw or as a character reference.
HIDDEN_CHARS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    + "".join(map(chr, [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20),
                        *range(0x7f, 0xa0)])))
HIDDEN = re.compile("[" + re.escape("".join(sorted(HIDDEN_CHARS))) + "]"
                    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|lrm|rlm);")
# The first character of any HIDDEN match. A pattern that starts with one set of
# characters is searched by re in C, character by character; HIDDEN's alternatives are
# tried at every offset (0.06 ms a page), so most pages, which hold none, are told apart
# with this first.
HIDDEN_START = re.compile("[" + re.escape("".join(sorted(HIDDEN_CHARS)) + "&") + "]")
# What cannot start a HIDDEN match: printable ASCII but "&", tab and line breaks. A text of
# these alone holds none.
PLAIN_ASCII = bytes(c for c in range(0x20, 0x7F) if c != ord("&")) + b"\t\n\r"


def hidden_characters(text: str) -> list[tuple[int, str]]:
    """Where ``text`` holds a bidirectional or control character, and which (U+XXXX NAME)."""
    found: list[tuple[int, str]] = []
    if text.isascii() and not text.encode().translate(None, PLAIN_ASCII):
        return found  # most pages: told in C at a tenth of HIDDEN_START's cost
    first = HIDDEN_START.search(text)
    if first is None:
        return found
    for match in HIDDEN.finditer(text, first.start()):
        char = html.unescape(match.group()) if match.group().startswith("&") else match.group()
        if len(char) == 1 and char in HIDDEN_CHARS:
            name = unicodedata.name(char, "CONTROL CHARACTER")
            found.append((match.start(), f"U+{ord(char):04X} {name}"))
    return found


@functools.lru_cache(maxsize=4096)
def fold_unit(unit: str) -> tuple[str, str]:
    """A unit as matched, and as read for clause breaks (em dashes kept)."""
    text = html.unescape(unit) if unit.startswith("&") else unit
    text = unicodedata.normalize("NFKC", text)
    folded, clauses = [], []
    for char in text:
        if unicodedata.category(char) == "Cf" or IGNORABLE.match(char):
            continue
        if char in DASHES:
            folded.append("-")
            clauses.append(char if char in CLAUSE_DASHES else "-")
            continue
        latin = char if char.isascii() else confusables().get(char, char)
        folded.append(latin)
        clauses.append(latin)
    return "".join(folded), "".join(clauses)


@dataclass(frozen=True)
class Folded:
    """The folded text, the same with em dashes kept, and the map back to the source:
    for each replaced piece, where it starts and ends in the folded text and the source."""

    text: str
    clauses: str
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    source_starts: tuple[int, ...] = ()
    source_ends: tuple[int, ...] = ()

    def source(self, offset: int) -> int:
        """The source offset of a folded offset: the piece's start inside a replaced
        piece, the same distance past it after one."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return offset
        if offset < self.ends[index]:
            return self.source_starts[index]
        return self.source_ends[index] + offset - self.ends[index]


def _replace(text: str, clauses: str, pieces: list[tuple[int, int, str, str]]) -> Folded:
    out, out_clauses = [], []
    starts, ends, source_starts, source_ends = [], [], [], []
    last, length = 0, 0
    for start, end, folded, folded_clauses in pieces:
        out.append(text[last:start])
        out_clauses.append(clauses[last:start])
        length += start - last
        starts.append(length)
        out.append(folded)
        out_clauses.append(folded_clauses)
        length += len(folded)
        ends.append(length)
        source_starts.append(start)
        source_ends.append(end)
        last = end
    out.append(text[last:])
    out_clauses.append(clauses[last:])
    return Folded("".join(out), "".join(out_clauses), tuple(starts), tuple(ends),
                  tuple(source_starts), tuple(source_ends))


def _chain(outer: Folded, inner: Folded) -> Folded:
    """``outer`` folded from ``inner``'s text; the map back to ``inner``'s source."""
    return _Chained(outer.text, outer.clauses, outer.starts, outer.ends,
                    outer.source_starts, outer.source_ends, inner)


@dataclass(frozen=True)
class _Chained(Folded):
    inner: Folded | None = None

    def source(self, offset: int) -> int:
        middle = Folded.source(self, offset)
        return self.inner.source(middle) if self.inner is not None else middle


@dataclass(frozen=True)
class _Unmarked(Folded):
    """The folding of a text whose markup was removed first: mapped back through both."""

    unmarked: Folded | None = None
    folded: Folded | None = None

    def source(self, offset: int) -> int:
        return self.unmarked.source(self.folded.source(offset))  # type: ignore[union-attr]


def fold(text: str) -> Folded:
    """``text`` as the claims lint reads it (see the module's docstring)."""
    if "*" in text or "_" in text or "~" in text or "<" in text:
        marks = [(m.start(), m.end(), "", "") for m in MARKUP.finditer(text)]
        if marks:
            unmarked = _replace(text, text, marks)
            folded = _fold_text(unmarked.text)
            return _Unmarked(folded.text, folded.clauses, unmarked=unmarked, folded=folded)
    return _fold_text(text)


def _fold_text(text: str) -> Folded:
    """Steps 1 to 6."""
    pieces = []
    if not text.isascii() or "&" in text:
        for match in UNIT.finditer(text):
            folded, folded_clauses = fold_unit(match.group())
            if folded != match.group() or folded_clauses != match.group():
                pieces.append((match.start(), match.end(), folded, folded_clauses))
    first = _replace(text, text, pieces) if pieces else Folded(text, text)
    # Each "F." of "F.D.A." is a piece of its own, so that every letter maps back to itself.
    dotted = [(start, start + 2, first.text[start], first.text[start])
              for m in DOTTED.finditer(first.text) for start in range(m.start(), m.end(), 2)
              ] if DOT_LETTER_DOT.search(first.text) else []
    if not dotted:
        return first
    return _chain(_replace(first.text, first.clauses, dotted), first)
