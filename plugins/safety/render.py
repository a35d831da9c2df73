"""A block as HTML, made once per build: its Markdown converted with the site's own
Markdown settings and typogrified as Pelican typogrifies a page, inside the markup of a
``!!! warning`` callout (plugins/sources/callouts.py). Its citations stay placeholders,
numbered from 0; each page renumbers them to its own (``for_page``), and the citations
plugin fills them with the page's numbers."""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markupsafe import escape

from plugins.citations.placeholders import FROM_CODE, TOKEN, placeholder
from plugins.citations.render import replace_citations

from .blocks import Block

TITLE = "\x0e\x1dtitle\x0f"  # where the title goes: text no Markdown rule touches
CALLOUT_ID = re.compile(r'"callout-([0-9]+)"')


class _Numbered:
    """Stands in for a page's renderer: the citation placeholders, spaced as a page's."""

    def __init__(self, mode: str, after_punctuation: bool) -> None:
        self.mode = mode
        self.after_punctuation = after_punctuation

    def render(self, citation: Any) -> str:
        return ""


def block_id(block: Block) -> str:
    """The callout title's id: the block's own, as the page's callouts are numbered."""
    return f"safety-{re.sub(r'[^a-z0-9-]+', '-', block.name.lower())}"


def block_html(block: Block, settings: dict[str, Any], mode: str,
               after_punctuation: bool) -> str:
    """The callout, with a placeholder (0, 1, ...) for each of the block's citations;
    ``settings`` for Markdown's, ``after_punctuation`` as CITATIONS_NOTES_AFTER_PUNCTUATION."""
    numbered = _Numbered(mode, after_punctuation)
    markdown = replace_citations(block.body, block.citations, numbered).markdown  # type: ignore[arg-type]
    config = settings.get("MARKDOWN") or {}
    extension_configs = config.get("extension_configs", {})
    converter = Markdown(extensions=list(extension_configs), extension_configs=extension_configs,
                         output_format=config.get("output_format", "html5"))
    # Written as a '!!! warning' callout and converted by the same extensions, so its
    # markup is a callout's; the title goes in as escaped text, and the callout's ids
    # (numbered per conversion) become the block's own, unique on any page.
    indented = "".join(f"    {line}" if line.strip() else line
                       for line in markdown.splitlines(keepends=True))
    html = converter.convert(f'!!! warning "{TITLE}"\n{indented}')
    html = html.replace(TITLE, str(escape(block.title)), 1)
    ident = block_id(block)
    html = CALLOUT_ID.sub(lambda m: f'"{ident}"' if m.group(1) == "1"
                          else f'"{ident}-{m.group(1)}"', html)
    if settings.get("TYPOGRIFY"):
        from typogrify.filters import typogrify  # noqa: PLC0415 - as Pelican imports it

        html = typogrify(html, settings.get("TYPOGRIFY_IGNORE_TAGS", []),
                         **dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", []), False))
    return html


def for_page(html: str, first: int) -> str:
    """The block's HTML with its citations numbered as the page's placeholders ``first``..."""
    return TOKEN.sub(lambda m: placeholder(first + int(m.group(1).translate(FROM_CODE))), html)
