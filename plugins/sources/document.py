"""Split a Markdown source into YAML front-matter and body, keeping line and column
of every front-matter key and value. Pure: no Pelican, no I/O beyond the bytes given.
The YAML itself is read by plugins/sources/yamldoc.py, as every data file is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from plugins.diagnostics import Finding

from .yamldoc import Position, SourceError, parse

OPENING = re.compile(r"\A(?:[ \t]*\r?\n)*---[ \t]*\r?\n")
CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass
class FrontMatter:
    data: dict[str, Any]
    keys: dict[str, Position] = field(default_factory=dict)
    values: dict[str, Position] = field(default_factory=dict)
    items: dict[str, list[Position]] = field(default_factory=dict)
    duplicates: list[tuple[str, Position, Position]] = field(default_factory=list)
    end: Position = Position(1, 1)  # noqa: RUF009 - an immutable tuple, safe to share

    def key_position(self, key: str) -> Position:
        return self.keys.get(key, self.end)

    def value_position(self, key: str) -> Position:
        return self.values.get(key, self.key_position(key))

    def item_position(self, key: str, index: int) -> Position:
        positions = self.items.get(key, [])
        return positions[index] if index < len(positions) else self.value_position(key)


@dataclass
class SourceDocument:
    """A source file: its full text, its front-matter and where its body starts (what a
    stage rewrites of the body is on the page: plugins/pipeline/page.py)."""

    path: Path
    text: str
    front_matter: FrontMatter
    body_offset: int

    @property
    def body(self) -> str:
        """The Markdown below the front-matter, exactly as written."""
        return self.text[self.body_offset :]

    def position(self, offset: int) -> Position:
        """Line and column of a character offset into the full text."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return Position(self.text.count("\n", 0, offset) + 1, offset - line_start + 1)

    def body_position(self, offset: int) -> Position:
        """Line and column of a character offset into the body."""
        return self.position(self.body_offset + offset)

    def in_body(self, findings: Iterable[Finding]) -> list[Finding]:
        """Findings of a check given the body (at its lines and columns), placed in the
        file."""
        line, col = self.position(self.body_offset)
        return [replace(f, line=f.line + line - 1, col=f.col + (col - 1) * (f.line == 1))
                for f in findings]


def decode(raw: bytes) -> str:
    """UTF-8 text, or a SourceError pointing at the first byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            "sources.bad-encoding",
            f"file is not UTF-8 (byte 0x{raw[err.start]:02x} cannot be decoded)",
            Position(line, col),
            "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
        ) from None
    return text.removeprefix("\ufeff")


def parse_source(path: Path, raw: bytes) -> SourceDocument:
    """Parse a Markdown source; raises SourceError when it cannot be used at all."""
    text = decode(raw).replace("\r\n", "\n")
    opening = OPENING.match(text)
    if not opening:
        raise SourceError(
            "sources.no-front-matter",
            "the file does not start with YAML front-matter",
            Position(1, 1),
            "start the file with a line '---', the fields (title: ...), and another '---'",
        )
    closing = CLOSING.search(text, opening.end())
    if not closing:
        raise SourceError(
            "sources.unclosed-front-matter",
            "the front-matter opened on this line is never closed",
            Position(text.count("\n", 0, text.rfind("---", 0, opening.end())) + 1, 1),
            "add a line '---' after the last front-matter field",
        )
    header = text[opening.end() : closing.start()]
    first_line = text.count("\n", 0, opening.end()) + 1
    front_matter = parse_front_matter(header, first_line)
    front_matter.end = Position(text.count("\n", 0, closing.start()) + 1, 1)
    body_offset = min(closing.end() + 1, len(text))
    return SourceDocument(path=path, text=text, front_matter=front_matter,
                          body_offset=body_offset)


def parse_front_matter(header: str, first_line: int = 2) -> FrontMatter:
    """YAML front-matter with positions; ``first_line`` is the file line of its first line."""
    node, data = parse(header, "front-matter", "sources", first_line=first_line)
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode | None):
        raise SourceError(
            "sources.bad-yaml",
            "front-matter must be a list of 'field: value' lines",
            Position(first_line, 1),
            "write each field on its own line as 'name: value'",
        )
    return front_matter_of(node, data, first_line)


def front_matter_of(node: yaml.MappingNode | None, data: dict[Any, Any],
                    first_line: int = 1) -> FrontMatter:
    """Fields with positions from a mapping's node and its values: a page's front-matter,
    or a section of a data file written like one (conditions.yaml's ``review:``)."""
    front_matter = FrontMatter(data={str(k): v for k, v in data.items()})
    for key_node, value_node in node.value if node else []:
        key = str(key_node.value)
        where = _at(key_node, first_line)
        if key in front_matter.keys:
            front_matter.duplicates.append((key, front_matter.keys[key], where))
            continue
        front_matter.keys[key] = where
        front_matter.values[key] = _at(value_node, first_line)
        if isinstance(value_node, yaml.SequenceNode):
            front_matter.items[key] = [_at(n, first_line) for n in value_node.value]
    return front_matter


def _at(node: yaml.Node, first_line: int) -> Position:
    return Position(node.start_mark.line + first_line, node.start_mark.column + 1)
