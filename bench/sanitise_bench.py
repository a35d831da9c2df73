"""What the sanitiser (plugins/sanitise) costs a page, and what share of a build that is.

    python bench/sanitise_bench.py 1000 --repeat 5

Builds, in this process, the real site and the synthetic site of bench/citations_bench.py
(N articles of about 800 words with 10 citations each), each with our full settings.
A receiver of `all_generators_finalized`, connected before the pipeline's site checks,
keeps every page's body, summary and title as they are when the sanitiser reads them;
the sanitiser is then timed on exactly those (the fastest of --repeat passes, since load
from elsewhere only ever adds time), and compared with the build's own CPU time.
Prints one line per site.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from citations_bench import generate  # noqa: E402
from pelican import signals  # noqa: E402

from plugins.sanitise.clean import sanitise  # noqa: E402
from plugins.sanitise.stage import FIELDS, _get, contents  # noqa: E402

SEEN: list[str] = []


def keep(generators: list[Any]) -> None:
    SEEN.extend(html for content in contents(generators) for field in FIELDS
                if (html := _get(content, field)))


def build(content: Path, work: Path) -> tuple[float, int]:
    """CPU seconds of one full build of ``content``, and its number of pages."""
    from pelican import Pelican  # noqa: PLC0415 - after sys.path is set
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(work / "output"),
        "CACHE_PATH": str(work / "cache"), "PROJECT_ROOT": str(ROOT),
        "REVIEW_TODAY": "2026-12-07"})
    SEEN.clear()
    start = time.process_time()
    Pelican(settings).run()
    return time.process_time() - start, len(SEEN) // len(FIELDS)


def measure(name: str, content: Path, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        cpu, pages = build(content, Path(scratch))
    texts = list(SEEN)
    best = min(_timed(texts) for _ in range(repeat))
    changed = sum(sanitise(text).changed for text in texts)
    print(f"{name}: {pages} pages, {len(texts)} texts, {sum(map(len, texts)) / 1e6:.1f} MB; "
          f"sanitiser {best * 1000:.0f} ms in all, {best / pages * 1000:.3f} ms a page, "
          f"{best / cpu:.1%} of the build's {cpu:.2f} s CPU; {changed} texts changed")


def _timed(texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        sanitise(text)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000, help="synthetic articles")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    # Before the plugins connect theirs: sees the HTML before the sanitiser, the last site check.
    signals.all_generators_finalized.connect(keep)
    measure("real site", ROOT / "content", args.repeat)
    with tempfile.TemporaryDirectory() as scratch:
        content = generate(Path(scratch), args.n)
        measure(f"synthetic, N={args.n}", content, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
