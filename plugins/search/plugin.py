"""Signal wiring: index each page for search (Pagefind) as Pelican writes it.

With SEARCH_INDEX on (`invoke build` and `publish` turn it on), a `pagefind --service`
process starts once the content is read, gets each HTML page as soon as it is written, and
indexes it on another core while Pelican writes the next; at the end it writes
<output>/pagefind/. Run after Pelican instead, Pagefind added about a quarter to a
1000-article build (docs/performance.md).

What is indexed is what is on disk when Pelican is done, as `pagefind --site` would read
it: pages written some other way (the streamed /references/) are added at the end, and if
a page was written twice or changed after it was sent, the index is built again from the
files. Any failure fails the build (exit 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals

from plugins.diagnostics import BuildFailedError

from .service import PagefindError, PagefindService

BUNDLE = "pagefind"  # <output>/pagefind/, where theme/static/js/search.js loads it from
CONFIG = {
    # In-text citation numbers (plugins/citations' markup) would only clutter excerpts;
    # the theme marks the rest it leaves out with data-pagefind-ignore.
    "exclude_selectors": [".citation"],
}
# Of the bundle the site loads pagefind.js, its WebAssembly and the index. Our own
# search.js replaces the ready-made interfaces and searches without the web worker.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                "pagefind-modular-ui.css", "pagefind-component-ui.js",
                "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")

Stamp = tuple[int, int]  # a file's mtime_ns and size when it was read


@dataclass
class Indexer:
    site: Path
    service: PagefindService
    sent: dict[str, Stamp] = field(default_factory=dict)
    resend: bool = False  # a page was written twice: Pagefind cannot take one back

    def add(self, path: Path) -> None:
        name = path.relative_to(self.site).as_posix()
        self.resend = self.resend or name in self.sent
        stamp = _stamp(path)
        self.sent[name] = stamp
        self.service.add_file(name, path.read_text(encoding="utf-8"))

    def finish(self) -> None:
        on_disk = {path.relative_to(self.site).as_posix(): _stamp(path)
                   for path in self.site.rglob("*.html")}
        if self.resend or any(on_disk.get(name) != stamp for name, stamp in self.sent.items()):
            self.service.close()
            self.service, self.sent = PagefindService(self.site, CONFIG), {}
        for name in sorted(on_disk.keys() - self.sent.keys()):
            self.service.add_file(name, (self.site / name).read_text(encoding="utf-8"))
        bundle = self.site / BUNDLE
        self.service.write(bundle)
        if not (bundle / "pagefind.js").is_file():
            raise PagefindError(f"Pagefind wrote no {BUNDLE}/pagefind.js")
        for name in UNUSED_FILES:
            (bundle / name).unlink(missing_ok=True)


def _stamp(path: Path) -> Stamp:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


# The running builds' indexers, by output folder: `finalized` hands over only the Pelican
# object, not the run's context where the Build lives.
RUNNING: dict[Path, Indexer] = {}


def _fail(error: PagefindError) -> BuildFailedError:
    return BuildFailedError(f"error: search indexing (Pagefind) failed: {error}; the build "
                            "failed and wrote no search index [search.index-failed]")


def start(generators: list[Any]) -> None:
    settings = generators[0].settings if generators else {}
    if not settings.get("SEARCH_INDEX") or settings.get("CHECK_ONLY"):
        return
    site = Path(generators[0].output_path).absolute()
    if (old := RUNNING.pop(site, None)) is not None:  # a run before this one failed
        old.service.close()
    site.mkdir(parents=True, exist_ok=True)
    try:
        RUNNING[site] = Indexer(site, PagefindService(site, CONFIG))
    except PagefindError as error:
        raise _fail(error) from None
    # Connected now, after every plugin's register(), so that it runs after their
    # `finalized` handlers, which may still write files.
    signals.finalized.connect(finish)


def add_page(path: str, context: Any = None) -> None:
    if not RUNNING or not path.endswith(".html"):
        return
    page = Path(path).absolute()  # as cheap as can be: called for every page
    for site, indexer in RUNNING.items():
        if page.is_relative_to(site):
            try:
                indexer.add(page)
            except PagefindError as error:
                raise _fail(error) from None


def finish(pelican: Any) -> None:
    indexer = RUNNING.pop(Path(pelican.output_path).absolute(), None)
    if indexer is None:
        return
    try:
        indexer.finish()
    except PagefindError as error:
        raise _fail(error) from None
    finally:
        indexer.service.close()


def register() -> None:
    signals.all_generators_finalized.connect(start)
    signals.content_written.connect(add_page)
