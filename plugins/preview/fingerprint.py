"""A digest of everything a template could read when it renders a page.

Two renders of the same template with contexts of equal digest give the same bytes, so the
preview copies the page from the last good build instead. The digest walks every value
(dicts, lists, dataclasses and objects' attributes) and hashes what it finds; anything it
cannot see into (an object with no attributes and a default repr) gets a fresh token, so
the page is rendered again: unknown is never equal.

A content object other than the page being rendered is hashed by its *face*: all its
attributes but its body. No template shows another page's body (theme/templates: only
``page.content``/``doc.content`` of the page itself); everything else they show of other
pages (title, summary, URL, dates, conditions, ...) is in the face.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import itertools
import types
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from pelican.contents import Content

from plugins.diagnostics import Build, Report

# Attributes of a content object that are not what a template sees of it: its body (in
# the face only), the site-wide context and settings, which are hashed once on their own.
BODY = frozenset({"_content"})
SHARED = frozenset({"_context", "settings"})
_unknown = itertools.count()
SCALARS = (str, int, float, bool, type(None), bytes, complex)


class Digester:
    """Hashes values, each container and object once per build (a build does not change
    them while it writes its pages)."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, bool], bytes] = {}
        self._alive: list[Any] = []  # keeps ids unique while their digests are kept

    def digest(self, value: Any, *, whole: frozenset[int] = frozenset()) -> bytes:
        """The digest of ``value``; content objects whose id is in ``whole`` with their body."""
        return self._digest(value, whole, set())

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
        elif isinstance(value, Content):
            skip = SHARED if with_body else SHARED | BODY
            parts.extend(self._digest((name, v), whole, seen)
                         for name, v in sorted(vars(value).items()) if name not in skip)
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type,
                                types.ModuleType)):
            parts.append(f"{getattr(value, '__module__', '')}.{value.__qualname__}".encode()
                         if hasattr(value, "__qualname__") else repr(value).encode())
        elif dataclasses.is_dataclass(value):
            parts.extend(self._digest((f.name, getattr(value, f.name, None)), whole, seen)
                         for f in dataclasses.fields(value))
        elif hasattr(value, "__dict__") and vars(value):
            parts.extend(self._digest((name, v), whole, seen)
                         for name, v in sorted(vars(value).items()))
        elif hasattr(value, "__slots__"):
            parts.extend(self._digest((name, getattr(value, name, None)), whole, seen)
                         for name in _slots(type(value)))
        else:
            text = repr(value)
            if " at 0x" in text or " object at " in text:
                text = f"unknown-{next(_unknown)}"
            parts.append(text.encode())
        return hashlib.blake2b(b"\0".join(parts), digest_size=16).digest()


def _slots(kind: type) -> list[str]:
    names: list[str] = []
    for klass in kind.__mro__:
        slots = getattr(klass, "__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return [name for name in names if name not in ("__dict__", "__weakref__")]
