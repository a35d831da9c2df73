"""The safety block directive, a line of its own in a page's Markdown:

    !safety opioids

Pure: finds the directives in a body (outside code and comments) with their offsets, and every
problem in them: a line that names no block or more than one, a block that does not
exist, a block placed twice, a directive inside a list, a quote or an indented block.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import NamedTuple

from plugins.diagnostics import Finding, did_you_mean
from plugins.sources import spans
from plugins.sources.spans import inside, line_col

WORD = "!safety"
LINE = re.compile(r"^!safety(?P<rest>[ \t][^\n]*)?[ \t]*$", re.MULTILINE)
# Indented, in a list item or in a quote: Markdown would print the line as text or code.
NESTED = re.compile(r"^(?:[ \t]+|[ \t]*(?:[-*+]|\d+[.)]|>)[ \t]+)(?:>[ \t]*)*!safety\b",
                    re.MULTILINE)
NAME = re.compile(r"\S+")


class Directive(NamedTuple):
    start: int  # offsets of the whole line in the body
    end: int
    name: str


def _problem(body: str, offset: int, code: str, message: str, hint: str | None = None
             ) -> Finding:
    return Finding.at(line_col(body, offset), code, message, hint)


def find_directives(body: str, names: Collection[str], parsed: spans.Spans | None = None,
                    ) -> tuple[list[Directive], list[Finding]]:
    """Every directive naming a known block, in order, and every problem. ``parsed`` is
    ``spans.parse(body)``, when the caller has it already (the page's)."""
    if WORD not in body:
        return [], []
    found = spans.parse(body) if parsed is None else parsed
    hidden, marked = found.hidden, found.marked
    directives: list[Directive] = []
    problems: list[Finding] = []
    placed: set[str] = set()
    for match in LINE.finditer(body):
        if inside(match.start(), hidden):
            continue
        rest = match.group("rest") or ""
        words = [(m.group(), match.start("rest") + m.start()) for m in NAME.finditer(rest)]
        if len(words) != 1:
            at = words[1][1] if len(words) > 1 else match.start()
            problems.append(_problem(
                body,
                at, "safety.bad-directive",
                "a safety line names one block" if words else "this safety line names no block",
                "write '!safety' and the block's name, for example '!safety opioids'; "
                "the blocks are: " + (", ".join(sorted(names)) or "(none yet)")))
            continue
        name, at = words[0]
        if name not in names:
            problems.append(_problem(
                body,
                at, "safety.unknown-block", f"unknown safety block '{name}'",
                did_you_mean(name, names)
                or "the blocks are the files of content/safety/: "
                + (", ".join(sorted(names)) or "(none yet)")))
            continue
        if name in placed:
            problems.append(_problem(
                body,
                at, "safety.duplicate-block", f"safety block '{name}' is placed twice",
                "keep one '!safety " + name + "' line: a page says each warning once"))
            continue
        placed.add(name)
        directives.append(Directive(match.start(), match.end(), name))
    for match in NESTED.finditer(body):
        if not inside(match.start(), marked):
            problems.append(_problem(
                body,
                match.end() - len(WORD), "safety.nested-directive",
                "a safety block cannot go inside a list, a quote or an indented block; "
                "it would be shown as text",
                "put '!safety' at the start of a line of its own, with a blank line "
                "before and after it"))
    return directives, sorted(problems, key=lambda p: p.position)
