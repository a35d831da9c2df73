"""What the sanitiser removed from a page, in words, and the nearest line of the source
that wrote it. Only runs for a page that failed, so it may parse again: html5lib reads
the HTML as a browser does (comments, misnested tags), the source is read from disk."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from plugins.editorial.text import without_code_only
from plugins.sources.document import parse_source
from plugins.sources.yamldoc import SourceError

from .allowlist import ATTRIBUTES, TAGS, URL_SCHEMES

URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster",
                            "background", "data", "xlink:href", "srcset"})
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # what a browser skips or trims in a URL
MISNESTED = ("markup that a browser reads differently from how it is written (a tag left "
             "open, closed twice or out of order)")


def _scheme(url: str) -> str | None:
    match = SCHEME.match(IGNORED_IN_URL.sub("", url))
    scheme = match.group(1).lower() if match else None
    return scheme if scheme and scheme not in URL_SCHEMES else None


def first_problem(html: str) -> tuple[str, str]:
    """(what, a regex that finds it in the source) for the first thing not allowed."""
    import html5lib  # noqa: PLC0415 - only a failing page needs it

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"),
                                 namespaceHTMLElements=False)
    root = parser.parseFragment(html)
    comment = None
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):  # a comment (ElementTree's Comment factory): what
            comment = comment or ("an HTML comment", r"<!--|--!?>")  # it hid comes first
            continue
        if tag == "DOCUMENT_FRAGMENT":
            continue
        problem = _element_problem(tag.split("}")[-1].lower(), element.attrib)
        if problem:
            return problem
    if comment:
        return comment
    return _misnested(parser.errors)


def _misnested(errors: list[tuple[Any, str, dict[str, Any]]]) -> tuple[str, str]:
    """What html5lib had to mend: a stray end tag, or one left open."""
    for _, code, data in errors:
        name = str(data.get("name", "")).lower() if isinstance(data, dict) else ""
        if name and code in ("unexpected-end-tag", "end-tag-too-early"):
            return (f"a </{name}> end tag that closes nothing open",
                    rf"</\s*{re.escape(name)}\b")
        if name and code == "non-void-element-with-trailing-solidus":
            return (f"a <{name}/> that a browser leaves open", rf"<\s*{re.escape(name)}\b")
    return MISNESTED, r"<"


def _element_problem(name: str, attributes: dict[Any, str]) -> tuple[str, str] | None:
    if name not in TAGS:
        return f"a <{name}> element", rf"<\s*{re.escape(name)}\b"
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(name, frozenset())
    for attribute, value in attributes.items():
        attr = str(attribute).split("}")[-1].lower()
        if attr not in allowed:
            return (f"the attribute '{attr}' on <{name}>",
                    rf"(?<![\w-]){re.escape(attr)}\s*=|(?<![\w-]){re.escape(attr)}\b")
        scheme = _scheme(value) if attr in URL_ATTRIBUTES else None
        if scheme:
            return (f"a '{scheme}:' address in {attr}= on <{name}>",
                    rf"{re.escape(scheme[:4])}")
    return None


def find(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text, re.IGNORECASE)
    return match.start() if match else None


def describe_and_locate(source_path: Any, field: str, html: str) -> tuple[Path, int, int, str]:
    """(path, line, col, what): the first thing removed and the nearest source line."""
    what, pattern = first_problem(html)
    if not source_path:  # made by a plugin, not read from a file
        return Path("content"), 1, 1, what
    path = Path(source_path)
    try:
        doc = parse_source(path, path.read_bytes())
    except (OSError, SourceError):
        return path, 1, 1, what
    if field != "body":
        return (path, *doc.front_matter.value_position(field), what)
    body = doc.body
    # Outside code first (an example of the same tag may come before), then anywhere
    # (an unclosed fence is code to the lint, text to Markdown), else the first line.
    offset = find(without_code_only(body), pattern)
    if offset is None:
        offset = find(body, pattern)
    if offset is None:
        offset = len(body) - len(body.lstrip())
    return (path, *doc.body_position(offset), what)
