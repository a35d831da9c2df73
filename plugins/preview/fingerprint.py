"""A digest of everything a template could read when it renders a page.

Two renders of the same template with contexts of equal digest give the same bytes, so the
preview copies the page from the last good build instead. The digest walks every value
(dicts, lists, dataclasses and objects' attributes) and hashes what it finds; anything it
cannot see into (an object with no attributes and a default repr) gets a fresh token, so
the page is rendered again: unknown is never equal.

A content object other than the page being rendered is hashed by its identity only (its
source file and its address), and so is another page's pipeline record (its source file;
the page's own is hashed with the page, see ``Digester.page``): the writer digests only
pages of the ``article`` and ``page`` templates, and renders one that reads Pelican's
lists of pages (reads.py's OTHER_PAGES). Pages that show other pages (the home page,
lists, conditions, references) are always rendered. A page's reference list is hashed by
what it prints (``listed``): the entries it lists, formatted, and their notes, not the
whole bibliography it is bound to.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import io
import itertools
import pickle
import types
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any

from pelican.contents import Content

from plugins.citations.bibliography import Bibliography
from plugins.citations.formatting import Formatter
from plugins.citations.render import ReferenceList
from plugins.diagnostics import Build, Report
from plugins.evidence.records import Study
from plugins.pipeline.page import Page

# Loaded data that is plain data all through (dataclasses and named tuples of text,
# numbers, enums, paths, tuples, lists and dicts): hashed by its pickle (``plain_digest``).
PLAIN_DATA = (Bibliography, Study)
# Attributes of the rendered page that are hashed once on their own, with the context.
SHARED = frozenset({"_context", "settings"})
_unknown = itertools.count()
SCALARS = (str, int, float, bool, type(None), bytes, complex)
CODE = (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)
# What an object remembers of work already done, a function of its other fields: a build
# whose pages came from the preview's page cache has asked for less of it, and writes the
# same pages.
MEMOS: dict[type, frozenset[str]] = {
    Formatter: frozenset({"formatted", "store", "_labels", "_keys", "_texts", "citeproc_html"})}


class Digester:
    """Hashes values, each container and object once per build (a build does not change
    them while it writes its pages)."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, bool], bytes] = {}
        self._alive: list[Any] = []  # keeps ids unique while their digests are kept
        # A listed entry's digest, by its formatter, notes and key (listed).
        self._entries: dict[tuple[int, int, str], bytes] = {}

    def digest(self, value: Any, *, whole: frozenset[int] = frozenset()) -> bytes:
        """The digest of ``value``; of content objects, only those whose id is in ``whole``
        are hashed with what they hold."""
        return self._digest(value, whole, set())

    def page(self, value: Any, page: Content, record: Page | None = None) -> bytes:
        """``digest(value, whole={id(page)})``, made by pickle (which walks in C): a page's
        own fields are many small values, and walking them in Python cost more than
        rendering some of the pages. A value this build already hashed (the shared
        context's) is written as its digest; any other by the rules of ``_compute``.
        A value pickle cannot write makes the page unknown, so never equal."""
        sink = io.BytesIO()
        try:
            _Pickler(sink, self, page, record).dump(value)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return f"unknown-{next(_unknown)}".encode()
        return hashlib.blake2b(sink.getbuffer(), digest_size=16).digest()

    def _digest(self, value: Any, whole: frozenset[int], seen: set[int]) -> bytes:
        if isinstance(value, SCALARS):
            return hashlib.blake2b(f"{type(value).__name__}:{value!r}".encode(),
                                   digest_size=16).digest()
        if isinstance(value, (enum.Enum, datetime.date, datetime.time, datetime.timedelta,
                              PurePath)):
            return self._digest(f"{type(value).__name__}:{value!s}", whole, seen)
        with_body = id(value) in whole
        key = (id(value), with_body)
        found = self._known.get(key)
        if found is not None:
            return found
        if id(value) in seen:
            return b"cycle"
        seen.add(id(value))
        found = self._compute(value, whole, seen, with_body)
        seen.discard(id(value))
        self._known[key] = found
        self._alive.append(value)
        return found

    def _compute(self, value: Any, whole: frozenset[int], seen: set[int],
                 with_body: bool) -> bytes:
        parts: list[bytes] = [type(value).__qualname__.encode()]
        if isinstance(value, Mapping):
            items = sorted((self._digest(k, whole, seen), self._digest(v, whole, seen))
                           for k, v in value.items())
            parts.extend(k + v for k, v in items)
        elif isinstance(value, (list, tuple)):
            parts.extend(self._digest(v, whole, seen) for v in value)
        elif isinstance(value, (set, frozenset)):
            parts.extend(sorted(self._digest(v, whole, seen) for v in value))
        elif isinstance(value, Report):
            parts.append(b"report")  # what a build found is shown by the preview, not pages
        elif isinstance(value, Build):
            parts.append(self._digest(value._states, whole, seen))
        elif isinstance(value, PLAIN_DATA):
            parts.append(plain_digest(value))
        elif isinstance(value, ReferenceList):
            parts.append(self._digest(listed(value, self), whole, seen))
        elif isinstance(value, Content) and with_body:
            parts.extend(self._digest((name, v), whole, seen)
                         for name, v in sorted(vars(value).items()) if name not in SHARED)
        elif isinstance(value, Content):  # another page: which one, not what it holds
            parts.append(repr((value.source_path, getattr(value, "save_as", None))).encode())
        elif isinstance(value, Page):  # another page's pipeline record: likewise
            parts.append(repr(("record", value.path)).encode())
        else:
            parts.extend(self._object(value, whole, seen))
        return hashlib.blake2b(b"\0".join(parts), digest_size=16).digest()

    def _object(self, value: Any, whole: frozenset[int], seen: set[int]) -> list[bytes]:
        """Any other object: by its name if it is code, else by its fields or attributes;
        one that shows nothing of itself is unknown, so never equal."""
        if isinstance(value, CODE):
            return [f"{getattr(value, '__module__', '')}.{value.__qualname__}".encode()
                    if hasattr(value, "__qualname__") else repr(value).encode()]
        # Attributes, not only a dataclass's fields: a cached_property's value is kept there.
        if hasattr(value, "__dict__") and vars(value):
            memos = MEMOS.get(type(value), frozenset())
            return [self._digest((name, v), whole, seen)
                    for name, v in sorted(vars(value).items()) if name not in memos]
        if dataclasses.is_dataclass(value):
            return [self._digest((f.name, getattr(value, f.name, None)), whole, seen)
                    for f in dataclasses.fields(value)]
        if hasattr(value, "__slots__"):
            return [self._digest((name, getattr(value, name, None)), whole, seen)
                    for name in _slots(type(value))]
        text = repr(value)
        if " at 0x" in text or " object at " in text:
            text = f"unknown-{next(_unknown)}"
        return [text.encode()]


def listed(references: ReferenceList, digester: Digester) -> tuple[Any, ...]:
    """A reference list by all it prints: its own fields and each listed entry, formatted,
    with its note; not the whole bibliography and notes it is bound to, so that a page
    depends only on the entries it lists. An entry that cannot be had is unknown."""
    formatted, notes = references._formatted, references._notes
    known = digester._entries
    try:
        entries = []
        for key in references._keys:
            found = known.get((id(formatted), id(notes), key))
            if found is None:
                found = known[id(formatted), id(notes), key] = plain_digest(
                    (formatted[key], notes.get(key, "")))
                digester._alive.append((formatted, notes))
            entries.append(found)
    except Exception:  # rendered, as it would fail to render
        entries = [f"unknown-{next(_unknown)}".encode()]
    return (references._keys, bytes(references._counts) if isinstance(
        references._counts, bytes) else tuple(references._counts), references._firsts,
        references._numbered, references._alphabetical, b"".join(entries))


class _PlainPickler(pickle.Pickler):
    """Pickle with each set in a sorted order (its order in memory differs between a
    parsed value and its unpickled copy)."""

    def reducer_override(self, value: Any) -> Any:
        if isinstance(value, (set, frozenset)):
            return type(value), (sorted(value, key=_order),)
        return NotImplemented


def _order(value: Any) -> tuple[str, str]:
    return type(value).__qualname__, repr(value)


def plain_digest(value: Any) -> bytes:
    """Plain data (records of text, numbers, tuples, lists, dicts, sets, dataclasses) by
    its pickle, made in C; what pickle cannot write is unknown, so never equal."""
    sink = io.BytesIO()
    try:
        _PlainPickler(sink, pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:  # unknown, so never equal: rendered or read again
        return f"unknown-{next(_unknown)}".encode()
    return hashlib.blake2b(sink.getbuffer(), digest_size=16).digest()


def _fields(kind: str, *values: Any) -> tuple[Any, ...]:
    """What ``_Pickler`` writes an object as: its kind, then its values (never called:
    the bytes are hashed, not read back)."""
    return (kind, *values)


def _name(item: tuple[str, Any]) -> str:
    return item[0]


class _Pickler(pickle.Pickler):
    """Writes a value by ``Digester``'s rules. Exact str, int, float, bytes, dict, list,
    tuple and sets are pickle's own (dicts and sets in their order: a different order only
    renders a page again); every other object passes ``reducer_override``."""

    def __init__(self, sink: io.BytesIO, digester: Digester, page: Content,
                 record: Page | None) -> None:
        super().__init__(sink, protocol=5)
        self.digester, self.whole = digester, id(page)
        self.record = id(record) if record is not None else None

    def reducer_override(self, value: Any) -> Any:  # noqa: PLR0911 - one rule a line
        if isinstance(value, SCALARS) or value is _fields:
            return NotImplemented  # a str subclass (Markup) by its value; ours by name
        if id(value) == self.whole:
            return self._object(value, vars(value).items(), SHARED)
        if isinstance(value, ReferenceList):
            return _fields, ("references", listed(value, self.digester))
        if id(value) == self.record:  # the page's own pipeline record, with all it holds
            return self._object(value, ((f.name, getattr(value, f.name, None))
                                        for f in dataclasses.fields(value)))
        if isinstance(value, (
                Mapping, list, tuple, set, frozenset, Content, Report, Build, enum.Enum,
                datetime.date, datetime.time, datetime.timedelta, PurePath, *CODE)):
            # A kind digest has a rule of its own for (each hashed once a build). Any other
            # object is written by its fields, always: written as its digest only when
            # something hashed it before, the same page would be written two ways.
            return _fields, ("digest", self.digester._digest(
                value, frozenset({self.whole}), set()))
        if hasattr(value, "__dict__") and vars(value):
            # Attributes, not only a dataclass's fields: a cached_property's value is there.
            return self._object(value, vars(value).items(), MEMOS.get(type(value), ()))
        if dataclasses.is_dataclass(value):
            return self._object(value, ((f.name, getattr(value, f.name, None))
                                        for f in dataclasses.fields(value)))
        if hasattr(value, "__slots__"):
            return self._object(value, ((name, getattr(value, name, None))
                                        for name in _slots(type(value))))
        text = repr(value)
        if " at 0x" in text or " object at " in text:
            text = f"unknown-{next(_unknown)}"
        return _fields, (type(value).__qualname__, text)

    @staticmethod
    def _object(value: Any, items: Any, left_out: Any = ()) -> tuple[Any, ...]:
        """Its kind, then its fields in name order, written after the object is remembered
        (so a field that leads back to it is written as a reference to it)."""
        fields: Iterator[Any] = iter([(name, v) for name, v in sorted(items, key=_name)
                                      if name not in left_out])
        return _fields, (type(value).__qualname__,), None, fields


def _slots(kind: type) -> list[str]:
    names: list[str] = []
    for klass in kind.__mro__:
        slots = getattr(klass, "__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return [name for name in names if name not in ("__dict__", "__weakref__")]
