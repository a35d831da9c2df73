"""Pelican's writer, which copies an article or plain page from the last good build instead
of rendering it again when nothing its template can read has changed.

Only pages rendered with the plain ``article`` and ``page`` templates, and /references/,
are ever copied; the home page, the lists and the condition pages (which show other
pages' objects) are always rendered. What those two templates can read is the page's own
object, the site-wide context (the data files' records, the settings, PAGE_TITLES_BY_URL),
the data files themselves (hashed as bytes too: a record loaded lazily, after the digest,
is still covered) and the theme's files: their digest (fingerprint.py) must equal the one
the last good build wrote the file with, or the page is rendered as in any build.
/references/ (theme/templates/references.html, on base.html as those two) reads the same,
with its own page object and its entries in place of a page's: each entry holds the
titles and addresses of the pages citing it as values (plugins/citations/page.py's
``CitedIn``), so they are hashed with it.
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

from .fingerprint import Digester

COPYABLE_TEMPLATES = frozenset({"article.html", "page.html"})


@dataclass
class WriterState:
    """Each written page's digest in the last good build, and in the one running now."""

    good: dict[str, bytes] = field(default_factory=dict)
    running: dict[str, bytes] = field(default_factory=dict)
    rendered: int = 0
    copied: int = 0

    def new_build(self) -> None:
        self.running, self.rendered, self.copied = {}, 0, 0

    def commit(self) -> None:
        self.good, self.running = self.running, {}

    def rollback(self) -> None:
        self.running = {}


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

    @classmethod
    def bound(cls, state: WriterState, previous: Path | None,
              theme_folders: list[Path], data: bytes) -> type[SkippingWriter]:
        return type("BoundSkippingWriter", (cls,), {
            "state": state, "previous": previous,
            "theme": theme_digest(theme_folders) + data})

    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self._digester = Digester()
        self._context_digest: tuple[tuple[tuple[str, int], ...], bytes] | None = None

    def write_file(self, name: Any, template: Any, context: dict[str, Any],
                   relative_urls: bool = False, paginated: Any = None,
                   template_name: Any = None, override_output: bool = False,
                   url: Any = None, **kwargs: Any) -> None:
        page = kwargs.get("article", kwargs.get("page"))
        if (not name or paginated or not isinstance(page, Content)
                or getattr(template, "name", None) not in COPYABLE_TEMPLATES):
            self.state.rendered += 1
            super().write_file(name, template, context, relative_urls, paginated,
                               template_name, override_output, url, **kwargs)
            return
        build = context.get(BUILD)
        record = build.state(pages_of).get(page.source_path) if build is not None else None
        digest = self._page_digest(name, template, context, page, record, (
            name, template.name, relative_urls, template_name, override_output, url, kwargs,
            context.get("localsiteurl"), record))
        self.state.running[name] = digest
        if self._copy(name, digest, context, relative_urls, kwargs, override_output):
            self.state.copied += 1
            return
        self.state.rendered += 1
        super().write_file(name, template, context, relative_urls, paginated, template_name,
                           override_output, url, **kwargs)

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
        """Of the theme and data files, the context, and ``local`` (which holds ``page``
        and its pipeline ``record``, hashed with all they hold)."""
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
        return hashlib.blake2b(self.theme + self._context_digest[1]
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

    def _copy(self, name: str, digest: bytes, context: dict[str, Any], relative_urls: bool,
              kwargs: dict[str, Any], override_output: bool) -> bool:
        path = self._link(name, digest, override_output)
        if path is None:
            return False
        # As Pelican's writer does after writing (the sitemap listens).
        local = context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if relative_urls:
            local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))
        local["output_file"] = name
        local.update(kwargs)
        if local["localsiteurl"]:
            context["localsiteurl"] = local["localsiteurl"]
        signals.content_written.send(path, context=local)
        return True


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
