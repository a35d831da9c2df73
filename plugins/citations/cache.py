"""Formatted entries kept on disk between builds, so citeproc formats an entry only when
the entry, the style or citeproc itself changed.

citeproc-py is the largest fixed cost of a build with a large bibliography. The file is
a cache and nothing more: a missing, unreadable, corrupt or outdated file is the same as
an empty one, and the build output does not depend on it.
Entries are keyed by a digest of the exact data citeproc sees, and the whole file by a
digest of the style, citeproc's version and this module's format version.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
FORMAT_VERSION = 1  # bump when what is stored per entry changes


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def style_digest(style_path: Path) -> str:
    """What every stored entry depends on besides its own data."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}\0{_version('citeproc-py')}\0".encode())
    digest.update(style_path.read_bytes())
    return digest.hexdigest()


def entry_digest(csl: dict[str, Any]) -> str:
    """The digest of one entry's CSL data, exactly as citeproc receives it."""
    data = json.dumps(csl, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class FormatCache:
    """citeproc's HTML per entry digest: read once per build, written once after it."""

    path: Path | None
    namespace: str
    stored: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None, namespace: str) -> FormatCache:
        cache = cls(path, namespace)
        if path is None:
            return cache
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache  # no cache yet, or one that cannot be used: format afresh
        if not isinstance(data, dict) or data.get("namespace") != namespace:
            return cache  # another style, citeproc or format version: nothing applies
        entries = data.get("entries")
        if isinstance(entries, dict):
            cache.stored = {k: v for k, v in entries.items() if isinstance(v, str)}
        return cache

    def get(self, digest: str) -> str | None:
        html = self.stored.get(digest)
        if html is not None:
            self.used[digest] = html
        return html

    def put(self, digest: str, html: str) -> None:
        self.used[digest] = html

    def save(self) -> None:
        """Write what this build used (entries no longer in the bibliography drop out)."""
        if self.path is None or self.used == self.stored:
            return
        data = {"namespace": self.namespace, "entries": dict(sorted(self.used.items()))}
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=0)
            temporary.replace(self.path)  # atomic: readers see the old file or the new
        except OSError as err:
            # The next build formats the entries again; nothing else is lost.
            logger.warning("citations: cannot write the cache %s (%s)", self.path, err)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return
        self.stored = dict(self.used)
