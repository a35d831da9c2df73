"""The editor's preview: ``python -m plugins.preview -s pelicanconf.py`` (``invoke livereload``
adds the search index).

Builds the site, serves it, and rebuilds in this process on every saved change to the
content or the theme; a change to our plugins' code or to the settings restarts it.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pelican.log import init as init_logging
from watchfiles import DefaultFilter, watch

from plugins.diagnostics.check import arguments, overrides_of

from .server import make_server
from .session import Session

# After the last good build, the search index waits this long for the editor to stop
# saving: Pagefind reads every page, and the next build should not wait for it.
INDEX_AFTER_SECONDS = 1.0
PLUGINS = Path(__file__).resolve().parent.parent


def is_code(path: Path, settings_file: Path) -> bool:
    """A change that the warm process cannot take in: Python code or the settings."""
    return path.suffix == ".py" and (path.is_relative_to(PLUGINS) or path == settings_file)


class Indexer:
    """Runs the search index over the served pages once saves have stopped for a moment."""

    def __init__(self, session: Session, index: Callable[[Path], Any] | None) -> None:
        self.session, self.index = session, index
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._running = threading.Lock()

    def schedule(self) -> None:
        if self.index is None:
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(INDEX_AFTER_SECONDS, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        with self._running:  # one Pagefind at a time; a newer build is indexed next
            folder = self.session.outcome.folder
            if folder is None or self.index is None:
                return
            done = self.index(folder)
            if folder != self.session.outcome.folder:
                return  # pages changed meanwhile: the next run indexes the new ones
            if getattr(done, "returncode", 0) == 0:
                self.session.keep_search_index(folder, "pagefind")
            else:
                sys.stderr.write("preview: search indexing failed:\n"
                                 f"{getattr(done, 'stderr', '')}\n")


class Watcher(threading.Thread):
    """Watches the sources from before the first build, so that a save made while it runs
    (or just after the server starts) is never lost; hands each batch of changed paths to
    the build loop, batches made during a build merged into one."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(daemon=True, name="preview-watcher")
        self.paths = paths
        self.armed = threading.Event()
        self.stopped = threading.Event()
        self._changes: queue.Queue[set[Path]] = queue.Queue()

    def run(self) -> None:
        # A timeout yields an empty set: the first yield says the watcher is watching.
        for changes in watch(*self.paths, watch_filter=DefaultFilter(), debounce=50, step=20,
                             rust_timeout=100, yield_on_timeout=True,
                             stop_event=self.stopped, raise_interrupt=False):
            self.armed.set()
            if changes:
                self._changes.put({Path(path) for _kind, path in changes})

    def start_watching(self, timeout: float = 30.0) -> None:
        self.start()
        if not self.armed.wait(timeout):
            raise RuntimeError(f"the file watcher did not start within {timeout:.0f} s")

    def next_changes(self, timeout: float | None = None) -> set[Path]:
        """Every path changed since the last call; waits for at least one (or ``timeout``
        seconds, then returns none)."""
        try:
            changed = self._changes.get(timeout=timeout)
        except queue.Empty:
            return set()
        while True:
            try:
                changed |= self._changes.get_nowait()
            except queue.Empty:
                return changed


def report(outcome: Any) -> None:
    if outcome.ok:
        problems = f", {len(outcome.warnings)} warning(s)" if outcome.warnings else ""
        sys.stderr.write(f"preview: built in {outcome.seconds:.2f} s{problems}; "
                         "the browser reloads the pages that changed\n")
    else:
        sys.stderr.write(f"preview: the build failed in {outcome.seconds:.2f} s; still "
                         "serving the last good pages, with the problems shown on them\n")
    sys.stderr.flush()


def serve(argv: list[str] | None = None,
          index: Callable[[Path], Any] | None = None) -> int:
    """Build, serve on HOST:PORT and rebuild on every change until Ctrl-C."""
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    init_logging(level=logging.WARNING, name="pelican")  # as `pelican content` does
    # Stopped by a signal (a test, a process manager), it still removes its folders.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    workdir = Path(tempfile.mkdtemp(prefix="ldn-preview-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    settings_file = Path(args.settings).resolve()
    session = Session(str(settings_file), overrides_of(args), workdir)
    indexer = Indexer(session, index)
    watcher = Watcher([*session.watched(), PLUGINS, settings_file])
    watcher.start_watching()
    report(session.build())
    if session.outcome.ok:
        indexer.schedule()
    server = make_server(session, args.host, args.port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stderr.write(f"preview: serving http://{args.host}:{args.port}/ (Ctrl-C stops)\n")
    sys.stderr.flush()
    try:
        while True:
            changed = watcher.next_changes()
            if any(is_code(path, settings_file) for path in changed):
                sys.stderr.write("preview: code or settings changed; restarting\n")
                watcher.stopped.set()
                server.shutdown()
                server.server_close()
                shutil.rmtree(workdir, ignore_errors=True)
                os.execv(sys.executable, sys.orig_argv)  # noqa: S606 - this same command again
            if all(path.is_relative_to(PLUGINS) for path in changed):
                continue  # a README or data file of a plugin: nothing the build reads
            outcome = session.build(changed)
            report(outcome)
            if outcome.ok:
                indexer.schedule()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stopped.set()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
