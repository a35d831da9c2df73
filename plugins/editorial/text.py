"""Which parts of a Markdown body each check reads. Pure: string in, string out.

Every function returns a copy of the body of the same length in which the parts a check
must not read are blanked (each character but a newline becomes a space), so an offset
into the copy is an offset into the body, and positions stay exact.
"""

from __future__ import annotations

import re

from plugins.sources import spans
from plugins.sources.spans import NOT_NEWLINE, blank

BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*", re.MULTILINE)
# A quotation on one line: "..." or “...” (typogrify curls the straight ones later).
QUOTATION = re.compile(r"\"[^\"\n]+\"|\u201c[^\u201d\n]+\u201d")
# Each kind alone, for a text that holds only that kind's opening mark: then it finds
# what QUOTATION does, but re searches a pattern that starts with one character in C,
# where QUOTATION's two alternatives are tried at every offset (eight times the time).
STRAIGHT_QUOTATION = re.compile(r"\"[^\"\n]+\"")
CURLY_QUOTATION = re.compile(r"\u201c[^\u201d\n]+\u201d")
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>[^\n]*)$", re.MULTILINE)
REFERENCE_HEADINGS = re.compile(r"^(?:references|further reading|sources|bibliography)\b",
                                re.IGNORECASE)
# What an ASCII text must hold, lower-cased, to have such a heading. (Matching without
# case, re takes some non-ASCII letters for ASCII ones: U+017F long s for "s".)
REFERENCE_WORDS = ("references", "further reading", "sources", "bibliography")
# A callout's first line, ``!!! warning "Do not take LDN if you:"``: its title is shown.
# An evidence table's directive (plugins/evidence/directive.py); its caption is shown.
EVIDENCE = re.compile(r'^!evidence(?P<options>[ \t][^\n]*?(?:caption="(?P<caption>[^"\n]*)"'
                      r'[^\n]*)?)?$', re.MULTILINE)
# As Python-Markdown's admonition reads it: one or more kinds, then an optional title.
CALLOUT = re.compile(r'^(?P<marker>[ \t]*!!!)(?P<kind> ?[\w-]+(?:[ \t]+[\w-]+)*[ \t]*)'
                     r'(?:"(?P<title>[^\n]*)"[ \t]*)?$', re.MULTILINE)


def _spaces(match: re.Match[str]) -> str:
    return NOT_NEWLINE.sub(" ", match.group())


def _spaces_only(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())  # a match without a newline (QUOTATION)


def _quotations(body: str) -> re.Pattern[str] | None:
    """The pattern that finds what QUOTATION finds in ``body``, quickest first."""
    straight, curly = '"' in body, "\u201c" in body
    if straight and curly:
        return QUOTATION
    return STRAIGHT_QUOTATION if straight else CURLY_QUOTATION if curly else None


def _blank_all(pattern: re.Pattern[str], text: str, marker: str) -> str:
    """``text`` less every match of ``pattern``; a text without ``marker`` has none."""
    return pattern.sub(_spaces, text) if marker in text else text


def without_code(body: str, parsed: spans.Spans | None = None) -> str:
    """The body less code and HTML comments (``plugins.sources.spans``): what is markup.
    ``parsed`` is ``spans.parse(body)``, when the caller has it already (the page's)."""
    return blank(body, (spans.parse(body) if parsed is None else parsed).hidden)


def without_code_only(body: str, parsed: spans.Spans | None = None) -> str:
    """The body less code, comments kept: where suppression comments are read (one shown
    in a code example is not one). ``parsed`` as for ``without_code``."""
    return blank(body, (spans.parse(body) if parsed is None else parsed).code)


def reference_sections(body: str) -> list[tuple[int, int]]:
    """Sections headed References, Further reading, Sources or Bibliography."""
    found: list[tuple[int, int]] = []
    if body.isascii():
        lower = body.lower()
        if not any(word in lower for word in REFERENCE_WORDS):
            return found  # HEADING is tried at every offset: 0.02 ms a page
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
        found.append((heading.start(), end))
    return found


def prose(body: str, code_free: str | None = None) -> str:
    """What the claims lint reads: the body less code, comments, block quotations,
    quotations in quotation marks and reference lists; a callout's title is kept. ``code_free`` is
    ``without_code(body)``, when the caller has it already."""
    body = without_code(body) if code_free is None else code_free
    body = _blank_all(BLOCKQUOTE, body, ">")
    if "#" in body:
        body = blank(body, reference_sections(body))
    titles = list(CALLOUT.finditer(body)) if spans.holds(body, "!!!") else []
    captions = list(EVIDENCE.finditer(body)) if spans.holds(body, "!evidence") else []
    quotations = _quotations(body)
    body = quotations.sub(_spaces_only, body) if quotations is not None else body
    for match in titles:
        # The title is text a visitor reads (not a quotation); the kind is not.
        body = blank(body, [match.span("kind")])
        if match.group("title") is not None:
            start, end = match.span("title")
            body = body[:start - 1] + " " + match.group("title") + " " + body[end + 1:]
    for match in captions:
        # An evidence table's caption is shown; the directive's other options are not.
        body = blank(body, [match.span("options")])
        if match.group("caption") is not None:
            start, end = match.span("caption")
            body = body[:start] + match.group("caption") + body[end:]
    return body
