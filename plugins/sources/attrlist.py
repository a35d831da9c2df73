"""Attribute lists limited to an id and classes: ``## Dosing {: #dosing }`` and
``{: .note }`` work, anything else (``onclick=``, ``style=``, ``href=``, ``srcdoc=``) is
refused and reported by the reader, never written on the element.

Why limited and not off: an id gives a heading a stable address that other pages and
the prescribers' emails can link to, and nothing else in Markdown can; every other
attribute either runs code, restyles the page or changes where a link goes, which
content must not do. Off, ``{: onclick=... }`` would be shown to visitors as text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

ALLOWED = frozenset({".", "id", "class"})  # "." is how attr_list spells a class


class LimitedAttrList(AttrListTreeprocessor):
    def assign_attrs(self, elem: ET.Element, attrs_string: str, *,
                     strict: bool = False) -> str:
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder
        refused = [key for key, _ in attrs if key.lower() not in ALLOWED]
        if refused:
            self.md.attr_list_refused.append(tuple(refused))  # type: ignore[attr-defined]
            return remainder
        for key, value in attrs:
            if key == "id":
                elem.set("id", value or "")
            else:
                classes = (elem.get("class") or "").split() + (value or "").split()
                elem.set("class", " ".join(classes))
        return remainder


class LimitedAttrListExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        self.md = md
        md.registerExtension(self)
        md.attr_list_refused = []  # type: ignore[attr-defined]
        # The same name and priority as extra's attr_list, which this replaces.
        md.treeprocessors.register(LimitedAttrList(md), "attr_list", 8)

    def reset(self) -> None:
        self.md.attr_list_refused = []  # type: ignore[attr-defined]


def makeExtension(**kwargs: object) -> LimitedAttrListExtension:
    return LimitedAttrListExtension(**kwargs)
