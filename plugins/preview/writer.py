"""Pelican's writer, which copies an article or plain page from the last good build instead
of rendering it again when nothing its template read has changed.

Only pages rendered with the plain ``article`` and ``page`` templates, and /references/,
are ever copied; the home page, the lists and the condition pages (which show other
pages' objects) are always rendered. An article or page is rendered with a context that
records what it reads (reads.py): each name looked up, and the keys looked up in the few
large values read by key (PAGE_TITLES_BY_URL, the study records). Its digest is of the
theme's files, the page's own values (fingerprint.py; a reference list by the entries it
lists) and the values of those names (of those keys) as the render left them. The next
build copies the page when the same digest, made of the same names, comes out; a
template that read the whole context or another page's object, or an environment with a
pass_context callable whose reads are not known to be recorded, is always rendered.
/references/ (theme/templates/references.html) is hashed whole as before: the theme and
data files, the whole context, its own page object and entries (each entry holds the
titles and addresses of the pages citing it as values: plugins/citations/page.py's
``CitedIn``).
"""

# Pelican's writer works on os.path strings; a copied page is a few system calls, and
# Path objects made for each of a thousand pages cost more than the calls themselves.
# ruff: noqa: PTH103, PTH113, PTH120

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Content
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from plugins.citations.page import streamed_context
from plugins.diagnostics import BUILD
from plugins.pipeline.page import Page, pages_of

from .fingerprint import Digester, plain_digest
from .reads import (
    KEYED,
    RECORDING,
    WHOLE,
    Reads,
    RecordingContext,
    Spec,
    links_to_pages,
    spec_of,
    unchecked_readers,
)

COPYABLE_TEMPLATES = frozenset({"article.html", "page.html"})


@dataclass
class WriterState:
    """Each written page's digest in the last good build, and in the one running now."""

    good: dict[str, bytes] = field(default_factory=dict)
    running: dict[str, bytes] = field(default_factory=dict)
    # An article's or page's reads (its digest is of what they found), by output name.
    reads: dict[str, Spec] = field(default_factory=dict)
    reading: dict[str, Spec] = field(default_factory=dict)
    rendered: int = 0
    copied: int = 0

    def new_build(self) -> None:
        self.running, self.reading, self.rendered, self.copied = {}, {}, 0, 0

    def commit(self) -> None:
        self.good, self.running = self.running, {}
        self.reads, self.reading = self.reading, {}

    def rollback(self) -> None:
        self.running, self.reading = {}, {}


def data_digest(content: Path, sources: set[Path], known: dict[Path, tuple]) -> bytes:
    """Every file under the content folder but the pages' own sources: the data files,
    safety blocks, bibliography, images. ``known`` keeps each file's digest by its size
    and modification time, so an unchanged 20,000-entry bibliography is read once."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in content.rglob("*") if p.is_file() and p not in sources):
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        found = known.get(path)
        if found is None or found[0] != stamp:
            found = known[path] = (stamp, hashlib.blake2b(path.read_bytes(),
                                                          digest_size=16).digest())
        digest.update(str(path).encode() + b"\0" + found[1])
    return digest.digest()


def theme_digest(folders: list[Path]) -> bytes:
    """Every template and theme file's path and bytes (a changed include changes all)."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


class SkippingWriter(Writer):
    state: WriterState
    previous: Path | None
    theme: bytes
    data: bytes

    @classmethod
    def bound(cls, state: WriterState, previous: Path | None,
              theme_folders: list[Path], data: bytes) -> type[SkippingWriter]:
        return type("BoundSkippingWriter", (cls,), {
            "state": state, "previous": previous,
            "theme": theme_digest(theme_folders), "data": data})

    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self._digester = Digester()
        self._context_digest: tuple[tuple[tuple[str, int], ...], bytes] | None = None
        self._checked: dict[int, bool] = {}
        self._entries: dict[tuple[str, int, Any], bytes] = {}
        self._alive: list[Any] = []  # keeps the ids in _entries' keys unique

    def write_file(self, name: Any, template: Any, context: dict[str, Any],
                   relative_urls: bool = False, paginated: Any = None,
                   template_name: Any = None, override_output: bool = False,
                   url: Any = None, **kwargs: Any) -> None:
        page = kwargs.get("article", kwargs.get("page"))
        if (not name or paginated or not isinstance(page, Content)
                or getattr(template, "name", None) not in COPYABLE_TEMPLATES
                or not self._recorded(template.environment) or links_to_pages(page)):
            self.state.rendered += 1
            super().write_file(name, template, context, relative_urls, paginated,
                               template_name, override_output, url, **kwargs)
            return
        build = context.get(BUILD)
        record = build.state(pages_of).get(page.source_path) if build is not None else None
        # The page's own values, hashed before it is rendered (as they are when it is
        # copied): a reference list sorts itself as it is first read.
        own = self._digester.page((name, template.name, relative_urls, template_name,
                                   override_output, url, kwargs, record), page, record)
        local = local_context(name, context, relative_urls, kwargs)
        spec = self.state.reads.get(name)
        if spec is not None:
            digest = self._read_digest(own, spec, local, template.environment, kwargs)
            if self._copy(name, digest, context, local, override_output):
                self.state.running[name], self.state.reading[name] = digest, spec
                self.state.copied += 1
                return
        self.state.rendered += 1
        reads = Reads(local)
        token = RECORDING.set(reads)
        try:
            super().write_file(name, template, context, relative_urls, paginated,
                               template_name, override_output, url, **kwargs)
        finally:
            RECORDING.reset(token)
        spec = spec_of(reads)
        if spec is not None:
            # Of the values as the render left them (hashed afresh, not as hashed before
            # it): one that filled a lazy part while it rendered is copied next time only
            # if that part is filled, and equal, then.
            self.state.running[name] = self._read_digest(
                own, spec, local, template.environment, kwargs, Digester())
            self.state.reading[name] = spec

    def _recorded(self, environment: Any) -> bool:
        """Whether the environment records every read of a page's context: its context
        class is the recording one and each pass_context callable is a checked one."""
        found = self._checked.get(id(environment))
        if found is None:
            found = self._checked[id(environment)] = (
                issubclass(environment.context_class, RecordingContext)
                and not unchecked_readers(environment))
        return found

    def _read_digest(self, own: bytes, spec: Spec, local: dict[str, Any],
                     environment: Any, kwargs: dict[str, Any],
                     digester: Digester | None = None) -> bytes:
        """Of the theme, the page's own values (``own``) and what its template read."""
        hashed = (digester or self._digester).digest
        names, keyed = spec
        keys = dict(keyed)
        digest = hashlib.blake2b(self.theme + own, digest_size=16)
        for name in names:
            if name in kwargs:
                continue  # the page's own values
            if name in local:
                value = local[name]
            elif name in environment.globals:
                value = environment.globals[name]
            else:
                continue  # not there (a name there adds its value)
            wanted = keys.get(name, () if name in KEYED else None)
            if wanted is None or WHOLE in wanted:
                found = hashed(value)
            else:
                found = b"".join([self._entry(name, value, key) for key in wanted])
            digest.update(name.encode() + b"\0" + found)
        return digest.digest()

    def _entry(self, name: str, value: Any, key: Any) -> bytes:
        """One key of a keyed value (KEYED), as it is now (worked out, not hashed as it
        was: a lazy part is filled by the lookup), once a build."""
        found = self._entries.get((name, id(value), key))
        if found is None:
            found = self._entries[name, id(value), key] = plain_digest(
                (repr(key), KEYED[name].entry(value, key)))
            self._alive.append(value)
        return found

    def write_streamed(self, write: Any, name: str, template: Any, context: dict[str, Any],
                       relative_urls: bool, kwargs: dict[str, Any]) -> None:
        """/references/ (``write`` is plugins/citations/page.py's ``write_streamed``): linked
        from the last good build when the digest of all its template can read (the page,
        its entries, the context) is the one it was written with."""
        page = kwargs.get("page")
        digest = self._page_digest(name, template, context, page, None, (
            name, template.name, relative_urls, kwargs, context.get("localsiteurl")))
        self.state.running[name] = digest
        path = self._link(name, digest)
        if path is not None:
            self.state.copied += 1
            signals.content_written.send(
                path, context=streamed_context(name, context, relative_urls, kwargs))
            return
        self.state.rendered += 1
        write(self, name, template, context, relative_urls, **kwargs)

    def _page_digest(self, name: str, template: Any, context: dict[str, Any], page: Any,
                     record: Page | None, local: tuple[Any, ...]) -> bytes:
        """Of the theme and data files, the whole context, and ``local`` (which holds
        ``page`` and its pipeline ``record``, hashed with all they hold): /references/'s."""
        # The context is the same dict for every page; "localsiteurl" is set by the
        # writer itself as it goes, and "output_file" per page. Its keys and the identity
        # of each value say whether it is the one already hashed (made in C: it is asked
        # for every page).
        keys, ids = tuple(context), list(map(id, context.values()))
        if "localsiteurl" in context:
            ids[keys.index("localsiteurl")] = 0
        snapshot = (keys, tuple(ids))
        if self._context_digest is None or self._context_digest[0] != snapshot:
            shared = {k: v for k, v in context.items() if k != "localsiteurl"}
            self._context_digest = (snapshot, self._digester.digest(shared))
        return hashlib.blake2b(self.theme + self.data + self._context_digest[1]
                               + self._digester.page(local, page, record),
                               digest_size=16).digest()

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        # Writing through a link would change the last good build's page, still served
        # (a file Pelican will skip, as already overridden, is left as it is).
        target = Path(filename)
        if filename not in self._overridden_files:
            with contextlib.suppress(FileNotFoundError):
                if target.stat().st_nlink > 1:
                    target.unlink()
        return super()._open_w(filename, encoding, override)

    def _link(self, name: str, digest: bytes, override_output: bool | None = None
              ) -> str | None:
        """The page's file linked from the last good build's, if it was written there with
        this digest (its path; else None: the page is rendered). ``override_output`` is
        given for Pelican's writes (not /references/'s): the file is recorded as written,
        for Pelican's check that no two pages write one file."""
        if self.previous is None or self.state.good.get(name) != digest:
            return None
        path = sanitised_join(self.output_path, name)
        if override_output is not None and (override_output or path in self._written_files
                                            or path in self._overridden_files):
            return None  # Pelican's own rules for an overriding page or a second write
        source = sanitised_join(str(self.previous), name)
        if not os.path.isfile(source):
            return None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # A hard link, not a copy: the last good build's file is never written again (a
        # page rendered later at the same name is written to a file of its own: _open_w).
        try:
            os.link(source, path)
        except FileExistsError:
            return None  # written by something else in this build: rendered, as any build
        except OSError:  # a file system without hard links
            shutil.copyfile(source, path)
        if override_output is not None:
            self._written_files.add(path)  # as Pelican's _open_w records a first write
        return path

    def _copy(self, name: str, digest: bytes, context: dict[str, Any],
              local: dict[str, Any], override_output: bool) -> bool:
        """Linked from the last good build, if it was written there with ``digest``;
        ``local`` is the context the page would be rendered with (``local_context``)."""
        path = self._link(name, digest, override_output)
        if path is None:
            return False
        # As Pelican's writer does after writing (the sitemap listens).
        if local["localsiteurl"]:
            context["localsiteurl"] = local["localsiteurl"]
        signals.content_written.send(path, context=local)
        return True


def local_context(name: str, context: dict[str, Any], relative_urls: bool,
                  kwargs: dict[str, Any]) -> dict[str, Any]:
    """The context Pelican's writer renders the page with (its ``_get_localcontext``)."""
    local = context.copy()
    local["localsiteurl"] = local.get("localsiteurl", None)
    if relative_urls:
        local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))
    local["output_file"] = name
    local.update(kwargs)
    return local


def skipping_write_streamed(write_streamed: Any) -> Any:
    """plugins/citations/page.py's ``write_streamed``, through the preview's writer."""

    def write(writer: Any, name: str, template: Any, context: dict[str, Any],
              relative_urls: bool, **kwargs: Any) -> None:
        if isinstance(writer, SkippingWriter):
            writer.write_streamed(write_streamed, name, template, context, relative_urls,
                                  kwargs)
        else:
            write_streamed(writer, name, template, context, relative_urls, **kwargs)

    write.original = write_streamed  # type: ignore[attr-defined]
    return write
