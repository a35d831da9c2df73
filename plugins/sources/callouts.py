"""Callouts: Python-Markdown's admonitions, written ``!!! warning "Do not take with opioids"``,
made labelled notes that screen readers announce by their title.

The admonition extension writes ``<div class="admonition warning">`` with a
``<p class="admonition-title">``; this gives the div ``role="note"``, named by its title.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

KINDS = ("warning", "important", "note", "key-points")  # styled by the theme


def _classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


class CalloutProcessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        callouts = [div for div in root.iter("div") if "admonition" in _classes(div)]
        for number, div in enumerate(callouts, 1):
            div.set("role", "note")
            title = next((p for p in div if "admonition-title" in _classes(p)), None)
            if title is not None:
                title.set("id", f"callout-{number}")
                div.set("aria-labelledby", f"callout-{number}")


class CalloutExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.treeprocessors.register(CalloutProcessor(md), "callouts", 1)


def makeExtension(**kwargs: object) -> CalloutExtension:
    return CalloutExtension(**kwargs)
