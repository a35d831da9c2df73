"""CPU time of each page stage and site check in one cold build (run by hand).

    python bench/citations_bench.py 1000 --keep /tmp/site --only ours   (makes the site)
    python bench/stage_times.py /tmp/site
    python bench/stage_times.py /tmp/site --wrap plugins.editorial.stage.lint_claims

Builds SITE/content into SITE/output-stage-times in this process, with this checkout's
plugins, the citation cache emptied first, and prints the CPU time (time.process_time)
spent in each stage's and site check's ``run``, in the functions named with --wrap (a
module's function, looked up when it is called through the module), the build's own
CPU and its child processes' (citeproc-py). Compare two checkouts by running each in
turn, a few times: other load on the machine moves these figures by several per cent.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plugins.pipeline import stages  # noqa: E402 - after ROOT is on the path

SPENT: collections.Counter[str] = collections.Counter()


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - start
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a folder with content/ (citations_bench --keep)")
    parser.add_argument("--wrap", nargs="*", default=[], help="module.function to time too")
    args = parser.parse_args(argv)
    for kind, records in (("stage", stages.PAGE_STAGES), ("check", stages.SITE_CHECKS)):
        for record in records:  # frozen dataclasses: their run replaced in place
            object.__setattr__(record, "run", timed(f"{kind} {record.name}", record.run))
    for name in args.wrap:
        module, function = name.rsplit(".", 1)
        loaded = importlib.import_module(module)
        setattr(loaded, function, timed(name, getattr(loaded, function)))
    site = args.site.resolve()
    output = site / "output-stage-times"
    shutil.rmtree(site / "cache", ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    from pelican import main as pelican  # noqa: PLC0415 - after the stages are wrapped

    start = time.process_time()
    try:
        pelican(["-q", str(site / "content"), "-s", str(ROOT / "pelicanconf.py"),
                 "-o", str(output), "-e", f'PROJECT_ROOT="{site}"',
                 f'CACHE_PATH="{site / "cache"}"', 'REVIEW_TODAY="2026-12-07"'])
    except SystemExit as done:
        print(f"pelican exited with {done.code}")
    own = time.process_time() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    for name, seconds in SPENT.most_common():
        print(f"{name:40s} {seconds:7.3f} s")
    print(f"{'stages and checks':40s} {sum(v for k, v in SPENT.items() if ' ' in k):7.3f} s")
    print(f"{'the build (own process)':40s} {own:7.3f} s")
    print(f"{'child processes':40s} {children.ru_utime + children.ru_stime:7.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
