"""The raw-HTML lint: HTML an editor writes in Markdown goes straight into the page, so
only harmless inline tags are allowed. Pure: findings for a body, at its lines and columns.

The rules are data: the tags that are always errors, the allow-list of inline tags and
the attributes they may carry, and the URL schemes no link may use.
"""

from __future__ import annotations

import html
import re

from plugins.diagnostics import Finding
from plugins.sources.spans import line_col

from .text import without_code

# Tags that run code, load other documents or change the page's head: never in content.
FORBIDDEN = frozenset({"script", "iframe", "object", "embed", "form", "meta", "base",
                       "link", "style", "frame", "frameset", "applet", "svg", "math",
                       "template", "noscript"})
# Harmless inline HTML, for what Markdown has no syntax for.
ALLOWED = frozenset({"abbr", "sup", "sub", "kbd", "br", "wbr", "small", "mark", "q",
                     "cite", "dfn", "time", "var", "samp", "del", "ins", "s", "u", "em",
                     "strong", "i", "b", "span"})
ALLOWED_ATTRIBUTES = frozenset({"title", "lang", "dir", "datetime", "class"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")

TAG = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])"
    r"(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(
    r"(?P<name>[^\s\"'>/=]+)(?:\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
# Markdown links and images: [text](url), ![alt](url); reference definitions; autolinks.
LINK = re.compile(r"(?P<bang>!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?(?P<url>[^\s)>]*)")
DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)", re.MULTILINE)
AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*)>")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url: str) -> str | None:
    """The dangerous scheme a URL uses, however it is disguised (entities, spaces, case)."""
    cleaned = INVISIBLE.sub("", html.unescape(url)).lower()
    return next((s for s in BAD_SCHEMES if cleaned.startswith(s)), None)


def _url_finding(text: str, offset: int, url: str, image: bool) -> Finding | None:
    scheme = scheme_of(url)
    if scheme is None:
        return None
    what = "an image" if image else "a link"
    return Finding.at(line_col(text, offset), "html.bad-url",
                      f"a '{scheme}' URL runs code or hides content in {what}",
                      "link to an https:// address or a page of this site; put images "
                      "under content/images/")


def _tag_findings(match: re.Match[str]) -> list[Finding]:
    text = match.string
    name = match.group("name").lower()
    start = match.start()
    if match.group("close"):
        return []  # an element is reported at its start tag, once
    if name in FORBIDDEN:
        return [Finding.at(line_col(text, start), "html.forbidden-tag",
                            f"<{name}> is not allowed in content: it can run code, load "
                            "another page or change the page's head",
                            "remove it; for a video or a form, ask a developer to add it "
                            "to the theme")]
    if name not in ALLOWED:
        return [Finding.at(line_col(text, start), "html.not-allowed",
                            f"<{name}> is not on the list of HTML allowed in content",
                            "write it in Markdown (links, images, lists, tables); allowed "
                            f"tags: {', '.join(sorted(ALLOWED))}")]
    findings = []
    attrs_start = match.start("attrs")
    for attribute in ATTRIBUTE.finditer(match.group("attrs")):
        attr = attribute.group("name").lower()
        offset = attrs_start + attribute.start()
        value = (attribute.group("value") or "").strip("\"'")
        if attr.startswith("on"):
            findings.append(Finding.at(line_col(text, offset), "html.event-attribute",
                                        f"the attribute '{attr}' runs a script",
                                        "remove it: content cannot run scripts"))
        elif scheme_of(value):
            findings.append(_url_finding(text, offset, value, image=False))  # type: ignore[arg-type]
        elif attr not in ALLOWED_ATTRIBUTES:
            findings.append(Finding.at(line_col(text, offset), "html.not-allowed",
                                        f"the attribute '{attr}' is not allowed on <{name}>",
                                        "allowed attributes: "
                                        + ", ".join(sorted(ALLOWED_ATTRIBUTES))))
    return findings


def lint_html(body: str, code_free: str | None = None) -> list[Finding]:
    """Every disallowed tag, attribute and URL in a Markdown body, in source order.
    Code blocks, code spans and comments are left out: they are shown, not run
    (``code_free`` is ``without_code(body)``, when the caller has it already)."""
    text = without_code(body) if code_free is None else code_free
    findings: list[Finding] = []
    if "<" in text:
        for match in TAG.finditer(text):
            findings.extend(_tag_findings(match))
    for match in LINK.finditer(text) if "](" in text else ():
        finding = _url_finding(text, match.start("url"), match.group("url"),
                               bool(match.group("bang")))
        if finding:
            findings.append(finding)
    for pattern in (DEFINITION, AUTOLINK) if ":" in text else ():
        for match in pattern.finditer(text):
            finding = _url_finding(text, match.start("url"), match.group("url"), image=False)
            if finding:
                findings.append(finding)
    return sorted(findings)
