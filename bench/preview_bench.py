"""Benchmark the editor's preview (`invoke livereload`): from a saved file to its new page.

    python bench/preview_bench.py /tmp/site1k          (a site folder holding content/)
    python bench/preview_bench.py --real                (this project's content/)
    python bench/preview_bench.py /tmp/site1k --edits 5 (fewer edits per kind)
    python bench/preview_bench.py /tmp/site1k --kinds sentence error (only these kinds)

Make the synthetic site with `python bench/citations_bench.py 1000 --keep /tmp/site1k
--only ours`. The site's content is copied first; the original is never touched.

1. A cold full build (`pelican content` in a fresh process, as `invoke build` runs it,
   without the search index): wall and CPU time, peak memory.
2. The preview server (`python -m plugins.preview`, what `invoke livereload` runs) on the
   copy, warmed by one save; then N saves of each kind, one after another:
     sentence  a new sentence in an article
     cite      a citation of an entry the article did not cite yet
     title     an article's front-matter title
     entry     a bibliography entry's title (watching a page that cites it)
     study     a study record's design (watching a page that cites it: its JSON-LD)
     error     an unknown citation key (time until the server reports it: the error
               dialog is shown from that report), then its fix
   Each time is from just before the file is written to the first moment the server
   serves the new HTML (or reports the error), polled every 10 ms.
3. The preview's peak memory (VmHWM) against the cold build's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"
POLL = 0.01
KINDS = ("sentence", "cite", "title", "entry", "study", "error")
TIMEOUT = 120.0


def overrides(root: Path) -> list[str]:
    values = {"PROJECT_ROOT": str(root), "CACHE_PATH": str(root / "cache")}
    return ["-e", *(f"{key}={json.dumps(value)}" for key, value in values.items())]


def cold_build(root: Path) -> dict[str, float]:
    """`pelican content` in a fresh process, with an empty cache: wall, CPU, peak RSS."""
    shutil.rmtree(root / "cache", ignore_errors=True)
    out = root / "cold-output"
    argv = [sys.executable, "-m", "pelican", str(root / "content"), "-s", str(SETTINGS),
            "-o", str(out), *overrides(root)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the cold build failed:\n{process.stderr.read().decode()}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024}


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]

    def state(self, path: str) -> dict:
        with urllib.request.urlopen(f"{self.base}/__preview__/state?path={path}",  # noqa: S310
                                    timeout=30) as response:
            return json.load(response)

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:  # noqa: S310
            return response.read().decode()

    def cpu(self) -> float:
        """CPU seconds (user + system) the preview process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory(self) -> dict[str, float]:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
        return {"peak_mb": int(found["VmHWM"]) / 1024, "now_mb": int(found["VmRSS"]) / 1024}


def start(root: Path, log: Path) -> Server:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "plugins.preview", str(root / "content"), "-s", str(SETTINGS),
            "--port", str(port), *overrides(root)]
    with log.open("w") as sink:
        process = subprocess.Popen(argv, cwd=ROOT, stdout=sink, stderr=sink,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    server = Server(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if server.state("/")["generation"] >= 1:
                return server
        except OSError:
            if process.poll() is not None:
                break
        time.sleep(0.2)
    raise SystemExit(f"the preview did not start:\n{log.read_text()}")


def timed(write: Callable[[], None], done: Callable[[], bool]) -> float:
    """Seconds from just before ``write`` to the first poll where ``done`` is true."""
    started = time.perf_counter()
    write()
    while not done():
        if time.perf_counter() - started > TIMEOUT:
            return float("nan")
        time.sleep(POLL)
    return time.perf_counter() - started


def page_changed(server: Server, url: str, marker: str | None) -> Callable[[], bool]:
    """True once the served page differs from now (and holds ``marker``, if given)."""
    before = server.state(url)["digest"]

    def done() -> bool:
        if server.state(url)["digest"] == before:
            return False
        return marker is None or marker in server.page(url)
    return done


class Site:
    """The copy's sources, and which page shows what."""

    def __init__(self, content: Path) -> None:
        self.content = content
        # Those with a plain paragraph to add a sentence or a citation to.
        self.articles = [path for path in sorted((content / "articles").glob("*.md"))
                         if has_paragraph(path.read_text())]
        self.bib = content / "bibliography.bib"
        self.studies = content / "studies.yaml"
        self.cited: dict[str, list[Path]] = {}
        for path in self.articles:
            for key in set(re.findall(r"@([A-Za-z0-9_:-]+)", body(path.read_text()))):
                self.cited.setdefault(key, []).append(path)

    def url(self, article: Path) -> str:
        slug = re.search(r"^slug:\s*(\S+)", article.read_text(), re.M)
        return f"/{slug.group(1) if slug else article.stem}/"


def body(text: str) -> str:
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def replace(path: Path, old: str, new: str) -> Callable[[], None]:
    def write() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return write


def has_paragraph(text: str) -> bool:
    try:
        first_paragraph_end(text)
    except ValueError:
        return False
    return True


def first_paragraph_end(text: str) -> str:
    """The end of the first plain paragraph of the body (a sentence ends there)."""
    for paragraph in body(text).split("\n\n"):
        line = paragraph.strip()
        if line and line[0].isalpha() and line.endswith(".") and "\n" not in line:
            return line
    raise ValueError("no plain paragraph")


def kinds(site: Site, i: int) -> dict[str, tuple[Callable[[], None], str, str | None]]:
    """Each kind's edit number ``i``: (write, URL to watch, text the new page holds)."""
    n = len(site.articles)
    pick = site.articles
    a1, a2, a3 = pick[(3 * i) % n], pick[(3 * i + 1) % n], pick[(3 * i + 2) % n]
    s1 = first_paragraph_end(a1.read_text())
    sentence = (replace(a1, s1, f"{s1} A sentence pv{i}q was added."), site.url(a1), f"pv{i}q")
    keys = sorted(k for k in bib_keys(site.bib) if a2 not in site.cited.get(k, []))
    key = keys[i % len(keys)]
    s2 = first_paragraph_end(a2.read_text())
    cite = (replace(a2, s2, f"{s2[:-1]} [@{key}]."), site.url(a2), f'id="ref-{key}"')
    title_line = re.search(r"^title:.*$", a3.read_text(), re.M).group(0)
    new_title = (title_line[:-1] + f' pv{i}t"' if title_line.endswith('"')
                 else f"{title_line} pv{i}t")
    title = (replace(a3, title_line, new_title), site.url(a3), f"pv{i}t")
    cited = sorted(k for k in bib_keys(site.bib) if site.cited.get(k))
    entry_key = cited[(7 * i) % len(cited)]
    entry_text = re.search(rf"@\w+\{{{re.escape(entry_key)},.*?\btitle\s*=\s*\{{",
                           site.bib.read_text(), re.S).group(0)
    entry = (replace(site.bib, entry_text, f"{entry_text}pv{i}b "),
             site.url(site.cited[entry_key][0]), f"pv{i}b")
    studies = site.studies.read_text()
    designs = ("randomized-controlled-trial", "pilot-study")
    records = [(k, d) for k, d in re.findall(r"^(\S+):\n  design: (\S+)$", studies, re.M)
               if d in designs and site.cited.get(k)]
    study_key, design = records[i % len(records)]
    other = designs[1 - designs.index(design)]
    study = (replace(site.studies, f"{study_key}:\n  design: {design}\n",
                     f"{study_key}:\n  design: {other}\n"),
             site.url(site.cited[study_key][0]), None)
    return {"sentence": sentence, "cite": cite, "title": title, "entry": entry,
            "study": study}


def bib_keys(path: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", path.read_text(), re.M)


def error_edit(server: Server, site: Site, i: int) -> float:
    """Seconds from a save with an unknown citation key to the server reporting it; then
    the fix, waited for."""
    article = site.articles[(5 * i + 4) % len(site.articles)]
    text = article.read_text()
    line = first_paragraph_end(text)
    before = server.state("/")["generation"]
    seconds = timed(replace(article, line, f"{line[:-1]} [@nosuchkey{i}]."), lambda: any(
        f"nosuchkey{i}" in e and "[citations.unknown-key]" in e
        for e in server.state("/")["errors"]))
    article.write_text(text)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        state = server.state("/")
        if state["ok"] and state["generation"] > before + 1:
            break
        time.sleep(POLL)
    return seconds


def summary(times: list[float]) -> str:
    ok = sorted(t for t in times if not math.isnan(t))
    if not ok:
        return "no edit reached the page"
    p90 = ok[min(len(ok) - 1, round(0.9 * (len(ok) - 1)))]
    failed = f", {len(times) - len(ok)} timed out" if len(ok) < len(times) else ""
    return (f"median {statistics.median(ok):6.2f} s  p90 {p90:6.2f} s  "
            f"min {ok[0]:5.2f}  max {ok[-1]:5.2f}  (n={len(ok)}{failed})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a folder holding content/")
    parser.add_argument("--real", action="store_true", help="this project's content/")
    parser.add_argument("--edits", type=int, default=20, help="edits of each kind")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS),
                        help="the kinds of edit to make (all by default)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop the server, clean up
    source = ROOT / "content" if args.real else (args.site / "content")
    root = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    try:
        shutil.copytree(source, root / "content")
        print(f"site: {source} ({len(list((root / 'content').rglob('*.md')))} Markdown files)")
        cold = cold_build(root)
        print(f"cold full build (pelican, fresh process): wall {cold['wall']:.2f} s, "
              f"CPU {cold['cpu']:.2f} s, peak RSS {cold['peak_mb']:.1f} MB")
        server = start(root, root / "preview.log")
        try:
            site = Site(root / "content")
            print(f"preview: first build {server.state('/')['seconds']:.2f} s (in process)")
            warm, url, marker = kinds(site, 10_000)["sentence"]
            timed(warm, page_changed(server, url, marker))  # one save to warm it
            results: dict[str, list[float]] = {}
            work: dict[str, list[tuple[int, int]]] = {}
            cpu: dict[str, list[float]] = {}
            for i in range(args.edits):
                for kind, (write, url, marker) in kinds(site, i).items():
                    if kind not in args.kinds:
                        continue
                    used = server.cpu()
                    results.setdefault(kind, []).append(
                        timed(write, page_changed(server, url, marker)))
                    cpu.setdefault(kind, []).append(server.cpu() - used)
                    state = server.state(url)
                    work.setdefault(kind, []).append((state["rendered"], state["copied"]))
                if "error" not in args.kinds:
                    continue
                used = server.cpu()
                results.setdefault("error", []).append(error_edit(server, site, i))
                cpu.setdefault("error", []).append(server.cpu() - used)  # and the fix
            for kind, times in results.items():
                pages = work.get(kind)
                rendered = (f"  pages rendered/copied (median) "
                            f"{statistics.median(r for r, _ in pages):.0f}/"
                            f"{statistics.median(c for _, c in pages):.0f}") if pages else ""
                print(f"{kind:9} {summary(times)}  server CPU median "
                      f"{statistics.median(cpu[kind]):.2f} s{rendered}")
            memory = server.memory()
            print(f"preview memory: peak {memory['peak_mb']:.1f} MB, now {memory['now_mb']:.1f} "
                  f"MB; {memory['peak_mb'] / cold['peak_mb']:.2f}x the cold build's peak")
            print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
                  f"this process's CPU: {resource.getrusage(resource.RUSAGE_SELF).ru_utime:.1f} s")
        finally:
            server.process.terminate()
            server.process.wait(timeout=30)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
