"""A page's "On this page" entries and its length, read from its finished HTML when the
theme asks.

Pelican keeps every page until the build ends, so a list of headings (or a word count)
kept per page costs memory for the whole build; the HTML already holds them. Pure
functions, and Jinja filters that call them.
"""

from __future__ import annotations

import functools
import re
from itertools import filterfalse
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
    # WORD's count, found faster: a word never spans white space, and a run of ASCII
    # letters and digits alone is one word; only the other runs ("dose.",
    # "&ldquo;quoted&rdquo;", any with a character beyond ASCII) need the pattern. The runs
    # are cut from the UTF-8 bytes, whose isalnum reads a table where str's looks each
    # character up in Unicode's database (a fifth of the count); the other white space
    # str.split would cut at is no word character either, so WORD parts words there.
    runs = text.encode("utf-8", "surrogatepass").split()
    others = list(filterfalse(bytes.isalnum, runs))
    return len(runs) - len(others) + len(WORD.findall(
        b" ".join(others).decode("utf-8", "surrogatepass")))


def words(item: Any) -> int:
    """Jinja filter: ``article|words``, 0 for direct templates (404, search)."""
    html = getattr(item, "_content", None)
    return _counted(html) if isinstance(html, str) else 0


# The theme asks twice a page (base.html for long.css, document.html for the layout), and
# counting takes about 1 ms a page of the synthetic site; a pure function of the text, so
# the last answer can be kept (docs/performance.md).
_counted = functools.lru_cache(maxsize=1)(words_of)
