"""The safety stage of the page pipeline, the safety site check, and the blocks' HTML.

The stage checks a page's ``!safety`` lines and the blocks it must carry, and hands each
placed block to the citations stage (``page.inclusions``), so that a block's citations
are numbered with the page's; the site check finds the pages required_on names that do
not exist; ``put_blocks`` fills each block's callout into the page's HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.citations.render import Inclusion
from plugins.diagnostics import Build, Finding, did_you_mean
from plugins.diagnostics.settings import diagnostics_settings
from plugins.sources.spans import holds
from plugins.sources.yamldoc import Position

from .blocks import Block
from .directive import find_directives
from .render import for_page
from .state import Folders, Safety

if TYPE_CHECKING:
    from plugins.pipeline.page import Page

# A block's place in the Markdown: a paragraph of its own, of control characters that
# neither Markdown nor typogrify touch (plugins/citations/placeholders.py explains), in a
# range that neither the citations' nor the evidence tables' placeholders use.
START, END = "\x0e\x1b", "\x0f"
TOKEN = re.compile("<p>\x0e\x1b([0-9]+)\x0f</p>")


def kind_of(resolved: Path, folders: Folders) -> str:
    """'articles' or 'pages', by the folder the file (its resolved path) is in, as
    required_on names them."""
    root, kinds = folders
    try:
        parts = resolved.relative_to(root).parts
    except ValueError:
        return ""
    for kind, prefixes in kinds:
        if any(parts[:len(prefix)] == prefix for prefix in prefixes):
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


def place(page: Page, build: Build) -> list[Finding]:
    """The page's ``!safety`` lines checked, and every block it must carry present."""
    safety = build.state(Safety)
    doc = page.source
    directives = []
    findings = []
    if holds(doc.body, "!safety"):
        directives, problems = find_directives(doc.body, safety.blocks, page.spans)
        findings = doc.in_body(problems)
    placed = {safety.blocks[d.name].satisfies for d in directives}
    page.kind = kind_of(build.report.resolved(doc.path), safety.folders)
    page.slug = str(page.metadata.get("slug") or doc.path.stem)
    for block in safety.blocks.values():
        if block.name not in placed and any(rule.wants(page.kind, page.slug)
                                            for rule in block.rules):
            findings.append(missing(doc.body_position(0), block, safety.blocks, build))
    if not directives or build.state(diagnostics_settings).check_only:
        return findings
    slots: list[tuple[str, int]] = []
    page.blocks = slots

    def text(name: str) -> Callable[[int], str]:
        def at(first: int) -> str:
            slots.append((name, first))
            return f"\n{START}{len(slots) - 1}{END}\n"
        return at

    page.inclusions = [Inclusion(d.start, d.end, safety.blocks[d.name].citations, text(d.name))
                       for d in directives]
    return findings


def missing(where: Position, block: Block, blocks: dict[str, Block], build: Build) -> Finding:
    variants = [v.name for v in blocks.values() if v.variant_of == block.name]
    also = f" (or a variant: {', '.join(variants)})" if variants else ""
    return Finding.at(
        where, "safety.missing-block",
        f"this page must carry the safety block '{block.name}' "
        f"(required_on in {build.report.relpath(block.path)}), but has no "
        f"'!safety {block.name}' line",
        hint=f"add '!safety {block.name}'{also} on a line of its own "
             "after the summary callout, with a blank line before and after")


def check_blocks(pages: list[Page], generators: list[Any], build: Build) -> None:
    """Variants of unknown blocks, and required pages that do not exist (a page without a
    block it must carry is reported by its stage)."""
    safety = build.state(Safety)
    blocks = safety.blocks
    report = build.report
    slugs: dict[str, set[str]] = {}
    for page in pages:
        slugs.setdefault(page.kind, set()).add(page.slug)
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


def put_blocks(html: str, blocks: Sequence[tuple[str, int]], build: Build) -> str:
    """``html`` with each block's placeholder replaced by its callout, whose citations
    are then the page's placeholders (filled next, with the page's own)."""
    safety = build.state(Safety)
    return TOKEN.sub(lambda m: for_page(safety.html(blocks[int(m.group(1))][0]),
                                        blocks[int(m.group(1))][1]), html)
