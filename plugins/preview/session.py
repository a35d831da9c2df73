"""The warm build: Pelican's settings, theme and plugins loaded once, the site rebuilt in
this process on every save, each build into a fresh folder that is served only if the
build succeeded.

A build's folder holds exactly what a clean ``pelican content`` would write (the preview's
script is added by the server as a page is sent, never written). A failed build's folder
is thrown away and its report kept, so the browser can show the problems over the last
good pages.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import smartypants
import typogrify.filters
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.log import LimitFilter
from pelican.settings import read_settings

from plugins.citations import page as citations_page
from plugins.citations import state as citations_state
from plugins.diagnostics import Build, BuildFailedError, Finding, Report
from plugins.diagnostics.logwatch import install
from plugins.editorial import visible as editorial_visible
from plugins.pipeline.reader import SourceReader
from plugins.sanitise import stage as sanitise_stage
from plugins.sources.fixed import FixedPartials
from plugins.sources.templates import CompiledTemplates

from .depends import precise_files
from .loaded import Bibliographies, memo_load_files
from .memo import (
    MemoMarkdown,
    TwoGenerations,
    memo_relative_source_path,
    memo_sanitise,
    memo_text_hits,
    memo_typogrify,
)
from .pagecache import PageCache
from .reads import RecordingContext, recording_fixed
from .writer import (
    SkippingWriter,
    WriterState,
    data_digest,
    skipping_write_streamed,
    theme_digest,
)

CRASH = "preview.crash"


@dataclass(frozen=True)
class Outcome:
    """What the browser is told after a build: the folder served, and the last build's
    problems, each as the terminal printed it (the edited files' first)."""

    generation: int
    folder: Path | None
    ok: bool
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    edited: tuple[str, ...] = ()
    rendered: int = 0  # pages rendered by this build, and copied from the last good one
    copied: int = 0
    read: int = 0  # pages read by this build, and taken from the page cache
    cached: int = 0


@dataclass
class Session:
    """One warm Pelican and the folders of its builds."""

    settings_file: str
    overrides: dict[str, Any]
    workdir: Path
    settings: dict[str, Any] = field(init=False)
    pelican: Pelican = field(init=False)
    memo: TwoGenerations = field(default_factory=TwoGenerations)
    outcome: Outcome = field(default_factory=lambda: Outcome(0, None, ok=False))
    search_index: Path | None = None  # the newest complete Pagefind index, kept apart
    changed: threading.Condition = field(default_factory=threading.Condition)
    writer: WriterState = field(default_factory=WriterState)
    pages: PageCache = field(init=False)
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)
    bibliographies: Bibliographies = field(default_factory=Bibliographies)
    building: bool = False  # a build is running (tests and the benchmark wait for it)

    def __post_init__(self) -> None:
        self.pages = PageCache(self.memo)
        self.settings = read_settings(self.settings_file, override=self.overrides)
        self.pelican = Pelican(self.settings)
        # Weak references would let blinker drop these with the bound method objects.
        signals.generator_init.connect(self._memo_readers, weak=False)
        signals.get_writer.connect(self._writer, weak=False)
        # Pure results remembered, and /references/ through the writer (once a process).
        for owner, name, wrap in (
                (typogrify.filters, "typogrify", lambda f: memo_typogrify(
                    f, self.memo, lambda: smartypants.Attr.default)),
                (sanitise_stage, "sanitise", lambda f: memo_sanitise(f, self.memo)),
                (editorial_visible, "text_hits", lambda f: memo_text_hits(f, self.memo)),
                (citations_state, "load_files",
                 lambda f: memo_load_files(f, self.bibliographies)),
                (citations_page, "write_streamed", skipping_write_streamed),
                (FixedPartials, "_fixed", recording_fixed),
                (Content, "get_relative_source_path",
                 lambda f: memo_relative_source_path(f, self.memo))):
            if not hasattr(getattr(owner, name), "original"):
                setattr(owner, name, wrap(getattr(owner, name)))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._count = 0
        self._stamps: dict[Path, tuple] = {}
        self._data_after = b""

    @property
    def content(self) -> Path:
        return Path(self.settings["PATH"])

    def watched(self) -> list[Path]:
        """Folders and files whose change means a rebuild (or, for code, a restart)."""
        return [self.content, Path(self.settings["THEME"])]

    def _memo_readers(self, generator: Any) -> None:
        if getattr(generator, "env", None) is not None:
            generator.env.bytecode_cache = self.templates
            generator.env.context_class = RecordingContext  # what each page reads
        for reader in generator.readers.readers.values():
            markdown = getattr(reader, "_md", None)
            if markdown is not None and not isinstance(markdown, MemoMarkdown):
                reader._md = MemoMarkdown(markdown, self.memo)
            if isinstance(reader, SourceReader):  # the page pipeline's: pages cached
                self.pages.wrap(reader)

    def _themes(self) -> list[Path]:
        return [Path(self.settings["THEME"]),
                *map(Path, self.settings.get("EXTRA_TEMPLATES_PATHS") or ())]

    def _writer(self, _pelican: Any) -> type[SkippingWriter]:
        data = data_digest(self.content, self._sources(), self._stamps)
        self._data_after = data
        return SkippingWriter.bound(self.writer, self.outcome.folder, self._themes(), data)

    def _sources(self) -> set[Path]:
        """The articles' and pages' Markdown files (the data files are the rest)."""
        folders = [*self.settings["ARTICLE_PATHS"], *self.settings["PAGE_PATHS"]]
        return {path for folder in folders for path in (self.content / folder).rglob("*.md")}

    def _new_build(self) -> None:
        self.memo.new_build()
        self.writer.new_build()
        # Pelican logs each warning once per process: each build is told them afresh.
        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        self._data_after = b""
        theme = theme_digest(self._themes())
        # The bibliography and study records are in a cached page's dependencies instead.
        precise = set(precise_files(Build.new(self.settings)))
        self.pages.new_build(
            data_digest(self.content, self._sources() | precise, self._stamps) + theme,
            data_digest(self.content, self._sources(), self._stamps) + theme)

    def build(self, edited: Iterable[Path] = ()) -> Outcome:
        """Build the site once; serve the result only if it succeeded."""
        self._count += 1
        self.building = True
        folder = self.workdir / f"build-{self._count}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.pelican.output_path = str(folder)
        watcher = install()
        watcher.report = None  # bound again by this build's first plugin
        self._new_build()
        started = time.perf_counter()
        crash: str | None = None
        try:
            self.pelican.run()
            ok = True
        except BuildFailedError:
            ok = False  # every problem is in the report, and printed
        except Exception as error:  # any failure keeps the last good pages
            ok = False
            traceback.print_exc()
            crash = f"{type(error).__name__}: {error}"
        seconds = time.perf_counter() - started
        forget_contents()
        report: Report | None = watcher.report
        root = report.root if report else Path(self.settings.get("PROJECT_ROOT") or ".")
        edited_paths = tuple(sorted({_relative(root, path) for path in edited if path.exists()}))
        errors, warnings = _lines(report, edited_paths)
        if crash:
            errors = (*errors, Finding(
                self.settings_file, 1, 1, CRASH, f"the build stopped with {crash}",
                hint="the terminal shows where; fix the file it names and save again",
            ).format())
        if ok:
            self.writer.commit()
            self.pages.commit(self._data_after + theme_digest(self._themes()))  # as at the start
            if self.search_index is not None:
                shutil.copytree(self.search_index, folder / self.search_index.name,
                                dirs_exist_ok=True)
            retired = self.outcome.folder
        else:
            self.writer.rollback()
            self.pages.rollback()
            retired = folder
            folder = self.outcome.folder
        with self.changed:
            self.building = False
            self.outcome = Outcome(self.outcome.generation + 1, folder, ok, errors, warnings,
                                   seconds, edited_paths, self.writer.rendered,
                                   self.writer.copied, self.pages.misses, self.pages.hits)
            self.changed.notify_all()
        if retired is not None and retired != folder:
            # A request that is reading a file of the old folder keeps it (POSIX); one
            # that has not opened it yet would miss it, so the old folder goes a little later.
            remove = threading.Timer(10.0, shutil.rmtree, (retired,), {"ignore_errors": True})
            remove.daemon = True  # Ctrl-C does not wait for it: the folder goes at exit
            remove.start()
        return self.outcome

    def keep_search_index(self, folder: Path, name: str) -> None:
        """A finished Pagefind index of ``folder``, copied into every later build."""
        target = self.workdir / f"search-{time.monotonic_ns()}" / name
        with contextlib.suppress(FileNotFoundError):
            shutil.copytree(folder / name, target)
            previous, self.search_index = self.search_index, target
            if previous is not None:
                shutil.rmtree(previous.parent, ignore_errors=True)
            if self.outcome.folder is not None and not (self.outcome.folder / name).exists():
                shutil.copytree(target, self.outcome.folder / name, dirs_exist_ok=True)

    def wait(self, generation: int, timeout: float) -> Outcome:
        """The outcome after ``generation``, or the current one when ``timeout`` passes."""
        with self.changed:
            self.changed.wait_for(lambda: self.outcome.generation != generation, timeout)
            return self.outcome


def forget_contents() -> None:
    """Pelican memoizes ``get_content`` and ``get_summary`` in one dict per method for the
    whole process, keyed by the content object: in a process that builds again and again,
    every build's pages (and, through them, the whole build) would be kept forever."""
    for name in ("get_content", "get_summary"):
        memo = getattr(Content.__dict__.get(name), "cache", None)
        if memo is not None:
            memo.clear()


def _relative(root: Path, path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _lines(report: Report | None, edited: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Errors and warnings as the terminal prints them, the edited files' first."""
    if report is None:
        return (), ()
    ordered = sorted(report.sorted(), key=lambda finding: finding.path not in edited)
    errors = tuple(f.format() for f in ordered if f.severity.value == "error")
    warnings = tuple(f.format() for f in ordered if f.severity.value == "warning")
    return errors, warnings
