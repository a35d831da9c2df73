"""Placeholders that carry citations through Markdown and typogrify untouched.

Each citation in the source becomes a short run of private-use characters before
Markdown runs, and its HTML goes in after typogrify. Neither tool then sees the
citation's markup: Markdown does not parse it as inline HTML, typogrify does not walk
it, and nothing either does to text (smart quotes, caps, widows, heading ids) can
change it. The characters are in Unicode's Private Use Area, so they are not letters,
digits or punctuation to either tool. Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

START, END = "\ue000", "\ue001"
DIGIT_ZERO = 0xE010  # the digits 0-9 are U+E010 to U+E019
TOKEN = re.compile("\ue000([\ue010-\ue019]+)\ue001")
TAG_WITH_TOKEN = re.compile("<[^<>]*\ue000[^<>]*>")
TAG = re.compile(r"<[^>]*>")


def placeholder(index: int) -> str:
    """The placeholder for the ``index``-th citation of a page."""
    return START + "".join(chr(DIGIT_ZERO + int(d)) for d in str(index)) + END


def _index(match: re.Match[str]) -> int:
    return int("".join(str(ord(c) - DIGIT_ZERO) for c in match.group(1)))


def insert(html: str, pieces: Sequence[str]) -> str:
    """``html`` with every placeholder replaced by its piece of citation HTML.

    A placeholder that ended up inside a tag (a citation in an image's alt text, say)
    gets the citation's text only, since markup cannot go in an attribute.
    """
    if START not in html:
        return html

    def piece(match: re.Match[str]) -> str:
        index = _index(match)
        return pieces[index] if index < len(pieces) else match.group()

    def text_only(match: re.Match[str]) -> str:
        return TOKEN.sub(lambda m: TAG.sub("", piece(m)), match.group())

    return TOKEN.sub(piece, TAG_WITH_TOKEN.sub(text_only, html))

