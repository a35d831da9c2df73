"""Tables without the line breaks Python-Markdown puts between their cells.

Its prettifier ends every row, cell and section of a table with a newline, which a
browser ignores there: on a page of study tables that is hundreds of bytes of the page's
weight budget. Text inside a cell is left as it is, and each cell keeps one space after
it: a browser shows none, but Pagefind reads the cells as running text and would join the
last word of one cell to the first of the next ("trialSource").

A column aligned in Markdown (``|--:|``) gets a class, not the ``style`` attribute
Python-Markdown writes: no content may carry ``style`` (plugins/sanitise), and the
theme aligns ``.align-right`` and ``.align-center`` (left is every cell's default).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

# Between these, whitespace is never shown (HTML's table parsing drops it).
PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr"))
CELLS = frozenset(("td", "th"))
ALIGN = re.compile(r"^text-align: (left|right|center);$")


class TableWhitespace(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for table in root.iter("table"):
            for part in table.iter():
                if part.tag in PARTS and not (part.text or "").strip():
                    part.text = None
                if part is not table and not (part.tail or "").strip():
                    part.tail = " " if part.tag in CELLS else None
                if part.tag in CELLS and "style" in part.attrib:
                    align_by_class(part)


def align_by_class(cell: ET.Element) -> None:
    match = ALIGN.match(cell.attrib.pop("style"))
    if match and match.group(1) != "left":
        cell.set("class", f"align-{match.group(1)}")


class TableExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After the prettifier (priority 10), which adds the line breaks.
        md.treeprocessors.register(TableWhitespace(md), "table-whitespace", 2)


def makeExtension(**kwargs: object) -> TableExtension:
    return TableExtension(**kwargs)
