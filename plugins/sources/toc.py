"""A page's "On this page" entries and its length, read from its finished HTML when the
theme asks.

Pelican keeps every page until the build ends, so a list of headings (or a word count)
kept per page costs memory for the whole build; the HTML already holds them. Pure
functions, and Jinja filters that call them.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

from markupsafe import Markup

# Top-level sections: the <h2> headings that Markdown gave an id.
HEADING = re.compile(r"<h2\b(?P<attrs>[^>]*)>(?P<html>.*?)</h2\s*>", re.DOTALL | re.IGNORECASE)
ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# An entry is itself a link: citations and footnote marks go, other links keep their text.
DROPPED = re.compile(r"<sup\b[^>]*>.*?</sup\s*>|<span\s+class=\"citation\"[^>]*>.*?</span\s*>",
                     re.DOTALL | re.IGNORECASE)
LINK_TAG = re.compile(r"</?a\b[^>]*>", re.IGNORECASE)
SPACES = re.compile(r"(?:\s|&nbsp;|&#160;|\u00a0)+")
# What a reader does not read as running text: tables (data, not prose, as the editorial
# word count has it), code, and citation numbers; then every other tag.
NOT_PROSE = re.compile(r"<(table|pre|sup)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
# A word: a run of word characters, apostrophes, dots, ampersands, semicolons and hyphens
# that holds a letter or digit, counted from its first. (Written to end at its last letter
# or digit, it counted the same runs but backtracked at each: a quarter slower.)
WORD = re.compile(r"[^\W_][\w'\u2019.&;-]*")


class Section(NamedTuple):
    """A top-level heading of the body, for the page's "On this page" list."""

    id: str
    html: Markup  # a part of the page's own HTML


def entry_html(heading: str) -> Markup:
    """A heading's inner HTML as a table-of-contents entry."""
    entry = SPACES.sub(" ", LINK_TAG.sub("", DROPPED.sub("", heading))).strip()
    return Markup(entry)  # noqa: S704 - cut from the page body, which is Markup itself


def sections_of(html: str) -> list[Section]:
    """The ``<h2 id=…>`` headings of ``html``, in order, each with its entry HTML."""
    found = []
    for match in HEADING.finditer(html):
        given = ID.search(match.group("attrs"))
        if given is not None:
            found.append(Section(given.group(1) or given.group(2) or "",
                                 entry_html(match.group("html"))))
    return found


def sections(item: Any) -> list[Section]:
    """Jinja filter: ``article|sections``; nothing for direct templates (404, search)."""
    html = getattr(item, "_content", None)  # the converted body, before Pelican's link fixes
    return sections_of(html) if isinstance(html, str) else []


def words_of(html: str) -> int:
    """How many words of running text ``html`` holds: tables, code and citation numbers
    left out, as the editorial report counts words (plugins/editorial/readability.py)."""
    text = TAG.sub(" ", NOT_PROSE.sub(" ", html)).replace("&nbsp;", " ")
    # WORD's count, without matching it: a word starts at a letter or digit and runs on
    # through CONTINUING characters, so each stretch of word characters and CONTINUING
    # ones that holds a letter or digit is one word, and nothing else is. Each character
    # beyond ASCII is first written as an ASCII one of its kind (most pages have none);
    # then, in the bytes, CONTINUING characters go, letters and digits read "a" and every
    # other character " ": each word is one run of "a", counted where it starts.
    if not text.isascii():
        text = BEYOND_ASCII.sub(_of_its_kind, text)
    marks = text.encode("ascii").translate(AS_WORD_MARKS, CONTINUING)
    return marks.count(b" a") + marks.startswith(b"a")


# WORD's own classes: what may start a word, and what only continues one (besides those).
CONTINUING = b"_'.&;-"
AS_WORD_MARKS = bytes(ord("a") if byte < 128 and chr(byte).isalnum() else ord(" ")
                      for byte in range(256))
BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


def _of_its_kind(match: re.Match[str]) -> str:
    """A character beyond ASCII as an ASCII one WORD reads alike: a letter or digit
    (str.isalnum: what may start a word), the apostrophe U+2019 (it only continues one),
    or a space (anything else)."""
    char = match.group()
    return "a" if char.isalnum() else "'" if char == "\u2019" else " "


def words(item: Any) -> int:
    """Jinja filter: ``article|words``, 0 for direct templates (404, search)."""
    html = getattr(item, "_content", None)
    return _counted(html) if isinstance(html, str) else 0


# The theme asks twice a page (base.html for long.css, document.html for the layout), and
# the count is a pure function of the text, so the last answer can be kept (about 30 µs
# a page of the synthetic site, most of it removing the tags; docs/performance.md).
_counted = functools.lru_cache(maxsize=1)(words_of)
