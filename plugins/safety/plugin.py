"""Signal wiring: each page's ``!safety`` lines checked and handed to the citations plugin
(so a block's citations are numbered with the page's) as the page is read; the blocks
and the pages that must carry them checked in the collect phase; each block's callout put
into the converted page, after typogrify, before the citations' HTML goes in.

Listed before plugins.citations in PLUGINS: its handlers must run before that plugin's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pelican import signals

from plugins.citations.render import Inclusion
from plugins.citations.state import Citations
from plugins.diagnostics import BUILD, Build, collect, did_you_mean
from plugins.sources import SourceDocument, source_read
from plugins.sources.yamldoc import Position

from .blocks import Block
from .directive import find_directives
from .render import for_page
from .state import Safety

# A block's place in the Markdown: a paragraph of its own, of control characters that
# neither Markdown nor typogrify touch (plugins/citations/placeholders.py explains), in a
# range that neither the citations' nor the evidence tables' placeholders use.
START, END = "\x0e\x1b", "\x0f"
TOKEN = re.compile("<p>\x0e\x1b([0-9]+)\x0f</p>")


def kind_of(path: Path, settings: dict[str, Any]) -> str:
    """'articles' or 'pages', by the folder the file is in, as required_on names them."""
    try:
        relative = path.resolve().relative_to(Path(settings["PATH"]).resolve())
    except ValueError:
        return ""
    for kind, setting in (("pages", "PAGE_PATHS"), ("articles", "ARTICLE_PATHS")):
        if any(relative.is_relative_to(folder) for folder in settings.get(setting) or []):
            return kind
    return ""


def slug_position(block: Block, slug: str) -> Position:
    """Where a slug of required_on is written (the field's place if it cannot be found)."""
    front = block.doc.front_matter
    start = block.doc.text.find("required_on")
    found = re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])",
                      block.doc.text[: block.doc.body_offset][max(start, 0):])
    if start < 0 or found is None:
        return front.value_position("required_on")
    return block.doc.position(start + found.start())


def read_page(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    safety = build.state(Safety)
    directives = []
    if "!safety" in doc.body:
        directives, problems = find_directives(doc.body, safety.blocks)
        for problem in problems:
            build.report.error(doc.path, *doc.body_position(problem.offset), problem.code,
                               problem.message, hint=problem.hint)
    placed = {safety.blocks[d.name].satisfies for d in directives}
    kind = kind_of(doc.path, build.settings)
    slug = str(metadata.get("slug") or doc.path.stem)
    safety.slugs.setdefault(kind, set()).add(slug)
    # Checked as the page is read, so that nothing of it is kept for a later check.
    for block in safety.blocks.values():
        if block.name not in placed and any(rule.wants(kind, slug) for rule in block.rules):
            report_missing(build.report, doc, block, safety.blocks)
    if not directives or build.settings.get("CHECK_ONLY"):
        return
    key = str(doc.path)
    slots = safety.placed.setdefault(key, [])

    def text(name: str) -> Any:
        def at(first: int) -> str:
            slots.append((name, first))
            return f"\n{START}{len(slots) - 1}{END}\n"
        return at

    build.state(Citations).inclusions[key] = [
        Inclusion(d.start, d.end, safety.blocks[d.name].citations, text(d.name))
        for d in directives]


def check_pages(generators: list[Any], build: Build) -> None:
    """The collect phase: variants of unknown blocks, and required pages that do not
    exist (a page without a block it must carry is reported as it is read)."""
    safety = build.state(Safety)
    blocks = safety.blocks
    report = build.report
    slugs = safety.slugs
    for block in blocks.values():
        front = block.doc.front_matter
        if block.variant_of and block.variant_of not in blocks:
            report.error(block.path, *front.value_position("variant_of"),
                         "safety.unknown-block",
                         f"'{block.variant_of}' is not a safety block",
                         hint=did_you_mean(block.variant_of, blocks)
                         or "name a file of content/safety/ without .md")
        for rule in block.rules:
            for slug in rule.slugs:
                if slug not in slugs.get(rule.kind, set()):
                    report.error(block.path, *slug_position(block, slug),
                                 "safety.unknown-page",
                                 f"required_on names '{slug}', which is not one of the "
                                 f"site's {rule.kind}",
                                 hint=did_you_mean(slug, slugs.get(rule.kind, set()))
                                 or f"use the slug of a file in content/{rule.kind}/")


def report_missing(report: Any, doc: SourceDocument, block: Any, blocks: dict[str, Any]) -> None:
    variants = [v.name for v in blocks.values() if v.variant_of == block.name]
    also = f" (or a variant: {', '.join(variants)})" if variants else ""
    report.error(doc.path, *doc.body_position(0), "safety.missing-block",
                 f"this page must carry the safety block '{block.name}' "
                 f"(required_on in {report.relpath(block.path)}), but has no "
                 f"'!safety {block.name}' line",
                 hint=f"add '!safety {block.name}'{also} on a line of its own "
                      "after the summary callout, with a blank line before "
                      "and after")


def insert_blocks(content: Any) -> None:
    build = content._context.get(BUILD) if content._context else None
    if build is None:
        return
    safety = build.state(Safety)
    slots = safety.placed.pop(str(content.source_path), None)
    if slots is not None:
        content._content = TOKEN.sub(
            lambda m: for_page(safety.html(slots[int(m.group(1))][0]),
                               slots[int(m.group(1))][1]), content._content)


def register() -> None:
    source_read.connect(read_page)
    collect.connect(check_pages)
    signals.content_object_init.connect(insert_blocks)
