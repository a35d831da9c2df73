"""The site's YAML: every data file (pharmacy.yaml, conditions.yaml, studies.yaml,
integrity.yaml) and every page's front-matter is read here, into PyYAML's node tree,
which keeps the line and column of every key and value, and the values built from it.

YAML is untrusted text, so what it may hold is bounded, and each refusal is one located
SourceError whose code starts with the caller's prefix (``sources``, ``sitedata``, ...):

- ``<prefix>.bad-yaml``: not valid YAML (or a character YAML does not allow).
- ``<prefix>.yaml-alias``: an anchor (``&name``) or an alias (``*name``). No file of the
  site needs one, and an alias is how a few lines expand to billions of values (an
  "alias bomb"); each value is written out where it is needed.
- ``<prefix>.yaml-too-large``: more than MAX_NODES values, or lists and mappings nested
  deeper than MAX_DEPTH (LibYAML's composer recurses in C: a deep enough nesting ends
  the process with no message at all).

Pure: no Pelican, no I/O. Splitting a page's front-matter from its body is
plugins/sources/document.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import yaml

from plugins.diagnostics import Finding

# A data file holds a few thousand values (studies.yaml, about 4 a line, at 1000
# articles); a front-matter a few dozen.
MAX_NODES = 100_000
MAX_DEPTH = 32  # the site's files nest 5 deep at most

# LibYAML's parser where PyYAML was built with it: a fifth of the pure-Python cost. Its
# events are composed here (in Python), which is where the bounds are kept.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def position(self) -> Position:
        return Position(self.finding.line, self.finding.col)


class _Values(yaml.constructor.SafeConstructor):
    """Python values of a node tree; an impossible date (2026-02-30) stays text, for the
    checks to report where it is written."""


def _timestamp_or_text(constructor: _Values, node: yaml.ScalarNode) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(constructor, node)
    except ValueError:
        return constructor.construct_scalar(node)


_Values.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _Composer:
    """PyYAML's composer, with the bounds: it refuses an anchor or alias where it is
    met, and stops at MAX_NODES values or MAX_DEPTH levels, so nothing past the first
    refusal is read."""

    def __init__(self, loader: Any, what: str, prefix: str, first_line: int) -> None:
        self.loader, self.what, self.prefix, self.first_line = loader, what, prefix, first_line
        self.count = 0

    def document(self) -> yaml.Node | None:
        loader = self.loader
        loader.get_event()  # stream start
        node = None
        if not loader.check_event(yaml.StreamEndEvent):
            loader.get_event()  # document start
            node = self.node(0)
            loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                None, None, "a second document starts here ('---'); a file holds one",
                loader.get_event().start_mark)
        return node

    def node(self, depth: int) -> yaml.Node:
        loader = self.loader
        event = loader.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise self.refusal(
                "yaml-alias", event.start_mark,
                f"{self.what} uses the YAML {'alias' if sign == '*' else 'anchor'} "
                f"'{sign}{event.anchor[:40]}', which this site does not allow",
                "write the value out in full wherever it is needed")
        self.count += 1
        if self.count > MAX_NODES:
            raise self.refusal(
                "yaml-too-large", event.start_mark,
                f"{self.what} holds more than {MAX_NODES:,} values",
                "remove what was pasted in by mistake; no file of the site needs this many")
        loader.get_event()
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            return yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                   style=event.style)
        if depth >= MAX_DEPTH:
            raise self.refusal(
                "yaml-too-large", event.start_mark,
                f"{self.what} nests lists and mappings more than {MAX_DEPTH} levels deep",
                "write it flatter; no file of the site nests more than a few levels")
        mapping = isinstance(event, yaml.MappingStartEvent)
        kind = yaml.MappingNode if mapping else yaml.SequenceNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(kind, None, event.implicit)
        node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        end = yaml.MappingEndEvent if mapping else yaml.SequenceEndEvent
        while not loader.check_event(end):
            if mapping:
                key = self.node(depth + 1)
                node.value.append((key, self.node(depth + 1)))
            else:
                node.value.append(self.node(depth + 1))
        node.end_mark = loader.get_event().end_mark
        return node

    def refusal(self, kind: str, mark: yaml.Mark, message: str, hint: str) -> SourceError:
        return SourceError(f"{self.prefix}.{kind}", message, _position(mark, self.first_line),
                           hint)


def parse(text: str, what: str, prefix: str, *, first_line: int = 1,
          hint: str | None = None) -> tuple[yaml.Node | None, Any]:
    """The node tree of ``text`` (positions) and its Python values, from one parse; a
    SourceError for YAML that is not valid or not within the bounds. ``what`` names the
    text in messages ("pharmacy.yaml", "front-matter"); ``first_line`` is the file line
    of its first line; ``hint`` replaces the advice for a syntax error."""
    node = compose(text, what, prefix, first_line=first_line, hint=hint)
    try:
        return node, (_Values().construct_document(node) if node is not None else None)
    except yaml.MarkedYAMLError as err:  # a tag no safe loader builds (!!python/...)
        raise _syntax_error(err, what, prefix, first_line, hint) from None


def values(node: yaml.Node) -> Any:
    """The Python values of one node of a tree ``compose`` made (a data file's section)."""
    return _Values().construct_document(node)


def compose(text: str, what: str, prefix: str, *, first_line: int = 1,
            hint: str | None = None) -> yaml.Node | None:
    """The node tree of ``text`` alone (see parse)."""
    loader = _Loader(text)
    try:
        return _Composer(loader, what, prefix, first_line).document()
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, what, prefix, first_line, hint) from None
    except yaml.YAMLError as err:  # a character YAML does not allow, before any parsing
        offset = getattr(err, "position", 0) or 0
        line_start = text.rfind("\n", 0, offset) + 1
        where = Position(first_line + text.count("\n", 0, offset), offset - line_start + 1)
        character = getattr(err, "character", None)
        problem = getattr(err, "reason", None) or "cannot be read"
        if isinstance(character, int):
            problem = f"character U+{character:04X}: {problem}"
        raise SourceError(f"{prefix}.bad-yaml", f"{what} is not valid YAML: {problem}", where,
                          hint or "delete the character, or retype the line") from None
    finally:
        loader.dispose()


def _position(mark: yaml.Mark, first_line: int) -> Position:
    return Position(mark.line + first_line, mark.column + 1)


def _syntax_error(err: yaml.MarkedYAMLError, what: str, prefix: str, first_line: int,
                  hint: str | None) -> SourceError:
    mark = err.problem_mark or err.context_mark
    position = _position(mark, first_line) if mark else Position(first_line, 1)
    problem = err.problem or "malformed YAML"
    # LibYAML and pure-Python PyYAML word this one differently; editors see one wording.
    if problem.startswith("mapping values are not allowed"):
        problem = "mapping values are not allowed here"
    return SourceError(f"{prefix}.bad-yaml", f"{what} is not valid YAML: {problem}", position,
                       hint or _hint(problem))


def _hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return ("put quotes around a value that contains ': ' "
                '(for example title: "LDN: an overview")')
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return "check the indentation and quoting on this line and the one before it"


def node_position(node: yaml.Node) -> Position:
    """Where a node of a composed data file starts (lines and columns from 1)."""
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def mapping_pairs(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(key text, key node, value node) of a mapping node; nothing for any other node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield str(key.value), key, value
