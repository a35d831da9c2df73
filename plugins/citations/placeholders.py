"""Placeholders that carry citations through Markdown and typogrify untouched.

Each citation in the source becomes a short run of control characters before Markdown
runs, and its HTML goes in after typogrify. Neither tool then sees the citation's
markup: Markdown does not parse it as inline HTML, typogrify does not walk it, and
nothing either does to text (smart quotes, caps, widows, heading ids) can change it.
The characters are not letters, digits, punctuation, spaces or line breaks to either
tool (Markdown's own placeholders use STX and ETX, which these avoid). They are ASCII:
a character beyond Latin-1 would make Python store the whole page, and every copy
Markdown and typogrify make of it, at two bytes a character. Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

START, END = "\x0e", "\x0f"  # SO and SI
DIGIT_ZERO = 0x10  # the digits 0-9 are U+0010 to U+0019 (DLE to EM)
TO_CODE = str.maketrans("0123456789", "".join(chr(DIGIT_ZERO + d) for d in range(10)))
FROM_CODE = {code: digit for digit, code in TO_CODE.items()}
TOKEN = re.compile("\x0e([\x10-\x19]+)\x0f")
TAG_WITH_TOKEN = re.compile("<[^<>]*\x0e[^<>]*>")
TAG = re.compile(r"<[^>]*>")


def placeholder(index: int) -> str:
    """The placeholder for the ``index``-th citation of a page."""
    return f"{START}{str(index).translate(TO_CODE)}{END}"


def _index(match: re.Match[str]) -> int:
    return int(match.group(1).translate(FROM_CODE))


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

