"""Each page's read result kept from one preview build to the next: an unchanged page is
not parsed, staged, converted or typogrified again.

The page pipeline's contract (plugins/pipeline/stages.py): a page's stage results and
findings are a function of its source and of the loaded data its stages read. The key is
therefore the digest of the source's bytes, of every loaded data file but the
bibliography and the study records (all of content/ that is not an article or page, the
theme's files), and the review's "today"; and an entry is used only while what its read
depended on of the bibliography and the study records is unchanged (depends.py: the
records of the works it cites, by key; both files whole for a page with an evidence
table). A bibliography or study edit reads again only the pages citing what changed.

A cached page comes back as a fresh read would: registered in the new build's pages, its
findings reported in the new build. What a page keeps that belongs to one build (its
reference lists' formatter and notes, the review records' intern table, the shared author
list) is bound again to the new build's. A page whose metadata holds anything else that
is not a plain value is never cached. Entries of a build are kept only if it succeeded
and the data files did not change while it ran.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.urlwrappers import URLWrapper

from plugins.citations.render import NO_NOTES, ReferenceList
from plugins.citations.state import Citations
from plugins.conditions.records import Condition
from plugins.diagnostics import Build
from plugins.jsonld.plugin import site_authors
from plugins.pipeline.page import Page, enabled, pages_of
from plugins.pipeline.stages import PREPARE
from plugins.review.model import Review
from plugins.review.stage import Reviews

from .depends import Dependencies, Dependency, dependencies
from .memo import TwoGenerations

PLAIN = (str, Markup, int, float, bool, datetime.date, type(None), URLWrapper, Condition)
Entry = tuple[str, dict[str, Any], Page, tuple[Any, ...], tuple[Any, ...],
              tuple[Dependency, ...], tuple[bytes, ...]]
REBOUND = {"references", "further_reading", "review", "authors"}


def _plain(value: Any) -> bool:
    if isinstance(value, tuple | list):
        return all(_plain(item) for item in value)
    return isinstance(value, PLAIN)


class PageCache:
    """Read results by (source digest, data digest); two builds' worth kept."""

    def __init__(self, memo: TwoGenerations) -> None:
        self.memo = memo  # Markdown's and typogrify's results (memo.py)
        self.good: dict[tuple[bytes, bytes], Entry] = {}
        self.running: dict[tuple[bytes, bytes], Entry] = {}
        self.data = self.files = b""
        self.depends: Dependencies | None = None
        self.hits = self.misses = 0

    def new_build(self, data: bytes, files: bytes) -> None:
        """``data``: the digest of what every page's key holds (the data files but the
        bibliography and study records, the theme); ``files``: of all of them."""
        self.running, self.data, self.files, self.depends = {}, data, files, None
        self.hits = self.misses = 0

    def commit(self, files_after: bytes) -> None:
        """The build succeeded: its entries are the ones to use next, unless a data file
        changed while it ran (its pages may hold either version)."""
        self.good = self.running if files_after == self.files else {}
        self.running = {}

    def rollback(self) -> None:
        self.running = {}

    def wrap(self, reader: Any) -> None:
        """Put the cache in front of ``reader.read`` (one reader object per generator)."""
        if getattr(reader.read, "page_cache", None) is self:
            return
        read = reader.read

        def cached_read(source_path: str) -> tuple[str, dict[str, Any]]:
            return self._read(reader, read, source_path)

        cached_read.page_cache = self  # type: ignore[attr-defined]
        reader.read = cached_read

    def _read(self, reader: Any, read: Any, source_path: str) -> tuple[str, dict[str, Any]]:
        build: Build = reader.build
        path = Path(source_path)
        try:
            before = path.read_bytes()
        except OSError:
            return read(source_path)
        today = build.state(Reviews.start).today.isoformat().encode()
        key = (hashlib.blake2b(before, digest_size=20).digest(), self.data + today)
        found = self.good.get(key) or self.running.get(key)
        if self.depends is None or self.depends.build is not build:
            self.depends = Dependencies(build)
        if found is not None and self.depends.all(found[5]) == found[6]:
            self.hits += 1
            self.running[key] = found
            return self._restore(build, found)
        self.misses += 1
        pages = build.state(pages_of)
        old = pages.get(source_path)
        loaded = _loaded(build)
        asked = len(self.memo.asked)
        html, metadata = read(source_path)
        made = _made(build, loaded)
        page = pages.get(source_path)
        try:
            after = path.read_bytes()
        except OSError:
            after = None
        if (page is not None and page is not old and after == before
                and all(_plain(value) for name, value in metadata.items()
                        if name not in REBOUND)):
            # render() empties these once the content object exists: keep them now.
            depends = dependencies(before, page, metadata, build)
            self.running[key] = (html, unbound(metadata), copy.copy(page), made,
                                 tuple(self.memo.asked[asked:]), depends,
                                 self.depends.all(depends))
        return html, metadata

    def _restore(self, build: Build, found: Entry
                 ) -> tuple[str, dict[str, Any]]:
        html, kept, cached, made, asked, _, _ = found
        self.memo.keep(asked)
        on = build.state(enabled)
        for plugin, prepare in PREPARE:
            if plugin in on:
                prepare(build)  # as read_page does, before any stage
        for kind, names in made:
            # Loaded data reports its own problems when it is loaded (some of it on first
            # use of a property): what a fresh read of this page loaded is loaded now.
            state = build.state(kind)
            for name in names:
                getattr(state, name)
        page = copy.copy(cached)
        metadata = dict(kept)
        for name in ("references", "further_reading"):
            if isinstance(metadata.get(name), ReferenceList):
                metadata[name] = _rebound(metadata[name], build.state(Citations))
        if isinstance(metadata.get("review"), Review):
            records = build.state(Reviews.start).records
            metadata["review"] = page.review = records.setdefault(
                metadata["review"], metadata["review"])
        if "authors" in metadata and "plugins.jsonld" in on:
            metadata["authors"] = build.state(site_authors)
        build.report.extend(page.path, page.findings)
        build.state(pages_of)[page.path] = page
        return html, metadata


def _loaded(build: Build) -> dict[Any, frozenset[str]]:
    """Each loaded data item of the build, with the lazy properties it has computed."""
    return {kind: frozenset(getattr(state, "__dict__", ())) for kind, state
            in build._states.items()}


def _made(build: Build, before: dict[Any, frozenset[str]]) -> tuple[Any, ...]:
    """What a read loaded: each item it made, or lazy property it computed, in order."""
    made = []
    for kind, state in build._states.items():
        names = tuple(name for name in getattr(state, "__dict__", ())
                      if name not in before.get(kind, ())
                      and isinstance(getattr(type(state), name, None), cached_property))
        if kind not in before or names:
            made.append((kind, names))
    return tuple(made)


def unbound(metadata: dict[str, Any]) -> dict[str, Any]:
    """The metadata to keep: its reference lists without this build's formatter and notes
    (``_rebound`` gives each build's its own), or a page kept would keep its build's whole
    bibliography alive, a build's more for each page edited."""
    kept = dict(metadata)
    for name in ("references", "further_reading"):
        if isinstance(kept.get(name), ReferenceList):
            references = kept[name] = copy.copy(kept[name])
            references._formatted = {}
            if references._notes is not NO_NOTES:
                references._notes = {}  # bound again: not NO_NOTES
    return kept


def _rebound(references: ReferenceList, state: Citations) -> ReferenceList:
    """The same list, formatted and annotated by this build's bibliography."""
    fresh = copy.copy(references)
    fresh._formatted = state.formatter
    if references._notes is not NO_NOTES:
        fresh._notes = state.notes
    return fresh
