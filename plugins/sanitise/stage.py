"""The sanitiser as the last site check of the collect phase: after every page's HTML is
final (Markdown, typogrify, then the citations, ``!safety`` and ``!evidence`` put in by
plugins/pipeline/stages.py), each page's body, summary and title pass the sanitiser; a
change is an ``html.unsafe`` error, and the sanitiser's output is what the page keeps,
whatever the build then does."""

from __future__ import annotations

from typing import Any

from plugins.diagnostics import Build
from plugins.diagnostics.settings import diagnostics_settings
from plugins.sources.contents import contents

from .clean import sanitise
from .locate import describe_and_locate

FIELDS = ("body", "summary", "title")


def _get(content: Any, field: str) -> str | None:
    if field == "body":
        return getattr(content, "_content", None)
    value = content.metadata.get(field)
    return value if isinstance(value, str) else None


def _set(content: Any, field: str, html: str) -> None:
    _forget(content)
    if field == "body":
        content._content = html
        return
    cls = type(content.metadata[field])  # Markup stays Markup
    value = cls(html)
    content.metadata[field] = value
    if field == "summary":
        content._summary = value
    else:
        setattr(content, field, value)


def _forget(content: Any) -> None:
    """Drop what Pelican memoised of the page (``content``, ``summary``) if anything
    asked before now: every later reader must get the sanitised HTML."""
    for method in ("get_content", "get_summary"):
        cache = getattr(getattr(type(content), method, None), "cache", None)
        if isinstance(cache, dict):
            for key in [key for key in cache if key and key[0] is content]:
                del cache[key]


def sanitise_pages(pages: list[Any], generators: list[Any], build: Build) -> None:
    """Every page's HTML as published: the sanitiser's output; a change is an error,
    the first of each text, unless the raw-HTML lint already named a problem on its line."""
    if build.state(diagnostics_settings).check_only:
        return
    for content in contents(generators):
        for field in FIELDS:
            html = _get(content, field)
            if not html:
                continue
            result = sanitise(html)
            if result.changed:  # else the page as written parses to what nh3 kept
                _set(content, field, result.html)
                report(build, content.source_path, field, html)


def report(build: Build, source_path: Any, field: str, html: str,
           whose: str = "the page's") -> None:
    """One html.unsafe error for a text the sanitiser changed, at the nearest source line,
    unless the raw-HTML lint already named a problem on that line."""
    path, line, col, what = describe_and_locate(source_path, field, html)
    linted = {(d.path, d.line) for d in build.report.diagnostics if d.code.startswith("html.")}
    if (build.report.relpath(path), line) in linted:
        return  # the lint's friendlier message for the same problem is in the report
    part = "text" if field == "body" else field
    build.report.error(
        path, line, col, "html.unsafe",
        f"{whose} {part} would publish {what}, which is not allowed",
        hint="remove it, or write it in Markdown; docs/editorial.md lists the tags, "
             "attributes and kinds of links a page may hold")
