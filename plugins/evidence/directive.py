"""The table directive, a line of its own in an article's Markdown:

    !evidence
    !evidence conditions=fibromyalgia designs=randomized-controlled-trial,randomized-crossover-trial
    !evidence designs=reviews caption="Reviews of LDN"

Pure: finds the directives in a body (outside code and comments) with their offsets, checks their
options, and picks the records a directive asks for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from plugins.diagnostics import Finding, did_you_mean
from plugins.sources import spans
from plugins.sources.spans import inside, line_col

from .labels import Work, strongest_first
from .vocabulary import BY_SLUG, DESIGNS, GROUPS, design_of

LINE = re.compile(r"^!evidence(?P<rest>[ \t][^\n]*)?[ \t]*$", re.MULTILINE)
# Indented, in a list item or in a quote: Markdown would print the line as text or code,
# or run the table into a paragraph.
NESTED = re.compile(r"^(?:[ \t]+|[ \t]*(?:[-*+]|\d+[.)]|>)[ \t]+)!evidence\b", re.MULTILINE)
OPTION = re.compile(r'(?P<name>[^\s=]+)(?:=(?:"(?P<quoted>[^"]*)"|(?P<plain>[^\s"]*)))?')
OPTIONS = ("conditions", "designs", "caption")


class Directive(NamedTuple):
    start: int  # offsets of the whole line in the body
    end: int
    conditions: tuple[str, ...] = ()  # slugs; none means every condition
    designs: frozenset[str] | None = None  # design slugs; None means every design
    undesigned: bool = True  # records whose design is not verified ("studies" has them)
    caption: str | None = None


def _problem(body: str, offset: int, code: str, message: str, hint: str | None = None
             ) -> Finding:
    return Finding.at(line_col(body, offset), code, message, hint)


Resolve = Callable[[str], str | None]


def find_directives(body: str, resolve: Resolve, condition_names: Callable[[], list[str]],
                    parsed: spans.Spans | None = None,
                    ) -> tuple[list[Directive], list[Finding]]:
    """Every directive in ``body`` outside code and comments, and every problem in them.
    ``parsed`` is ``spans.parse(body)``, when the caller has it already (the page's)."""
    if not spans.holds(body, "!evidence"):
        return [], []
    found = spans.parse(body) if parsed is None else parsed
    directives: list[Directive] = []
    problems: list[Finding] = []
    for match in _lines(body, found.hidden):
        rest_at = match.start("rest") if match.group("rest") else match.end()
        directives.append(_parse(match, rest_at, resolve, condition_names, problems))
    marked = found.marked
    for match in NESTED.finditer(body):
        if not inside(match.start(), marked):
            problems.append(_problem(
                body,
                match.end() - len("!evidence"), "evidence.nested-directive",
                "an evidence table cannot go inside a list, a quote or an indented block; "
                "it would be shown as text", "put '!evidence' at the start of a line of its "
                "own, with a blank line before and after it"))
    return directives, problems


def _lines(text: str, hidden: list[tuple[int, int]]) -> list[re.Match[str]]:
    return [match for match in LINE.finditer(text) if not inside(match.start(), hidden)]


def directive_spans(text: str) -> list[tuple[int, int]]:
    """Where the directive lines are in ``text`` (outside code and comments), in order."""
    return [(match.start(), match.end()) for match in _lines(text, spans.parse(text).hidden)]


def _parse(  # noqa: PLR0912 - one branch per option and per kind of problem
        match: re.Match[str], rest_at: int, resolve: Resolve,
           condition_names: Callable[[], list[str]], problems: list[Finding]) -> Directive:
    body = match.string
    rest = match.group("rest") or ""
    values: dict[str, tuple[int, str]] = {}
    for option in OPTION.finditer(rest):
        at = rest_at + option.start()
        name = option["name"]
        value = option["quoted"] if option["quoted"] is not None else option["plain"]
        if name not in OPTIONS:
            problems.append(_problem(body, at, "evidence.bad-directive",
                                    f"unknown option '{name}' in an evidence table",
                                    did_you_mean(name, OPTIONS)
                                    or "the options are conditions=, designs= and caption="))
        elif not value:
            problems.append(_problem(body, at, "evidence.bad-directive",
                                    f"option '{name}' has no value",
                                    f'write {name}=value (quote a caption: caption="...")'))
        else:
            values[name] = (at + len(name) + 1 + (option["quoted"] is not None), value)
    conditions: list[str] = []
    if "conditions" in values:
        at, text = values["conditions"]
        for name, offset in _items(text, at):
            slug = resolve(name)
            if slug is None:
                problems.append(_problem(body, offset, "evidence.unknown-condition",
                                        f"unknown condition '{name}' in an evidence table",
                                        did_you_mean(name, condition_names())
                                        or "use a slug or synonym from conditions.yaml"))
            elif slug not in conditions:
                conditions.append(slug)
    designs: set[str] | None = None
    undesigned = True
    if "designs" in values:
        at, text = values["designs"]
        designs, undesigned = set(), False
        for name, offset in _items(text, at):
            if name in GROUPS:
                reviews = name == "reviews"
                designs |= {d.slug for d in DESIGNS if d.review == reviews}
                undesigned = undesigned or not reviews
                continue
            design = design_of(name)
            if design is None:
                problems.append(_problem(body, offset, "evidence.unknown-design",
                                        f"unknown design '{name}' in an evidence table",
                                        did_you_mean(name, [*GROUPS, *BY_SLUG])
                                        or "use studies, reviews or a design slug: "
                                        + ", ".join(BY_SLUG)))
            else:
                designs.add(design.slug)
    caption = values["caption"][1].strip() if "caption" in values else None
    return Directive(match.start(), match.end(), tuple(conditions),
                     frozenset(designs) if designs is not None else None, undesigned, caption)


def _items(text: str, at: int) -> Iterable[tuple[str, int]]:
    offset = at
    for item in text.split(","):
        if item.strip():
            yield item.strip(), offset + len(item) - len(item.lstrip())
        offset += len(item) + 1


def select(works: Iterable[Work], directive: Directive) -> list[Work]:
    """The LDN records a directive asks for, strongest design first. A work that is not
    about LDN (``ldn: false``) is never evidence about it, so no table shows one."""
    chosen = []
    for work in works:
        study = work.study
        if not study.ldn:
            continue
        if directive.conditions and not set(directive.conditions) & set(study.conditions):
            continue
        if directive.designs is not None and (
                study.design.slug not in directive.designs if study.design
                else not directive.undesigned):
            continue
        chosen.append(work)
    return strongest_first(chosen)


def caption(directive: Directive, condition_names: Sequence[str]) -> str:
    """What the table lists, unless the directive gives its own caption."""
    if directive.caption:
        return directive.caption
    if directive.designs is None:
        what = "Studies and reviews of LDN"
    elif directive.designs == {d.slug for d in DESIGNS if d.review}:
        what = "Reviews of LDN"
    elif directive.undesigned and not any(BY_SLUG[s].review for s in directive.designs):
        what = "Clinical studies of LDN"
    else:
        names = [d.name.lower() for d in DESIGNS if d.slug in directive.designs]
        what = "LDN studies (" + ", ".join(names) + ")"
    if condition_names:
        what += " in " + ", ".join(condition_names)
    return what + ", strongest design first, then newest"
