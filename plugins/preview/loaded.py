"""The parsed bibliography kept from one preview build to the next.

``load_bytes`` (plugins/citations/bibliography.py) makes the bibliography from each file's
path and bytes, in the settings' order (a file that is not there is None), and from our
code and the journal table, fixed for the process (a code change restarts the preview).
The key is therefore exactly those paths and the digests of those bytes, in order: an
unchanged 20,000-entry bibliography is parsed once.

Each build gets a copy of its own, unpickled from the one kept (pickled as it was loaded,
before any build used it): nothing a build does to its bibliography reaches the next.
Only the preview server installs this; ``invoke build`` parses its files every time.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from plugins.citations.bibliography import Bibliography, load_bytes, read_file

Key = tuple[tuple[str, bytes | None], ...]


def files_key(files: list[tuple[Path, bytes | None]]) -> Key:
    """Each file's path and the digest of its bytes (None: not there), in order."""
    return tuple((str(path), None if raw is None else
                  hashlib.blake2b(raw, digest_size=20).digest()) for path, raw in files)


class Bibliographies:
    """The last bibliography loaded, by its key."""

    def __init__(self) -> None:
        self.key: Key | None = None
        self.kept = b""
        self.hits = self.misses = 0

    def load(self, paths: list[Path]) -> Bibliography:
        """``load_files(paths)``, parsed only when a file's path or bytes changed."""
        files = [(path, read_file(path)) for path in paths]
        key = files_key(files)
        if key == self.key:
            self.hits += 1
            return pickle.loads(self.kept)  # noqa: S301 - our own bytes, made just above
        self.misses += 1
        bibliography = load_bytes(files)
        self.key, self.kept = key, pickle.dumps(bibliography, pickle.HIGHEST_PROTOCOL)
        return bibliography


def memo_load_files(load: Callable[[list[Path]], Bibliography],
                    bibliographies: Bibliographies) -> Callable[[list[Path]], Bibliography]:
    """``load`` (``load_files``) through ``bibliographies``."""

    def load_files(paths: list[Path]) -> Bibliography:
        return bibliographies.load(paths)

    load_files.original = load  # type: ignore[attr-defined]
    return load_files
