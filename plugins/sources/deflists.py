"""An id on every term of a definition list, so that other pages can link to it.

The glossary is a Markdown definition list (``Term`` then ``:   definition``); each
``<dt>`` gets the id of its term up to any bracketed abbreviation, as the table of
contents makes a heading's: "p-value (P)" is ``#p-value``, "Confidence interval (CI)"
``#confidence-interval``. A term that already has an id (``{: #id }``) keeps it; an id
taken by a heading or an earlier term gets "-2", "-3", ...
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor


def term_id(text: str) -> str:
    return slugify(text.split(" (", 1)[0], "-") or "term"


class TermIds(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        terms = [dt for dt in root.iter("dt") if not dt.get("id")]
        if not terms:
            return
        taken = {element.get("id") for element in root.iter() if element.get("id")}
        for dt in terms:
            base = term_id("".join(dt.itertext()))
            chosen, n = base, 1
            while chosen in taken:
                n += 1
                chosen = f"{base}-{n}"
            taken.add(chosen)
            dt.set("id", chosen)


class DefinitionListExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After the table of contents (priority 5) has given headings their ids.
        md.treeprocessors.register(TermIds(md), "term-ids", 4)


def makeExtension(**kwargs: object) -> DefinitionListExtension:
    return DefinitionListExtension(**kwargs)
