"""The sanitiser: one browser-grade parse (nh3: ammonia on html5ever) of HTML we are
about to publish, with the allow-list of allowlist.py. Pure.

``sanitise`` returns what nh3 keeps and whether that differs from what it was given.
The comparison is on a canonical form (``canonical``) so that re-serialisation that
changes nothing a browser sees (``&#8220;`` against ``“``, ``<br />`` against ``<br>``,
quoting) is not a change. The canonical form is strict on purpose: it reads only plain
text and well-formed tags; a comment, a stray ``<``, a duplicated attribute, or a tag
left open, closed twice or out of order gives no canonical form, and so counts as a
change (as does a tag a browser would close or move for us: nh3's output differs).
Equal canonical forms therefore mean the page as written parses, in a browser, to
exactly what the sanitiser kept, and it is published unchanged.
"""

from __future__ import annotations

import functools
import html
import re
from typing import NamedTuple

import nh3

from .allowlist import ATTRIBUTES, DROPPED_WITH_CONTENT, TAGS, URL_SCHEMES

CLEANER = nh3.Cleaner(
    tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    clean_content_tags=set(DROPPED_WITH_CONTENT), url_schemes=set(URL_SCHEMES),
    strip_comments=True, link_rel=None,
)

SPACE = "[ \t\n\f]"  # HTML's whitespace; not Python's \s (which has U+00A0 and more)
ATTRIBUTE = re.compile(
    rf"{SPACE}+(?P<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)"
    rf"(?:{SPACE}*={SPACE}*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^ \t\n\f\"'=<>`]+)))?")
ANY_ATTRIBUTE = re.sub(r"\(\?P<\w+>", "(?:", ATTRIBUTE.pattern)
PIECE = re.compile(
    rf"(?P<text>[^<]+)"
    rf"|<(?P<end>/)?(?P<name>[a-zA-Z][a-zA-Z0-9]*)"
    rf"(?P<attrs>(?:{ANY_ATTRIBUTE})*){SPACE}*(?P<slash>/)?>"
    rf"|(?P<bad><)")
REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# The text between references, and each reference (odd places), as ``sub`` finds them.
BETWEEN_REFERENCES = re.compile(f"({REFERENCE.pattern})")
# Always escaped by nh3; a quote is written as itself in text, as &quot; in an attribute,
# and an attribute's value differs then anyway (the slow path decides).
CONTEXTUAL = frozenset("&<>")
VOID = frozenset({"br", "hr", "img", "wbr", "col", "area", "input", "source", "track",
                  "embed", "link", "meta", "param", "base"})


class Sanitised(NamedTuple):
    html: str  # what nh3 kept: the only HTML that may be published
    changed: bool  # nh3 removed or moved something a browser would see


def _attributes(text: str) -> str | None:
    seen: set[str] = set()
    out = []
    for match in ATTRIBUTE.finditer(text):
        name = match.group("name").lower()
        if name in seen:
            return None  # a browser keeps the first of two; say it changed
        seen.add(name)
        value = match.group("dq") if match.group("dq") is not None else (
            match.group("sq") if match.group("sq") is not None else match.group("bare") or "")
        out.append(f' {name}="{html.escape(html.unescape(value))}"')
    return "".join(out)


def canonical(fragment: str) -> str | None:
    """``fragment`` as text and tags in one spelling, with open and close tags balanced;
    None when it holds anything else (see the module's docstring)."""
    out: list[str] = []
    open_tags: list[str] = []
    for match in PIECE.finditer(fragment):
        if match.group("text") is not None:
            out.append(html.escape(html.unescape(match.group("text")), quote=False))
            continue
        if match.group("bad") is not None:
            return None
        name = match.group("name").lower()
        if match.group("end"):
            if match.group("attrs") or not open_tags or open_tags.pop() != name:
                return None
            out.append(f"</{name}>")
            continue
        attributes = _attributes(match.group("attrs"))
        if attributes is None:
            return None
        if name not in VOID:
            if match.group("slash"):
                return None  # <span/> opens a span in HTML: a browser would close it later
            open_tags.append(name)
        out.append(f"<{name}{attributes}>")
    return None if open_tags else "".join(out)


def _as_kept(fragment: str) -> str:
    """``REFERENCE.sub`` with each reference as ``_spelled`` gives it: split at the
    references in C and each looked up through the cache's C wrapper, not a Python
    callback a match (a page's body holds hundreds of them)."""
    parts = BETWEEN_REFERENCES.split(fragment)
    parts[1::2] = map(_spelled, parts[1::2])
    return "".join(parts)


# A page holds dozens of references (typogrify's curly quotes and dashes), of a few kinds.
@functools.lru_cache(maxsize=1024)
def _spelled(reference: str) -> str:
    """A character reference as nh3 writes it, where that cannot depend on whether it
    stands in text or in an attribute; any other left as written."""
    char = html.unescape(reference)
    if char == "\u00a0":
        return "&nbsp;"
    if len(char) != 1 or char in CONTEXTUAL or not char.isprintable():
        return reference
    return char


def sanitise(fragment: str) -> Sanitised:
    """What of ``fragment`` may be published, and whether that is not ``fragment`` itself.

    The common case is quick: nh3's output is ``fragment`` with references such as
    ``&#8220;`` written as the characters. ``kept`` is made from ``fragment``, so if they
    differ only there, nothing was removed or mended (a reference where a browser would
    not decode it, in a tag name or a comment, is re-serialised by nh3 and so differs).
    """
    kept = CLEANER.clean(fragment)
    if kept == fragment or (
            "&" in fragment and _as_kept(fragment) == kept):
        return Sanitised(kept, changed=False)
    given = canonical(fragment)
    return Sanitised(kept, changed=given is None or given != canonical(kept))
