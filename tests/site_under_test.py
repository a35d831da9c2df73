"""The site that the theme's quality bars are measured on, built once per test session.

The real `content/` is used as soon as it has a home page; before that, the rich fixture
`tests/fixtures/theme-site/` (every page type the theme renders). Set SITE_UNDER_TEST to
`real` or `fixture` to choose explicitly. It is indexed for search by the same step as
`invoke build` (tasks.index_site), so /search/ works when it is served over HTTP.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from conftest import FIXTURES, ROOT, BuildResult, build_once, run_build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FIXTURE_SITE = FIXTURES / "theme-site"
REAL_CONTENT = ROOT / "content"


def real_content_ready() -> bool:
    """The real content has landed once a page is saved as the home page."""
    pages = REAL_CONTENT / "pages"
    return pages.is_dir() and any(
        re.search(r"^save_as:\s*index\.html\s*$", path.read_text(encoding="utf-8"), re.M)
        for path in pages.glob("*.md")
    )


def content_source() -> Path:
    choice = os.environ.get("SITE_UNDER_TEST", "")
    if choice == "fixture" or (choice != "real" and not real_content_ready()):
        return FIXTURE_SITE
    return REAL_CONTENT


@functools.cache
def project_tasks() -> ModuleType:
    """The project's tasks.py, whose index_site() is the build's search indexing step."""
    spec = importlib.util.spec_from_file_location("project_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def built_site() -> BuildResult:
    """The site under test with its search index, as `invoke build` makes it: built once per
    test run and shared by every worker (conftest.build_once; read it, never write into it)."""
    return build_once(["site-under-test", str(content_source())], _build_site_under_test)


def _build_site_under_test(root: Path) -> BuildResult:
    shutil.copytree(content_source(), root / "content")
    result = run_build(root)
    if not result.ok:
        raise RuntimeError(f"the site under test did not build:\n{result.stdout}\n{result.stderr}")
    indexed = project_tasks().index_site(result.output, cwd=root)
    if indexed.returncode != 0:
        raise RuntimeError(f"Pagefind did not index the site under test:\n{indexed.stdout}\n"
                           f"{indexed.stderr}")
    return result


@dataclass(frozen=True)
class PageType:
    name: str
    url: str  # site-relative, as a visitor types it after the host


def _has(output: Path, url: str) -> bool:
    target = output / url
    return (target / "index.html").is_file() if url.endswith("/") or not url else target.is_file()


def _pick_article(output: Path, articles: list[str]) -> str | None:
    """The richest article: one with references and condition links, when there is one."""
    def richness(url: str) -> tuple[int, int]:
        html = (output / url / "index.html").read_text(encoding="utf-8")
        return (html.count('id="ref-'), html.count('href="/conditions/'))
    return max(articles, key=richness) if articles else None


def site_urls(output: Path) -> list[str]:
    """Every HTML page of a built site, as site-relative URLs ('' is the home page)."""
    urls = []
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        urls.append(relative.removesuffix("index.html"))
    return urls


def page_types(result: BuildResult) -> list[PageType]:
    """One URL for every page type the built site has."""
    out = result.output
    articles = [url for url in site_urls(out) if url.endswith("/") and
                'property="og:type" content="article"' in
                (out / url / "index.html").read_text(encoding="utf-8")]
    found: list[PageType] = [PageType("home", "")]
    article = _pick_article(out, articles)
    if article:
        found.append(PageType("article", article))
    for candidate in ("contact/", "about/", "privacy/"):
        if _has(out, candidate):
            found.append(PageType("page", candidate))
            break
    if _has(out, "conditions/"):
        found.append(PageType("conditions", "conditions/"))
        # A retired condition's address is a redirect page, and the untested conditions
        # share one page of their own type.
        pages = {p.parent.name: p.read_text(encoding="utf-8")
                 for p in (out / "conditions").glob("*/index.html")}
        conditions = sorted(name for name, html in pages.items()
                            if 'class="article condition"' in html)
        if conditions:
            found.append(PageType("condition", f"conditions/{conditions[0]}/"))
        untested = [name for name, html in pages.items() if 'class="article untested"' in html]
        if untested:
            found.append(PageType("untested", f"conditions/{untested[0]}/"))
    for name, url in (("references", "references/"), ("search", "search/"), ("404", "404.html")):
        if _has(out, url):
            found.append(PageType(name, url))
    return found


def page_widths(page) -> tuple[int, int]:
    """The page's scroll width and the width it is shown in: a page scrolls sideways when
    the first is larger."""
    scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, "
                                   "document.documentElement.clientWidth]")
    return scroll, client


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass

    def end_headers(self) -> None:
        # Tabs of one Chromium context share its HTTP cache (conftest.contexts), and a later
        # test's server may get an earlier one's port: nothing is kept, so each page loads
        # what its own server has, as in a context of its own.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a built site on a free loopback port; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The site under test, served on a loopback port for the whole session."""
    with serve(built_site().output) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Debian Chromium for every browser test (never `playwright install`)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
