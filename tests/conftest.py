"""Shared test helpers: build a real site from a fixture folder (into tmp_path, or once per
test run with shared_build), parse its pages (soup) and open them in Chromium (open_page)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock
from hypothesis import settings

# Property tests check behaviour, not speed (speed is for bench/): no per-example deadline,
# which a loaded machine's first, cold example can miss.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

# The site under test and its browser fixtures (base_url, browser), shared by the theme's tests.
pytest_plugins = ["site_under_test"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DIAGNOSTIC = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): "
    r"(?P<message>.*) \[(?P<code>[a-z0-9_.-]+)\]$"
)


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    root: Path
    output: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def diagnostics(self) -> list[str]:
        """Every `path:line:col: severity: message [code]` line the build printed."""
        lines = (self.stdout + "\n" + self.stderr).splitlines()
        return [line for line in lines if DIAGNOSTIC.match(line)]

    def html(self, url: str = "") -> str:
        """The HTML written for a site URL such as '' or 'ldn-fibromyalgia/'."""
        path = self.output / url
        if url == "" or url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def write_content(content_dir: Path, content: str | dict[str, str | bytes] | None) -> None:
    """Copy a fixture folder, or write {relative path: text} files, into content_dir."""
    if isinstance(content, str):
        shutil.copytree(FIXTURES / content, content_dir)
        return
    content_dir.mkdir(parents=True, exist_ok=True)
    for relative, text in (content or {}).items():
        target = content_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")


def run_build(root: Path, *, command: str = "pelican", settings_file: str = "pelicanconf.py",
              output: Path | None = None, new_interpreter: bool = False,
              **settings: object) -> BuildResult:
    """Run `pelican content` (command="pelican"), the content check (command="check") or
    the editorial report (command="report", HTML into root/reports/) on root/content, in
    a process of its own exactly as an editor or CI would (a fork of _BuildServer's, or a
    subprocess). The forks share one interpreter's string-hash seed: a test that compares
    two builds byte for byte makes one with new_interpreter=True, so that an output that
    depends on the seed still differs."""
    output = output or root / "output"
    # The build cache goes with the test's site, never into the repository's cache/.
    overrides = {"PROJECT_ROOT": str(root), "CACHE_PATH": str(root / "cache"), **settings}
    extra = [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    if command == "pelican":
        argv = [sys.executable, "-m", "pelican", str(root / "content"),
                "-s", str(ROOT / settings_file), "-o", str(output), "-e", *extra]
    elif command in ("check", "report"):
        module = "plugins.diagnostics.check" if command == "check" else "plugins.editorial.report"
        html = ["--html", str(root / "reports" / "editorial.html")] if command == "report" else []
        argv = [sys.executable, "-m", module, str(root / "content"),
                "-s", str(ROOT / settings_file), *html, "-e", *extra]
    else:
        raise ValueError(command)
    env = build_environment()
    done = None if new_interpreter else _BuildServer.run(argv[2:], root, env)
    if done is None:
        done = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
    return BuildResult(done.returncode, done.stdout, done.stderr, root, output)


def build_environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}


def _same_environment(one: dict[str, str], other: dict[str, str]) -> bool:
    """Equal but for the test's name, which pytest sets for each test and no build reads."""
    def strip(env: dict[str, str]) -> dict[str, str]:
        return {key: value for key, value in env.items() if key != "PYTEST_CURRENT_TEST"}
    return strip(one) == strip(other)


class _BuildServer:
    """tests/build_server.py, one per test process: the same `python -m ...` run as a fork of
    a process that has imported Pelican and the plugins, for builds whose environment is the
    one it was started with (any other build, or one while it is busy, gets a subprocess)."""

    process: subprocess.Popen[str] | None = None
    env = build_environment()  # the run's own: a test that changes os.environ gets its own
    lock = threading.Lock()

    @classmethod
    def run(cls, argv: list[str], cwd: Path,
            env: dict[str, str]) -> subprocess.CompletedProcess[str] | None:
        if not _same_environment(env, cls.env) or not cls.lock.acquire(blocking=False):
            return None
        try:
            if cls.process is None or cls.process.poll() is not None:
                cls.process = subprocess.Popen(
                    [sys.executable, str(ROOT / "tests" / "build_server.py"), str(ROOT)],
                    cwd=ROOT, env=cls.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    text=True, start_new_session=True)
            return cls._ask(argv, cwd)
        finally:
            cls.lock.release()

    @classmethod
    def _ask(cls, argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str] | None:
        process = cls.process
        with tempfile.TemporaryDirectory() as folder:
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            request = {"argv": argv, "cwd": str(cwd), "stdout": str(out), "stderr": str(err)}
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            if not select.select([process.stdout], [], [], 300)[0]:
                cls.stop()
                raise subprocess.TimeoutExpired(argv, 300)
            line = process.stdout.readline()
            if not line:  # the server died (its error is on this run's stderr)
                cls.stop()
                return None
            answer = json.loads(line)
            # As subprocess.run(text=True) reads them: the locale's encoding, newlines
            # made "\n".
            return subprocess.CompletedProcess(argv, answer["returncode"], out.read_text(),
                                               err.read_text())

    @classmethod
    def stop(cls) -> None:
        if cls.process is not None and cls.process.poll() is None:
            os.killpg(cls.process.pid, signal.SIGKILL)
            cls.process.wait()
        cls.process = None


def build_site(tmp_path: Path, content: str | dict[str, str | bytes] | None = "basic",
               overlay: str | None = None, **settings: object) -> BuildResult:
    """Build a real mini-site from tests/fixtures/<content> (or a dict of files) in tmp_path;
    ``overlay`` names a fixture folder laid over it, e.g. "launch-ready" (every fact a
    launch needs, so the site is not a preview)."""
    write_content(tmp_path / "content", content)
    if overlay:
        shutil.copytree(FIXTURES / overlay, tmp_path / "content", dirs_exist_ok=True)
    return run_build(tmp_path, **settings)


def soup(source: BuildResult | Path | str, url: str = "") -> BeautifulSoup:
    """A page parsed as the tests read it: a build's page at a site URL (see
    BuildResult.html), an HTML file, or HTML text."""
    if isinstance(source, BuildResult):
        source = source.html(url)
    elif isinstance(source, Path):
        source = source.read_text(encoding="utf-8")
    return BeautifulSoup(source, "html.parser")


# ---- Builds shared by the whole test run -------------------------------------------------
#
# A build that tests only read is made once per run, not once per module and xdist worker:
# shared_build(...) takes build_site's arguments (without the folder) and returns the same
# BuildResult to every test that asks for the same build, on any worker (a file lock per
# build; the first asker builds). Such a build is read-only: a test that writes into its
# folder (another command in its root, an edited file) builds its own into tmp_path.
# Every build's files are fingerprinted when it is made; a change is caught the next time
# it is handed out and at the end of the run, and fails there, naming the build. A shared
# build runs in the test run's environment: a test that changes os.environ for its build
# (GITHUB_ACTIONS, SITEURL ...) builds its own.

class _Shared:
    folder: Path | None = None
    handed: dict[Path, dict[str, list[int]]] = {}  # noqa: RUF012 - one per process on purpose


def fingerprint(root: Path) -> dict[str, list[int]]:
    """Each file under root with its size and modification time."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return found


def _assert_untouched(root: Path, files: dict[str, list[int]]) -> None:
    now = fingerprint(root)
    if now != files:
        changed = sorted(name for name in now.keys() | files.keys()
                         if now.get(name) != files.get(name))
        pytest.fail(f"a test changed the shared build {root.name} (read-only: build your own "
                    f"with build_site(tmp_path, ...) to change files): {changed[:10]}")


def build_once(key: object, make: Callable[[Path], BuildResult]) -> BuildResult:
    """make(root) run once per test run for this key (any JSON value), its result shared."""
    if _Shared.folder is None:
        raise RuntimeError("shared builds exist only while pytest runs the tests")
    text = json.dumps(key, sort_keys=True, default=repr)
    words = [key] if isinstance(key, str) else [part for part in key if isinstance(part, str)]
    label = re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower()).strip("-")[:48]
    root = _Shared.folder / f"{label}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    record = root.with_name(root.name + ".json")
    with FileLock(root.with_name(root.name + ".lock")):
        if not record.exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            result = make(root)
            record.write_text(json.dumps({
                "key": text, "returncode": result.returncode, "stdout": result.stdout,
                "stderr": result.stderr, "output": str(result.output),
                "files": fingerprint(root)}), encoding="utf-8")
        saved = json.loads(record.read_text(encoding="utf-8"))
    _assert_untouched(root, saved["files"])
    _Shared.handed[root] = saved["files"]
    return BuildResult(saved["returncode"], saved["stdout"], saved["stderr"], root,
                       Path(saved["output"]))


def shared_build(content: str | dict[str, str] = "basic", overlay: str | None = None,
                 **settings: object) -> BuildResult:
    """build_site(...) made once per test run and shared: read it, never write into it."""
    return build_once([content if isinstance(content, str) else "files", overlay or "", settings],
                      lambda root: build_site(root, content, overlay, **settings))


@pytest.fixture(scope="session", autouse=True)
def _shared_builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    base = tmp_path_factory.getbasetemp()
    # Each xdist worker has a base folder of its own inside the run's: share the run's.
    _Shared.folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    _Shared.folder.mkdir(exist_ok=True)
    yield
    _BuildServer.stop()
    for root, files in _Shared.handed.items():
        _assert_untouched(root, files)


# ---- Pages in Chromium -------------------------------------------------------------------

# Playwright's defaults for the context options the tests give (browser.new_context).
CONTEXT_DEFAULTS = {"java_script_enabled": True, "bypass_csp": False, "has_touch": False,
                    "is_mobile": False}

# The anchor tab's address: the tests' site (servers listen on 127.0.0.1), a port nothing
# listens on (discard); the anchor's route answers it.
ANCHOR = "http://127.0.0.1:9/"


@pytest.fixture(scope="session")
def contexts(browser) -> Iterator[Callable[..., object]]:
    """contexts(**options) -> the session's Chromium context made with
    browser.new_context(**options), one for each set of options (per test process). A new
    context costs Chromium about 40% more CPU than a new tab in one that exists (24 pages:
    10.0 s against 7.3 s). A tab of its own starts with nothing of another tab's (history,
    mouse, emulated media, listeners); what a context shares between its tabs is storage and
    cookies (the site has none), the HTTP cache (the same files) and visited links, which
    change only colours that no script can read: a test that takes screenshots for a person
    opens its own context (open_page(..., own_context=True)).

    Each context keeps one tab open on the tests' site (http://127.0.0.1, whatever the
    port) for the session, answered by that tab's own route, never by a server. Chromium
    puts a new tab of a site into a live renderer process of that site, so the tests' tabs
    share one warm process (V8 has axe-core and the pages' scripts compiled already) instead
    of each starting a cold one: about half the CPU of a tab and of an axe run (21 pages
    with axe: 27.8 s against 14.7 s). The tabs still share nothing else: each has its own
    document, script globals, history and emulation; the servers send no-store, so the
    process's memory cache keeps no file of theirs either."""
    pool: dict[str, object] = {}

    def _context(**options: object) -> object:
        # An option given its default value makes the same context as one left out.
        options = {key: value for key, value in options.items()
                   if key not in CONTEXT_DEFAULTS or CONTEXT_DEFAULTS[key] != value}
        key = json.dumps(options, sort_keys=True)
        if key not in pool:
            context = browser.new_context(**options)
            context.on("close", lambda _context: pool.pop(key, None))
            anchor = context.new_page()
            anchor.route(ANCHOR, lambda route: route.fulfill(
                body="<!doctype html><title>anchor</title>", content_type="text/html"))
            anchor.goto(ANCHOR)
            pool[key] = context
        return pool[key]

    yield _context
    for context in list(pool.values()):
        context.close()


# The new_context options that Playwright applies to each tab on its own, by the same
# DevTools calls as page.set_viewport_size and page.emulate_media: the viewport (with a
# screen of the same size) and the emulated media features. A tab given them in the
# context made without them is emulated exactly as one of a context made with them.
PER_TAB = frozenset({"viewport", "color_scheme", "reduced_motion"})


@pytest.fixture
def new_tab(contexts) -> Iterator[Callable[..., object]]:
    """new_tab(**new_context options) -> a new tab with those options, closed after the
    test: in the session's context for the options that are the context's (see contexts),
    with those of PER_TAB set on the tab itself, so that tabs of every width and colour
    scheme share one context and its warm renderer process."""
    pages = []

    def _tab(**options: object) -> object:
        shared = {key: value for key, value in options.items() if key not in PER_TAB}
        page = contexts(**shared).new_page()
        pages.append(page)
        # Before the first navigation, so the page loads at that size and in that scheme.
        if "viewport" in options:
            page.set_viewport_size(options["viewport"])
        media = {key: options[key] for key in ("color_scheme", "reduced_motion") if key in options}
        if media:
            page.emulate_media(**media)
        return page

    yield _tab
    for page in pages:
        if not page.is_closed():
            page.close()


@pytest.fixture
def open_page(browser, new_tab, base_url: str) -> Iterator[Callable[..., object]]:
    """open_page(url, width=1280, scheme="light", *, javascript=True, base=base_url,
    height=900, bypass_csp=False, watch=False, own_context=False) -> a Playwright page
    that has loaded base/url with status 200, in a tab of its own (new_tab; closed after
    the test, or sooner with page.close()), or with own_context=True in a context of its
    own (closed after the test, or sooner with page.context.close()); own_context="name"
    opens a tab in the context this test made for that name with the same options (made
    for the first), for pages that may share one visitor's history. With watch=True, a
    script error, a console error or warning, or a Content-Security-Policy violation on
    the page fails the test."""
    contexts, pages, problems = [], [], []
    named: dict[str, tuple[dict, object]] = {}

    def _open(url: str, width: int = 1280, scheme: str = "light", *, javascript: bool = True,
              base: str = base_url, height: int = 900, bypass_csp: bool = False,
              watch: bool = False, own_context: bool | str = False) -> object:
        options = {"viewport": {"width": width, "height": height}, "color_scheme": scheme,
                   "reduced_motion": "reduce", "java_script_enabled": javascript,
                   "bypass_csp": bypass_csp}
        if isinstance(own_context, str) and own_context in named:
            made_with, context = named[own_context]
            assert made_with == options, f"{own_context!r} was made with {made_with}"
            page = context.new_page()
        elif own_context:
            context = browser.new_context(**options)
            contexts.append(context)
            if isinstance(own_context, str):
                named[own_context] = (options, context)
            page = context.new_page()
        else:
            page = new_tab(**options)
        if watch:
            pages.append(page)
            page.add_init_script(WATCH_CSP)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("console", lambda message: message.type in {"error", "warning"}
                    and problems.append(f"console {message.type}: {message.text}"))
        response = page.goto(f"{base}/{url}")
        assert response is not None
        assert response.status == 200, (url, response.status)
        return page

    yield _open
    for page in pages:
        if not page.is_closed():
            problems.extend(f"CSP violation on {page.url}: {violation}" for violation in
                            page.evaluate("() => window.__cspViolations || []"))
    for context in contexts:
        context.close()
    assert problems == []


@pytest.fixture
def browse(open_page, base_url: str) -> Callable[..., Iterator[tuple[str, object]]]:
    """browse(urls, width=1280, scheme="light", **open_page's options) -> (url, page) for
    each url in turn: the first opened by open_page, the next ones loaded into the same tab
    (each with status 200), the tab closed at the end. A new tab costs Chromium a renderer
    process and about twice the CPU of a navigation (24 pages: 7.3 s against 2.9 s); no
    page of the site keeps state across pages (no storage, no cookies), and each page is
    loaded afresh, its scripts included. Not for a module whose open_page watches its
    pages (watch=True): see below."""

    def _browse(urls: list[str], *args: object, base: str = base_url,
                **options: object) -> Iterator[tuple[str, object]]:
        # open_page(watch=True) reads each page's CSP violations when the test ends: one
        # tab keeps only its last page's, so a watched test opens each page on its own.
        if options.get("watch"):
            raise ValueError("browse cannot watch pages: use open_page(..., watch=True)")
        page = None
        try:
            for url in urls:
                if page is None:
                    page = open_page(url, *args, base=base, **options)
                else:
                    response = page.goto(f"{base}/{url}")
                    assert response is not None
                    assert response.status == 200, (url, response.status)
                yield url, page
        finally:
            if page is not None:
                page.close()

    return _browse


# Reports every CSP violation of the page to the test; Playwright adds it through the
# DevTools protocol, so the page's own policy does not apply to it.
WATCH_CSP = """document.addEventListener("securitypolicyviolation", (event) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    event.violatedDirective + " " + event.blockedURI);
});"""


@pytest.fixture
def site(tmp_path: Path):
    """``site(content=..., **settings)`` builds into this test's tmp_path."""

    def _build(content: str | dict[str, str | bytes] | None = "basic", **settings: object):
        return build_site(tmp_path, content, **settings)

    return _build


# ---- Order: long tests first -------------------------------------------------------------
#
# With --dist worksteal each worker runs its share of the collection from the front, and a
# worker that runs out steals from the back of the other's share: a long test that starts
# last is the run's tail. So the modules with long tests go first, longest first (the
# seconds are each module's time on a quiet 2-core machine, from --durations); the others
# keep their order after them. Tests within a module keep theirs, so that a module's
# fixtures (a preview, a venv) are made once.
LONG_FIRST = {
    "test_preview_equality.py": 40,
    "test_readme.py": 40,
    "test_browser_theme.py": 90,
    "test_browser_header.py": 80,
    "test_browser_search.py": 45,
    "test_browser_preview.py": 20,
    "test_safety.py": 45,
    "test_tasks.py": 45,
    "test_integrity.py": 40,
    "test_launch.py": 35,
    "test_evidence.py": 30,
    "test_validity.py": 25,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def weight(item: pytest.Item) -> float:
        return -LONG_FIRST.get(item.path.name, 0)
    items.sort(key=weight)  # stable: equal weights keep the collection's order
