"""Benchmark a large bibliography: does a build grow linearly with the number of entries?

    python bench/bibliography_bench.py 2000 5000 20000          (a table of timings)
    python bench/bibliography_bench.py 5000 --profile /tmp/p     (cProfile of one build)
    python bench/bibliography_bench.py 2000 --keep /tmp/site

A Zotero library exported whole reaches 20,000 entries. Each size gets a small site
(tests/fixtures/basic plus five articles, each citing three entries) and a synthetic
bibliography of N journal articles (fabricated, for timing only; never published), and
is built with our settings, theme and plugins, citation cache cold then warm, and
checked with `invoke check`. Every entry is on /references/ and every uncited one is a
`citations.unused-entry` warning, so the whole bibliography is loaded, checked and
formatted. Each build runs in a fresh subprocess; CPU time (user + system) and peak RSS
are printed, with the CPU time per entry: a linear build keeps that figure flat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"
FIXTURE = ROOT / "tests" / "fixtures" / "basic"
ARTICLES = 5
CITED_PER_ARTICLE = 3
FAMILIES = ("Younger", "Mackey", "Parkitny", "Bruun", "Bested", "Metyas", "Smith", "Jones",
            "Müller", "O'Brien", "García", "Nguyen", "Kowalski", "Ødegaard", "Lee")

WRAPPER = """
import atexit, resource, runpy, sys
def report():
    own = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write("\\nBENCH_MAXRSS_KB=%d\\nBENCH_CPU_S=%.3f\\n"
                     % (own.ru_maxrss, own.ru_utime + own.ru_stime))
atexit.register(report)
profile = sys.argv[1]
sys.argv = sys.argv[2:]
if profile:
    import cProfile
    cProfile.run("runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)",
                 profile)
else:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def entry(i: int, rng: random.Random) -> str:
    authors = " and ".join(f"{rng.choice(FAMILIES)}{rng.randrange(100)}, Author {j}"
                           for j in range(rng.randint(1, 6)))
    return (f"@article{{zot{i:05d},\n  author = {{{authors}}},\n"
            f"  title = {{Synthetic study {i} of {{LDN}} \\& pain in {rng.randint(8, 400)} "
            f"adults}},\n  journal = {{Journal of Synthetic Benchmarks}},\n"
            f"  shortjournal = {{J Synth Bench}},\n  year = {{{1990 + i % 35}}},\n"
            f"  volume = {{{i % 40 + 1}}},\n  number = {{{i % 12 + 1}}},\n"
            f"  pages = {{{i}--{i + 9}}},\n  doi = {{10.5555/zot.{i}}},\n"
            f"  pmid = {{{20000000 + i}}}\n}}\n")


def generate(root: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    (content / "bibliography.bib").write_text(
        "% Synthetic entries for the benchmark only; not real references.\n\n"
        + "\n".join(entry(i, rng) for i in range(n)), encoding="utf-8")
    for a in range(ARTICLES):
        keys = "; ".join(f"@zot{rng.randrange(n):05d}" for _ in range(CITED_PER_ARTICLE))
        (content / "articles" / f"cites-{a}.md").write_text(
            "---\n"
            f"title: Synthetic article {a}\nslug: cites-{a}\n"
            f"summary: Synthetic benchmark article {a}.\n"
            "audience: patients\nconditions: []\nreviewed_by: pharmacist\n"
            "last_reviewed: 2026-11-01\nnext_review: 2027-05-01\n---\n"
            f"Some small studies looked at this [{keys}].\n", encoding="utf-8")
    return content


def run(root: Path, module: str, profile: str = "") -> dict[str, float]:
    output = root / "output"
    shutil.rmtree(output, ignore_errors=True)
    settings = {"PROJECT_ROOT": str(root), "CACHE_PATH": str(root / "cache"),
                "REVIEW_TODAY": "2026-12-01"}
    argv = [sys.executable, "-c", WRAPPER, profile, module, str(root / "content"),
            "-s", str(SETTINGS)]
    if module == "pelican":
        argv += ["-o", str(output)]
    argv += ["-e", *[f"{k}={json.dumps(v)}" for k, v in settings.items()]]
    done = subprocess.run(argv, cwd=root, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{module} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    if module == "pelican" and not (output / "references" / "index.html").is_file():
        sys.exit("the build wrote no /references/ page")
    measured = dict(line.split("=", 1) for line in done.stderr.splitlines()
                    if line.startswith("BENCH_"))
    return {"cpu": float(measured["BENCH_CPU_S"]),
            "rss_mb": int(measured["BENCH_MAXRSS_KB"]) / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+", help="numbers of entries")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--profile", help="write a cProfile of the cold build to this file")
    parser.add_argument("--only", nargs="*", default=["cold", "warm", "check"],
                        help="cold, warm and/or check")
    args = parser.parse_args(argv)
    for n in args.sizes:
        root = args.keep or Path(tempfile.mkdtemp(prefix="bibliography-bench-"))
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        try:
            generate(root, n)
            shutil.rmtree(root / "cache", ignore_errors=True)
            jobs = {"cold": ("pelican", args.profile or ""), "warm": ("pelican", ""),
                    "check": ("plugins.diagnostics.check", "")}
            for name in args.only:
                module, profile = jobs[name]
                r = run(root, module, profile)
                print(f"N={n:6d} {name:5} CPU {r['cpu']:8.2f} s "
                      f"({1000 * r['cpu'] / n:6.2f} ms/entry)  peak RSS {r['rss_mb']:7.1f} MB",
                      flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
