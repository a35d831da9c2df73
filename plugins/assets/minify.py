"""A small, safe CSS minifier. Pure.

It strips comments and collapses whitespace, removes whitespace only around
``{ } ; ,`` and the combinators ``>`` and ``~`` (never ``+``, which ``calc()`` needs
spaced) and after ``:``, drops the semicolon before a ``}`` and a number's
leading zero (``0.5rem`` is ``.5rem``). Strings and backslash escapes are copied
exactly, so ``content: ", "``, ``"\\25BE"`` and ``calc(1rem + 2px)`` come out as they went in.
"""

from __future__ import annotations

import re

TOKEN = re.compile(
    r"""
      "(?:[^"\\\n]|\\.)*"?        # a double-quoted string, escapes included
    | '(?:[^'\\\n]|\\.)*'?        # a single-quoted string
    | /\*.*?(?:\*/|\Z)            # a comment (an unclosed one runs to the end)
    | \\.                         # an escape outside a string, e.g. an escaped space
    | \s+                         # whitespace
    | [{};,>~]                    # punctuation that needs no space around it
    | [^"'/\\\s{};,>~]+           # anything else, up to the next special character
    | .                           # a lone "/" (or a trailing backslash)
    """,
    re.VERBOSE | re.DOTALL,
)
TIGHT = frozenset("{};,>~")
# A number's leading zero ("0.5rem" is ".5rem"); not after a digit, a letter or a dot.
LEADING_ZERO = re.compile(r"(?<![\w.-])(-?)0\.(?=\d)")


def minify_css(text: str) -> str:
    """``text`` without comments and without whitespace that changes nothing."""
    tokens: list[str] = []
    for match in TOKEN.finditer(text):
        token = match.group()
        if token.startswith("/*") or token.isspace():
            # A comment counts as whitespace, so "a/**/b" cannot become "ab". Whitespace
            # after a colon ("margin: 0") changes nothing: a selector never has any there.
            if tokens and tokens[-1] != " " and not tokens[-1].endswith(":"):
                tokens.append(" ")
            continue
        if token in TIGHT and tokens and tokens[-1] == " ":
            tokens.pop()
        if tokens and tokens[-1] == " " and len(tokens) > 1 and tokens[-2] in TIGHT:
            tokens.pop()
        if token[0] not in "\"'\\":
            token = LEADING_ZERO.sub(r"\1.", token)
        if token == "}" and tokens and tokens[-1] == ";":  # noqa: S105 - CSS, not a secret
            tokens.pop()  # the last declaration needs no semicolon: 160 bytes of site.css
        tokens.append(token)
    if tokens and tokens[-1] == " ":
        tokens.pop()
    if tokens and tokens[0] == " ":
        tokens.pop(0)
    return "".join(tokens)
