"""Split a Markdown source into YAML front-matter and body, keeping line and column
of every front-matter key and value. Pure: no Pelican, no I/O beyond the bytes given."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from plugins.diagnostics import Finding

# The most values front-matter may hold once YAML aliases (``*name``) are expanded. A
# page's front-matter holds a few dozen; an "alias bomb" (each alias repeating the last
# one ten times) holds billions, and every check that reads it would hang.
MAX_VALUES = 10_000
ALIAS = re.compile(r"(?<![^\s\[{,:-])\*[^\s,\[\]{}]+")

OPENING = re.compile(r"\A(?:[ \t]*\r?\n)*---[ \t]*\r?\n")
CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


# LibYAML's parser where PyYAML was built with it: a fifth of the pure-Python cost.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps an impossible date (2026-02-30) as text for the checks to report."""


def _timestamp_or_text(loader: FrontMatterLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class Position(NamedTuple):
    """1-based line and column in the source file."""

    line: int
    col: int


class SourceError(Exception):
    """A source that cannot be read at all; carries the finding: where and how to fix it."""

    def __init__(
        self, code: str, message: str, position: Position, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.finding = Finding.at(position, code, message, hint)


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


def _mark(mark: yaml.Mark, first_line: int) -> Position:
    return Position(mark.line + first_line, mark.column + 1)


def yaml_problem(err: yaml.MarkedYAMLError, first_line: int = 1) -> tuple[Position, str]:
    """Where a YAML error is, in file lines (``first_line`` is the YAML's first), and what."""
    mark = err.problem_mark or err.context_mark
    position = _mark(mark, first_line) if mark else Position(first_line, 1)
    problem = err.problem or "malformed YAML"
    # LibYAML and pure-Python PyYAML word this one differently; editors see one wording.
    if problem.startswith("mapping values are not allowed"):
        problem = "mapping values are not allowed here"
    return position, problem


def expanded_size(node: yaml.Node, limit: int = MAX_VALUES) -> int | None:
    """How many values the node holds with every alias expanded, or None past ``limit``
    (or when an alias refers to a node that holds it: that never ends). Each node is
    counted once, however often aliases repeat it, so this takes linear time."""
    sizes: dict[int, int] = {}
    pending: set[int] = set()

    def size(current: yaml.Node) -> int | None:
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in pending:
            return None  # a cycle
        total = 1
        if isinstance(current, yaml.CollectionNode):
            pending.add(key)
            children = (current.value if isinstance(current, yaml.SequenceNode)
                        else [n for pair in current.value for n in pair])
            for child in children:
                counted = size(child)
                if counted is None or total + counted > limit:
                    return None
                total += counted
            pending.discard(key)
        sizes[key] = total
        return total

    return size(node)


def _alias_problem(header: str, first_line: int, what: str = "front-matter",
                   code: str = "sources.yaml-too-large") -> SourceError:
    match = ALIAS.search(header)
    offset = match.start() if match else 0
    line_start = header.rfind("\n", 0, offset) + 1
    where = Position(first_line + header.count("\n", 0, offset), offset - line_start + 1)
    return SourceError(
        code,
        f"{what} expands to more than {MAX_VALUES} values through YAML aliases "
        "(*name), or an alias contains itself",
        where,
        "write the values out instead of using YAML anchors (&name) and aliases (*name)",
    )


def _bounded(node: yaml.Node | None, text: str, what: str, code: str) -> yaml.Node | None:
    if node is not None and "*" in text and expanded_size(node) is None:
        raise _alias_problem(text, 1, what, code)
    return node


def compose_bounded(text: str, what: str, code: str) -> yaml.Node | None:
    """The YAML node tree of a data file, which keeps every value's position; a
    SourceError (``code``) when its aliases expand past MAX_VALUES."""
    loader = _SafeLoader(text)
    try:
        return _bounded(loader.get_single_node(), text, what, code)
    finally:
        loader.dispose()


def load_bounded(text: str, what: str, code: str) -> Any:
    """``yaml.safe_load`` for a data file, but a SourceError (``code``) when its aliases
    expand past MAX_VALUES: a template that prints such a list would never finish."""
    loader = _SafeLoader(text)
    try:
        node = _bounded(loader.get_single_node(), text, what, code)
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def node_position(node: yaml.Node) -> Position:
    """Where a node of a composed data file starts (lines and columns from 1)."""
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def mapping_pairs(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(key text, key node, value node) of a mapping node; nothing for any other node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield str(key.value), key, value


def parse_front_matter(header: str, first_line: int = 2) -> FrontMatter:
    """YAML front-matter with positions; ``first_line`` is the file line of its first line."""
    try:
        # One parse gives both the positions (the node tree) and the values built from it.
        loader = FrontMatterLoader(header)
        try:
            node = loader.get_single_node()
            if node is not None and "*" in header and expanded_size(node) is None:
                raise _alias_problem(header, first_line)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        position, problem = yaml_problem(err, first_line)
        raise SourceError(
            "sources.bad-yaml",
            f"front-matter is not valid YAML: {problem}",
            position,
            _yaml_hint(problem),
        ) from None
    except yaml.YAMLError as err:
        raise SourceError(
            "sources.bad-yaml", f"front-matter is not valid YAML: {err}", Position(first_line, 1)
        ) from None
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode | None):
        raise SourceError(
            "sources.bad-yaml",
            "front-matter must be a list of 'field: value' lines",
            Position(first_line, 1),
            "write each field on its own line as 'name: value'",
        )
    front_matter = FrontMatter(data={str(k): v for k, v in data.items()})
    for key_node, value_node in node.value if node else []:
        key = str(key_node.value)
        where = _mark(key_node.start_mark, first_line)
        if key in front_matter.keys:
            front_matter.duplicates.append((key, front_matter.keys[key], where))
            continue
        front_matter.keys[key] = where
        front_matter.values[key] = _mark(value_node.start_mark, first_line)
        if isinstance(value_node, yaml.SequenceNode):
            front_matter.items[key] = [_mark(n.start_mark, first_line) for n in value_node.value]
    return front_matter


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return ("put quotes around a value that contains ': ' "
                '(for example title: "LDN: an overview")')
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return "check the indentation and quoting on this line and the one before it"
