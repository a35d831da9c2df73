"""Study records (content/studies.yaml): a pure parser that keeps the line and column of
every field, so that each problem points into the file. No Pelican, no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from plugins.diagnostics import Finding, did_you_mean
from plugins.sources.yamldoc import SourceError, compose, mapping_pairs, node_position

from .vocabulary import (
    COMPARATORS,
    DESIGNS,
    DIRECTIONS,
    Design,
    Direction,
    design_of,
    direction_of,
)

FIELDS = ("name", "design", "details", "participants", "studies", "dose", "duration",
          "comparator", "conditions", "outcome", "direction", "ldn")
TEXT_FIELDS = ("name", "details", "dose", "duration", "outcome")
# "99", "99 women aged 18 to 64", "1,200 adults": a count, then who they were.
PARTICIPANTS = re.compile(r"^(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![\d.])[,;:]?\s*(?P<who>.*)$",
                          re.DOTALL)


@dataclass(frozen=True)
class Study:
    """One work's study facts. A field that is None was not verified: "not verified"."""

    key: str
    line: int
    col: int
    name: str | None = None
    design: Design | None = None
    details: str | None = None
    participants: int | None = None
    who: str | None = None  # a short description of the participants
    studies: int | None = None  # how many studies a review included
    dose: str | None = None
    duration: str | None = None
    comparator: str | None = None
    conditions: tuple[str, ...] = ()  # registry slugs, synonyms resolved
    outcome: str | None = None
    direction: Direction | None = None
    ldn: bool = True

    @property
    def review(self) -> bool:
        return self.design is not None and self.design.review


Resolve = Callable[[str], str | None]  # a condition name -> its slug, or None
Candidates = Callable[[], list[str]]


def parse_studies(text: str, resolve: Resolve, condition_names: Candidates,
                  ) -> tuple[dict[str, Study], list[Finding]]:
    """Every record and every problem in it. A record with problems is still kept (its
    bad fields left out), so that pages citing it do not report a second, misleading one."""
    try:
        root = compose(text, "studies.yaml", "evidence")
    except SourceError as err:
        return {}, [err.finding]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [Finding.at(node_position(root), "evidence.bad-record",
                            "studies.yaml must be a list of 'citation-key:' entries",
                            "start each record with its key from bibliography.bib, then "
                            "its fields indented below it")]
    studies: dict[str, Study] = {}
    findings: list[Finding] = []
    for key, key_node, value in mapping_pairs(root):
        if key in studies:
            findings.append(Finding.at(node_position(key_node), "evidence.duplicate-key",
                                    f"'{key}' has two study records (first on line "
                                    f"{studies[key].line})", "merge the two into one"))
            continue
        studies[key] = _record(key, key_node, value, resolve, condition_names, findings)
    return studies, findings


def _record(key: str, key_node: yaml.Node, node: yaml.Node, resolve: Resolve,
            condition_names: Candidates, findings: list[Finding]) -> Study:
    where = node_position(key_node)
    if not isinstance(node, yaml.MappingNode):
        findings.append(Finding.at(node_position(node), "evidence.bad-record",
                                f"the record of '{key}' must be a set of 'field: value' lines",
                                "indent its fields under the key, e.g. '  design: case-report'"))
        return Study(key, *where)
    values: dict[str, object] = {}
    for name, name_node, value in mapping_pairs(node):
        if name not in FIELDS:
            findings.append(Finding.at(node_position(name_node), "evidence.unknown-field",
                                    f"unknown field '{name}' in the record of '{key}'",
                                    did_you_mean(name, FIELDS)
                                    or f"the fields are {', '.join(FIELDS)}"))
            continue
        parsed = _field(key, name, value, resolve, condition_names, findings)
        if parsed is not None:
            values[name] = parsed
    participants = values.pop("participants", None)
    n, who = participants if isinstance(participants, tuple) else (None, None)
    return Study(key, *where, participants=n, who=who, **values)  # type: ignore[arg-type]


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null") \
            and str(node.value).strip():
        return " ".join(str(node.value).split())
    return None


def _field(  # noqa: PLR0911, PLR0912 - one short branch per field, read top to bottom
        key: str, name: str, node: yaml.Node, resolve: Resolve,
        condition_names: Candidates, findings: list[Finding]) -> object | None:
    """The field's value, or None after adding why it cannot be used."""
    def bad(code: str, message: str, hint: str | None, at: yaml.Node = node) -> None:
        findings.append(Finding.at(node_position(at), code, message, hint))

    if name == "conditions":
        return _conditions(key, node, resolve, condition_names, findings)
    text = _scalar(node)
    if text is None:
        bad("evidence.bad-value", f"'{name}' of '{key}' must be a single value",
            f"write '{name}: ...' with a value, or leave the field out if it is not known")
        return None
    if name in TEXT_FIELDS:
        if not node.tag.endswith(":str"):  # a number or true/false where words belong
            bad("evidence.bad-value", f"'{name}' of '{key}' must be text, not {text}",
                f"write it in words, in quotes: {name}: \"...\"")
            return None
        return text
    if name == "design":
        design = design_of(text)
        if design is None:
            bad("evidence.unknown-design", f"unknown design '{text}' in the record of '{key}'",
                did_you_mean(text, [d.slug for d in DESIGNS])
                or "use one of: " + ", ".join(d.slug for d in DESIGNS))
        return design
    if name == "direction":
        direction = direction_of(text)
        if direction is None:
            bad("evidence.unknown-direction",
                f"unknown direction '{text}' in the record of '{key}'",
                did_you_mean(text.replace(" ", "-"), [d.slug for d in DIRECTIONS])
                or "use one of: " + ", ".join(d.slug for d in DIRECTIONS))
        return direction
    if name == "comparator":
        if text.lower() not in COMPARATORS:
            bad("evidence.unknown-comparator",
                f"unknown comparator '{text}' in the record of '{key}'",
                did_you_mean(text, COMPARATORS) or "use one of: " + ", ".join(COMPARATORS))
            return None
        return text.lower()
    if name == "participants":
        match = PARTICIPANTS.match(text)
        if not match or int(match["n"].replace(",", "")) == 0:
            bad("evidence.bad-participants",
                f"participants of '{key}' must start with a number, not '{text}'",
                "write the number of people first, e.g. 'participants: 99 women aged 18 "
                "to 64', or leave the field out if it is not known")
            return None
        return int(match["n"].replace(",", "")), match["who"].strip() or None
    if name == "studies":
        if not text.isdigit() or int(text) == 0:
            bad("evidence.bad-value", f"'studies' of '{key}' must be a number, not '{text}'",
                "write how many studies the review included, e.g. 'studies: 4'")
            return None
        return int(text)
    # ldn: YAML's true/false, as the other data files write them.
    if text.lower() not in ("true", "false"):
        bad("evidence.bad-value", f"'ldn' of '{key}' must be true or false, not '{text}'",
            "write 'ldn: false' for a work that is not about low-dose naltrexone")
        return None
    return text.lower() == "true"


def _conditions(key: str, node: yaml.Node, resolve: Resolve, condition_names: Candidates,
                findings: list[Finding]) -> tuple[str, ...] | None:
    items = node.value if isinstance(node, yaml.SequenceNode) else None
    if items is None or not all(isinstance(item, yaml.ScalarNode) for item in items):
        findings.append(Finding.at(node_position(node), "evidence.bad-value",
                                f"'conditions' of '{key}' must be a list of condition slugs",
                                "write conditions: [fibromyalgia]"))
        return None
    slugs: list[str] = []
    for item in items:
        name = str(item.value).strip()
        slug = resolve(name)
        if slug is None:
            findings.append(Finding.at(node_position(item), "evidence.unknown-condition",
                                    f"unknown condition '{name}' in the record of '{key}'",
                                    did_you_mean(name, condition_names())
                                    or "use a slug or synonym from conditions.yaml"))
        elif slug not in slugs:
            slugs.append(slug)
    return tuple(slugs)
