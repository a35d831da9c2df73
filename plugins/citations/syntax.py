"""Find pandoc-style citations (``[@key]``, ``[see @a, p. 4; @b]``) in Markdown source.

Pure: text in, citations with their offsets out. Code and HTML comments (as
``plugins.sources.spans`` reads them), escaped brackets (``\\[@x]``), links
(``[@x](url)``) and e-mail addresses are not citations.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from plugins.diagnostics import Finding, Severity
from plugins.sources import spans
from plugins.sources.spans import escaped, inside, line_col

# Pandoc's citation key (Text.Pandoc.Parsing.Citations, simpleCiteIdentifier): a letter,
# digit, "_" (or "*", pandoc's nocite wildcard), then letters, digits and "_" (Unicode
# included), with single punctuation from ":.#$%&-+?<>~/" between them, and ":" or "/"
# before a "/" (so URLs read whole). Punctuation at the end is not part of the key:
# "[@a.]" cites 'a'. Any other key is written in braces, "@{...}" (no spaces inside).
SIMPLE_KEY = re.compile(r"[\w*](?:\w|[:.#$%&+?<>~/-](?=\w)|[:/](?=/))*")
# Where a key may start: "@" or "-@" not right after a word ("info@example.com" is an
# address), and not followed by a space ("[contact us @ the pharmacy]" is text).
MARKER = re.compile(r"(?<![\w.])(?P<suppress>-)?@(?!\s)")
PUNCTUATION_ONLY = re.compile(r"^[.,;:!?]+$")
# One plain item between ';': an optional prefix ending in a space, "@" or "-@", a key of
# the grammar above, and a suffix without '@'.
PLAIN_ITEM = re.compile(r"\s*(?:(?P<prefix>[^@]*?)\s)?(?P<suppress>-)?@"
                        rf"(?P<key>{SIMPLE_KEY.pattern})(?P<suffix>[^@]*)")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# "[text](url "title")" and "[text][label]" are links, whatever the text holds.
LINK_TAIL = re.compile(r"""\(\s*(?:<[^<>\n]*>|[^\s()<>]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)"""
                       r"|\[[^\[\]]*\]")


class CiteItem(NamedTuple):
    """One cited key; ``offset`` is the position of its '@' in the text."""

    key: str
    offset: int
    prefix: str = ""
    suffix: str = ""
    suppress: bool = False  # "-@key": the year without the author, in author-date styles


class Citation(NamedTuple):
    """A bracketed citation: ``text[start:end]`` is ``[...]`` and cites ``items`` in order."""

    start: int
    end: int
    items: tuple[CiteItem, ...]


def read_key(text: str, pos: int) -> tuple[str, int] | None:
    """The key that starts at ``pos`` (just after its '@') and where it ends, or None.

    The one grammar for keys: the scanner reads keys with it, and messages and hints
    write keys back with ``written``.
    """
    if text.startswith("{", pos):
        depth = 0
        for end in range(pos, len(text)):
            char = text[end]
            if char.isspace():
                return None
            depth += (char == "{") - (char == "}")
            if depth == 0:
                key = text[pos + 1 : end]
                return (key, end + 1) if key else None
        return None
    match = SIMPLE_KEY.match(text, pos)
    return None if match is None else (match.group(), match.end())


def written(key: str) -> str:
    """``key`` as it is cited after '@': bare if the grammar allows, else in braces."""
    match = SIMPLE_KEY.fullmatch(key)
    return key if match else f"{{{key}}}"


BAD = "citations.bad-citation"
# Where an offset into the text is, as (line, column).
Where = Callable[[int], tuple[int, int]]


def _on_one_line(offset: int) -> tuple[int, int]:
    return 1, offset + 1


KEY_HINT = ("a key starts with a letter, digit or _ and may have : . # $ % & - + ? < > ~ / "
            "between letters or digits, as in [@smith2020]; write any other key in braces, "
            "as in [@{DBLP:conf/chi/Smith13}]")
ITEM_HINT = ("each part of a citation between ';' needs its own @key, as in "
             "[see @a; also @b, p. 3]; move other text out of the brackets")


def _bad_key(inner: str, at: int, base: int, where: Where) -> Finding:
    rest = inner[at + 1 :]
    if rest.startswith("{"):
        closing = rest.find("}")
        found = rest if closing < 0 else rest[: closing + 1]
        return Finding.at(where(base + at), BAD,
                          f"expected a citation key after '@', found '{found}'",
                          "a key in braces needs its closing '}' and cannot be empty or "
                          "contain spaces, as in [@{DBLP:conf/chi/Smith13}]")
    found = re.split(r"[\s;]", rest, maxsplit=1)[0][:30]
    what = f"found '{found}'" if found else "found nothing"
    return Finding.at(where(base + at), BAD, f"expected a citation key after '@', {what}",
                      KEY_HINT)


def _no_key(inner: str, start: int, stop: int, base: int, where: Where) -> Finding:
    """A part of a group, ``inner[start:stop]``, that has no key."""
    text = inner[start:stop].strip()
    if not text:
        at = stop if stop < len(inner) else max(start - 1, 0)
        side = "before ';'" if stop < len(inner) else "after ';'"
        return Finding.at(where(base + at), BAD, f"expected a citation key {side}",
                          "remove the extra ';' or add @key next to it")
    at = start + len(inner[start:stop]) - len(inner[start:stop].lstrip())
    shown = text if len(text) <= 40 else text[:37] + "..."
    return Finding.at(where(base + at), BAD, f"expected a citation key ('@key') in '{shown}'",
                      ITEM_HINT)


def parse_group(inner: str, base: int, where: Where = _on_one_line,
                ) -> tuple[tuple[CiteItem, ...], list[Finding]]:
    """The items of ``[inner]`` and what in it does not parse, as pandoc reads a group:
    items separated by ';', each a prefix, a key and a suffix. A bad item is reported
    as itself, and the rest of the group is still read.

    Almost every group is plain ("@a", "see @a, p. 4; @b"): one regular expression per
    item reads it. Anything else goes to the full reading, which gives the same items.
    """
    if "{" not in inner:
        items = []
        offset = base
        for part in inner.split(";"):
            match = PLAIN_ITEM.fullmatch(part)
            if match is None:
                break
            key, prefix, suffix, dash = match.group("key", "prefix", "suffix", "suppress")
            if suffix and PUNCTUATION_ONLY.match(suffix := suffix.strip()):
                break
            items.append(CiteItem(key, offset + match.start("key") - 1,
                                  prefix.strip() if prefix else "", suffix, bool(dash)))
            offset += len(part) + 1
        else:
            return tuple(items), []
    if MARKER.search(inner) is None:
        return (), []  # no '@' starts a word: "[write to info@example.com]", no citation
    return read_group(inner, base, where)


def read_group(inner: str, base: int, where: Where = _on_one_line,
               ) -> tuple[tuple[CiteItem, ...], list[Finding]]:
    """``parse_group`` for any group, a bad one included; ``where`` places an offset
    (``base`` is the offset of ``inner``) in the text."""
    items: list[CiteItem] = []
    problems: list[Finding] = []
    pos = 0
    while True:
        reported = len(problems)
        found = None
        for marker in MARKER.finditer(inner, pos):
            parsed = read_key(inner, marker.end())
            if parsed is None:
                problems.append(_bad_key(inner, marker.end() - 1, base, where))
                continue
            found = marker, parsed
            break
        if found is None:
            if len(problems) == reported and (inner[pos:].strip() or pos > 0):
                problems.append(_no_key(inner, pos, len(inner), base, where))
            break
        marker, (key, key_end) = found
        prefix = inner[pos : marker.start()]
        semicolon = prefix.rfind(";")
        if semicolon >= 0 and not prefix[semicolon + 1 :].strip():
            # "[x; @b]": the part before the ';' has no key of its own.
            if len(problems) == reported:
                problems.append(_no_key(inner, pos, pos + semicolon, base, where))
            pos += semicolon + 1
            continue
        stop = inner.find(";", key_end)
        stop = len(inner) if stop < 0 else stop
        for extra in MARKER.finditer(inner, key_end, stop):
            parsed = read_key(inner, extra.end())
            problems.append(_bad_key(inner, extra.end() - 1, base, where) if parsed is None
                            else Finding.at(where(base + extra.start()), BAD,
                                            f"expected ';' before "
                                            f"'{extra.group()}{inner[extra.end():parsed[1]]}'",
                                            "separate the citations in one bracket with ';', "
                                            "as in [@a; @b]"))
        at = base + marker.end() - 1
        suffix = inner[key_end:stop].strip()
        if PUNCTUATION_ONLY.match(suffix):
            # "[@smith2007.]": pandoc reads the key without the '.'; it would print the
            # '.' as the locator, which is never meant.
            problems.append(Finding.at(
                where(base + key_end), "citations.stray-punctuation",
                f"'{suffix}' after the key '{key}' is not part of it and is left out",
                f"write [@{written(key)}] and put any punctuation outside the brackets",
                Severity.WARNING))
            suffix = ""
        items.append(CiteItem(key, at, prefix.strip(), suffix,
                              bool(marker.group("suppress"))))
        if stop == len(inner):
            break
        pos = stop + 1
    return tuple(items), problems


class Scan(NamedTuple):
    """What a text cites, and what in it starts like a citation but does not parse."""

    citations: list[Citation]
    problems: list[Finding]  # placed at lines and columns of the text


def scan(text: str, parsed: spans.Spans | None = None) -> Scan:
    """Every citation in Markdown ``text`` in order, and every bracket that starts like
    one (an '@' at the start of a word) but does not parse: never silently text.
    ``parsed`` is ``spans.parse(text)``, when the caller has it already (the page's)."""
    found: list[Citation] = []
    problems: list[Finding] = []
    if "@" not in text:
        return Scan(found, problems)
    code = (spans.parse(text) if parsed is None else parsed).hidden
    pos = 0
    while (start := text.find("[", pos)) >= 0:
        pos = start + 1
        end = text.find("]", start)
        if end < 0:
            break
        inner = text[start + 1 : end]
        if "[" in inner or "@" not in inner or BLANK_LINE.search(inner):
            continue
        if escaped(text, start) or inside(start, code) or LINK_TAIL.match(text, end + 1):
            continue
        items, bad = parse_group(inner, start + 1, functools.partial(line_col, text))
        if not (items or bad) or (code and any(inside(i.offset, code) for i in items)):
            continue
        problems.extend(bad)
        if items:  # with a bad item the build fails, but the good keys are still checked
            found.append(Citation(start, end + 1, items))
        pos = end + 1
    return Scan(found, problems)


def find_citations(text: str) -> list[Citation]:
    """Every citation in Markdown ``text``, in order of appearance."""
    return scan(text).citations
