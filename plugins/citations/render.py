"""In-text citations as HTML links, and each article's numbered reference list.

Works on one article at a time. The Markdown gets a placeholder for each citation, and
its HTML goes into the converted page (see placeholders).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple, Protocol, overload

from markupsafe import Markup, escape

from .describe import list_text
from .formatting import Formatted, Formatter, InText
from .listing import back_links, citation_id, items
from .placeholders import placeholder
from .syntax import Citation, CiteItem

PAGE_LOCATOR = re.compile(r"^(?P<label>pp?)\.?\s*(?P<value>.+)$", re.IGNORECASE)


def anchor(key: str) -> str:
    """The id of ``key``'s entry in a reference list, which in-text citations link to."""
    return f"ref-{key}"


@dataclass(slots=True)  # one per cited entry per article: thousands of them
class Reference:
    """One entry of an article's reference list (or further reading), ready for templates."""

    entry: Formatted  # shared by every page citing the work
    number: int | None

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def html(self) -> Markup:
        return self.entry.html

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        return self.entry.links

    @property
    def jsonld(self) -> dict[str, Any]:
        return self.entry.jsonld

    @property
    def anchor(self) -> str:
        return anchor(self.key)


NO_NOTES: Mapping[str, str] = {}


class ReferenceList(Sequence[Reference]):
    """A page's reference list as the page keeps it: each entry's key and citation count.

    Pages are kept until the build ends; the Reference views are made when a template or
    the JSON-LD reads the list.
    Nothing here formats an entry until the list is read, after every page is read: an
    alphabetical list is put in order then, by the formatted text.
    """

    __slots__ = ("_alphabetical", "_counts", "_firsts", "_formatted", "_keys", "_notes",
                 "_numbered")

    def __init__(self, formatted: Mapping[str, Formatted], keys: Iterable[str],
                 counts: Iterable[int], *, numbered: bool = True,
                 alphabetical: bool = False, notes: Mapping[str, str] | None = None) -> None:
        self._formatted = formatted
        self._notes = NO_NOTES if notes is None else notes  # shared, filled later
        self._keys = tuple(keys)
        self._counts = _compact(counts)
        # Each entry's first citation number: 1, 2, 3 ... as given (in first-citation order),
        # so kept only once an alphabetical sort has moved them (a page's list is kept
        # until the build ends).
        self._firsts: tuple[int, ...] | None = None
        self._numbered = numbered  # numbered in list order; further reading is not
        self._alphabetical = alphabetical  # still to be sorted

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Reference: ...

    @overload
    def __getitem__(self, index: slice) -> list[Reference]: ...

    def __getitem__(self, index: int | slice) -> Reference | list[Reference]:
        positions = range(len(self._keys))[index]  # negative indices and IndexError alike
        if isinstance(positions, range):
            return [self._view(i) for i in positions]
        return self._view(positions)

    def __iter__(self) -> Iterator[Reference]:
        keys = self.keys()  # first: an alphabetical list is put in order
        formatted, numbered = self._formatted, self._numbered
        return (Reference(formatted[key], i + 1 if numbered else None)
                for i, key in enumerate(keys))

    def html(self) -> Markup:
        """The list's entries as the theme prints them (listing.py): each as its text,
        made once a build for each entry and note, then its back-links."""
        notes, formatted = self._notes, self._formatted
        text = formatted.list_text if isinstance(formatted, Formatter) else partial(
            _list_text, formatted)
        return items((anchor(key), text(key, notes.get(key, "")), back_links(first, cited))
                     for key, cited, first in zip(self.keys(), self._counts,
                                                  self._first_numbers(), strict=True))

    def entries(self) -> Iterator[Formatted]:
        """The listed entries in list order, without a Reference for each (the JSON-LD
        names each cited work by its entry alone)."""
        formatted = self._formatted
        return (formatted[key] for key in self.keys())

    def keys(self) -> tuple[str, ...]:
        """The listed keys in list order, without making a Reference for each.

        An alphabetical list is put in order the first time it is read.
        """
        if self._alphabetical:
            rows = sorted(zip(self._keys, self._counts, self._first_numbers(), strict=True),
                          key=lambda row: (self._formatted[row[0]].sort_key, row[0]))
            self._keys = tuple(row[0] for row in rows)
            self._counts = _compact(row[1] for row in rows)
            self._firsts = tuple(row[2] for row in rows)
            self._alphabetical = False
        return self._keys

    def _view(self, i: int) -> Reference:
        return Reference(self._formatted[self.keys()[i]], i + 1 if self._numbered else None)

    def _first_numbers(self) -> Sequence[int]:
        return self._firsts or range(1, len(self._keys) + 1)

    def __repr__(self) -> str:
        return f"ReferenceList({list(self._keys)!r})"


def _list_text(formatted: Mapping[str, Formatted], key: str, note: str) -> Markup:
    """As Formatter.list_text, for a list of entries from elsewhere (tests, the preview)."""
    entry = formatted[key]
    return list_text(entry.html, entry.links, note)


def _compact(counts: Iterable[int]) -> Sequence[int]:
    """How often each entry is cited, one byte each when every count fits in one (a list is
    kept by its page until the build ends: a tuple of ten counts is 136 bytes, these 43;
    the 1.2x memory budget at 5,000 articles, docs/performance.md)."""
    values = tuple(counts)
    try:
        return bytes(values)
    except ValueError:  # an entry cited 256 times or more on one page
        return values


def locator(suffix: str, mode: InText) -> str:
    """'p. 4' as AMA writes it after a superscript number ('(p4)'), else unchanged."""
    text = suffix.strip().lstrip(",").strip()
    if not text:
        return ""
    if mode == "superscript":
        match = PAGE_LOCATOR.match(text)
        if match:
            text = f"{match.group('label').lower()}{match.group('value').replace(' ', '')}"
        return f"({text})"
    return f", {text}"


class Labels(Protocol):
    """What rendering needs of the formatter: which keys exist, and their labels."""

    mode: InText

    def __contains__(self, key: object) -> bool: ...

    def label(self, key: str) -> Markup: ...


@dataclass
class ArticleCitations:
    """Numbers keys in order of first citation and renders each citation group.

    It needs no formatted entry, only labels made from the data.
    """

    formatter: Labels
    # pandoc's notes-after-punctuation: a superscript moves after an adjacent '.' or ','
    # ("pain.¹"), as AMA sets it; it stays before ':' and ';'.
    after_punctuation: bool = True
    counts: dict[str, int] = field(default_factory=dict)  # key: citations, by number
    numbers: dict[str, int] = field(default_factory=dict)  # key: number in the list

    @property
    def mode(self) -> InText:
        return self.formatter.mode

    def _link(self, item: CiteItem, mode: InText) -> str:
        if item.key not in self.formatter:
            # Reported as citations.unknown-key, which fails the build before writing.
            return f'<span class="citation-missing">?{escape(item.key)}</span>'
        # One string per key for the whole site, not one per citation: the page keeps
        # its list's keys until the build ends.
        key = sys.intern(item.key)
        number = self.numbers.setdefault(key, len(self.numbers) + 1)
        cited = self.counts[key] = self.counts.get(key, 0) + 1
        text = self.formatter.label(key) if mode == "author-date" else number
        if item.suppress and mode == "author-date":
            text = text.rsplit(", ", 1)[-1]  # "[-@key]": the year alone, as pandoc prints it
        # No copy of the reference here: theme/js/citations.js previews the list entry
        # the link points to, and without a script the link jumps to it. No class: the
        # theme finds it as ".citation a", and a page of tables cites a work on every row.
        return f'<a href="#{anchor(key)}" id="{citation_id(number, cited)}">{text}</a>'


    def render(self, citation: Citation) -> str:
        """The HTML for one ``[...]`` citation group."""
        mode = self.formatter.mode
        pieces = []
        for item in citation.items:
            html = self._link(item, mode)
            if item.suffix:
                html = f"{html}{escape(locator(item.suffix, mode))}"
            if item.prefix and mode != "superscript":
                html = f"{escape(item.prefix)} {html}"
            pieces.append(Piece(self.numbers.get(item.key), html, bool(item.suffix)))
        if mode == "superscript":
            return superscripts(citation.items, pieces)
        if mode == "author-date":
            return f'<span class="citation">({"; ".join(p.html for p in pieces)})</span>'
        if any(item.prefix for item in citation.items):
            return f'<span class="citation">[{", ".join(p.html for p in pieces)}]</span>'
        return f'<span class="citation">[{number_run(pieces, ", ")}]</span>'


class Piece(NamedTuple):
    """One item of a numbered citation group: its number (None if unknown) and HTML."""

    number: int | None
    html: str
    locator: bool  # a locator stays with its own number, outside any range


ID = re.compile(r' id="[^"]*"')


def number_run(pieces: Sequence[Piece], separator: str) -> str:
    """Numbers in order, and three or more consecutive ones as a range (7, en dash, 9), as CSL's
    collapse="citation-number" prints them. A collapsed number keeps its in-text id, on an
    empty span, so that its reference's back-link still lands here."""
    if len(pieces) == 1:
        return pieces[0].html  # most groups cite one work
    ordered = sorted(pieces, key=lambda p: (p.number is None, p.number or 0))
    out: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while (j + 1 < len(ordered) and not ordered[j].locator and not ordered[j + 1].locator
               and ordered[j].number is not None and ordered[j + 1].number is not None
               and ordered[j + 1].number == ordered[j].number + 1):
            j += 1
        if j - i >= 2:
            hidden = "".join(f'<span{ID.search(p.html).group()}></span>'
                             for p in ordered[i + 1:j] if ID.search(p.html))
            out.append(f"{ordered[i].html}{hidden}\u2013{ordered[j].html}")
        else:
            out.extend(p.html for p in ordered[i:j + 1])
        i = j + 1
    return separator.join(out)


def superscripts(items: Sequence[CiteItem], pieces: Sequence[Piece]) -> str:
    """Superscript numbers, each prefix kept with its own item as pandoc keeps it:
    "[see @a; also @b, p. 3]" reads "see¹, also²⁽ᵖ³⁾"; items without a prefix share
    the superscript before them, in order and with ranges ("¹,²", "⁷⁻⁹")."""
    runs: list[tuple[str, list[Piece]]] = []
    for item, piece in zip(items, pieces, strict=True):
        if item.prefix or not runs:
            runs.append((item.prefix, [piece]))
        else:
            runs[-1][1].append(piece)
    return ", ".join(f'{escape(prefix) if prefix else ""}<sup class="citation">'
                     f'{number_run(numbers, ",")}</sup>' for prefix, numbers in runs)


class Rewritten(NamedTuple):
    """A body with a placeholder per citation, and each placeholder's HTML in order."""

    markdown: str
    pieces: list[str]


class Inclusion(NamedTuple):
    """A span of a page's body that another plugin replaces with text of its own (a
    safety block's directive line), bringing citations of its own that are numbered with
    the page's, at that place, exactly as if they were typed there."""

    start: int
    end: int
    citations: tuple[Citation, ...]
    text: Callable[[int], str]  # the span's new text, given its first citation's placeholder


def replace_citations(body: str, citations: Iterable[Citation], renderer: ArticleCitations,
                      inclusions: Sequence[Inclusion] = ()) -> Rewritten:
    """``body`` with every citation replaced by a placeholder, everything else unchanged;
    each inclusion's span by its text, its citations rendered in their place in the order."""
    out: list[str] = []
    pieces: list[str] = []
    pos = 0
    events: Iterable[Citation | Inclusion] = (
        sorted([*citations, *inclusions], key=lambda event: event.start) if inclusions
        else citations)
    for event in events:
        if isinstance(event, Inclusion):
            out.append(body[pos : event.start])
            out.append(event.text(len(pieces)))
            pieces.extend(renderer.render(citation) for citation in event.citations)
            pos = event.end
            continue
        citation = event
        before = body[pos : citation.start]
        pos = citation.end
        if renderer.mode == "superscript" and not citation.items[0].prefix:
            before = before.rstrip(" \t")  # a superscript sits on the word it follows
            if renderer.after_punctuation and body[pos : pos + 1] in (".", ",") \
                    and body[pos : pos + 2] != "..":
                before += body[pos]
                pos += 1
        out.append(before)
        out.append(placeholder(len(pieces)))
        pieces.append(renderer.render(citation))
    out.append(body[pos:])
    return Rewritten("".join(out), pieces)


def further_reading(keys: Iterable[str], formatted: Mapping[str, Formatted],
                    cited: Container[str],
                    notes: Mapping[str, str] | None = None) -> ReferenceList:
    """Front-matter keys not cited in the text, in the order given."""
    listed = [sys.intern(key) for key in dict.fromkeys(keys)
              if key not in cited and key in formatted]
    return ReferenceList(formatted, listed, [0] * len(listed), numbered=False, notes=notes)


def ordered(counts: Mapping[str, int], formatted: Mapping[str, Formatted],
            mode: InText, notes: Mapping[str, str] | None = None) -> ReferenceList:
    """Numeric styles list by number (the order of first citation); author-date styles
    alphabetically, numbered as listed (their in-text labels are names, not numbers)."""
    return ReferenceList(formatted, counts, counts.values(),
                         alphabetical=mode == "author-date", notes=notes)
