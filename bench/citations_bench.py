"""Benchmark the citation plugin against plain Pelican on a synthetic site.

    python bench/citations_bench.py 1000            (N articles; prints a table and ratios)
    python bench/citations_bench.py 5000 --keep /tmp/site

Generates N articles of about 800 words with 10 citations each, drawn from a synthetic
300-entry bibliography (fabricated entries for timing only; never published), and times:

  plain      Pelican with only the YAML front-matter reader and its simple theme; the
             raw [@key] text stays in the page
  ours-cite  our settings, theme and plugins, without plugins.citations ([@key] left in)
  ours       our full plugin list, citations included
  check      `invoke check` on the same content (python -m plugins.diagnostics.check)

  ours-warm  as ours, run again with the citation cache ours left

With --only lite lite-cite plain: our source reader alone, then with the citation
plugin, both with Pelican's simple theme (no reference lists, no /references/).

Each configuration runs in a fresh subprocess; CPU time (user + system), wall time and
peak RSS are reported. The ratios use CPU time, which other load on the machine disturbs
less than wall time. With --repeat R the configurations run R times in turn and the
fastest run of each counts (load from elsewhere only ever adds time). Every run checks
that the build wrote one page per article, so no configuration can look fast by
skipping work.

The citation plugin keeps formatted entries in CACHE_PATH between builds. "ours" runs
with that cache emptied first (a cold build, as on a fresh CI machine); "ours-warm"
runs again with the cache the previous run left (an editor's next build).
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"
FIXTURE = ROOT / "tests" / "fixtures" / "basic"
ENTRIES = 300
LITE = ["plugins.diagnostics", "plugins.sources", "plugins.sitedata"]
CITATIONS_PER_ARTICLE = 10
FILLER = ("the of and to in a is that for it as with was on be by this are or an at from "
          "patients dose pain study trial placebo week naltrexone fibromyalgia low LDN daily "
          "reported symptoms effect treatment compounding pharmacist prescriber evidence FDA "
          "randomised small sample outcome measure inflammation sleep fatigue "
          "\"quoted\" -- results")
WORDS = FILLER.split()

# Measures peak RSS of the child itself: getrusage(RUSAGE_SELF) at exit, printed last.
WRAPPER = """
import atexit, resource, runpy, sys
def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write("\\nBENCH_MAXRSS_KB=%d\\nBENCH_CPU_S=%.3f\\n"
                     % (usage.ru_maxrss, usage.ru_utime + usage.ru_stime))
atexit.register(report)
sys.argv = [sys.argv[1]] + sys.argv[2:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def bibliography(rng: random.Random) -> str:
    entries = []
    for i in range(ENTRIES):
        authors = " and ".join(f"Synthetic{rng.randrange(1000)}, Author{j}"
                               for j in range(rng.randint(1, 6)))
        entries.append(
            f"@article{{bench{i:03d},\n  author = {{{authors}}},\n"
            f"  title = {{Synthetic benchmark study number {i} on {{LDN}} \\& pain}},\n"
            f"  journal = {{Journal of Synthetic Benchmarks}},\n  year = {{{2000 + i % 25}}},\n"
            f"  volume = {{{i % 40 + 1}}},\n  pages = {{{i}--{i + 9}}},\n"
            f"  doi = {{10.5555/bench.{i}}},\n  pmid = {{{10000000 + i}}}\n}}\n")
    return "% Synthetic entries for the benchmark only; not real references.\n\n" + \
        "\n".join(entries)


def article(index: int, rng: random.Random) -> str:
    paragraphs = []
    keys = [f"bench{rng.randrange(ENTRIES):03d}" for _ in range(CITATIONS_PER_ARTICLE)]
    cited = iter(keys)
    for p in range(8):
        words = [rng.choice(WORDS) for _ in range(100)]
        sentences = [" ".join(words[i:i + 20]).capitalize() for i in range(0, 100, 20)]
        if p < CITATIONS_PER_ARTICLE // 2:
            first, second = next(cited), next(cited)
            sentences[2] += (f" [@{first}; @{second}]" if p % 2 == 0
                             else f" [@{first}] [see @{second}, p. 4]")
        heading = f"## Section {p + 1}\n\n" if p % 2 == 0 else ""
        paragraphs.append(heading + ". ".join(sentences) + ".")
    return (
        "---\n"
        f"title: Synthetic article {index}\n"
        f"slug: article-{index}\n"
        f"summary: Synthetic benchmark article {index}.\n"
        "audience: patients\nconditions: []\nreviewed_by: pharmacist\n"
        # Pelican's own reader needs a date, or plain Pelican skips every article unwritten.
        "date: 2026-11-01\nlast_reviewed: 2026-11-01\nnext_review: 2027-05-01\n"
        "---\n" + "\n\n".join(paragraphs) + "\n"
    )


def generate(root: Path, n: int, seed: int = 3) -> Path:
    rng = random.Random(seed)  # noqa: S311 - reproducible filler text, not security
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    shutil.rmtree(content / "pages")  # its home template exists only in our theme
    (content / "bibliography.bib").write_text(bibliography(rng), encoding="utf-8")
    articles = content / "articles"
    for index in range(n):
        (articles / f"article-{index}.md").write_text(article(index, rng), encoding="utf-8")
    return content


def plugins_without_citations() -> list[str]:
    sys.path.insert(0, str(ROOT))
    namespace: dict[str, object] = {"__file__": str(SETTINGS)}
    exec(compile(SETTINGS.read_text(), str(SETTINGS), "exec"), namespace)  # noqa: S102
    return [p for p in namespace["PLUGINS"] if p != "plugins.citations"]  # type: ignore[union-attr]


def run(root: Path, n: int, name: str, module: str,
        overrides: dict[str, object]) -> dict[str, float]:
    output = root / f"output-{name}"
    shutil.rmtree(output, ignore_errors=True)
    cache = root / "cache"
    if name == "ours":
        shutil.rmtree(cache, ignore_errors=True)  # cold: nothing formatted yet
    settings = {"PROJECT_ROOT": str(root), "CACHE_PATH": str(cache), **overrides}
    extra = [f"{k}={json.dumps(v)}" for k, v in settings.items()]
    argv = [sys.executable, "-c", WRAPPER, module, str(root / "content"), "-s", str(SETTINGS)]
    if module == "pelican":
        argv += ["-o", str(output)]
    argv += ["-e", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{name} failed:\n{done.stderr[-3000:]}")
    if module == "pelican":
        written = len(list(output.glob("article-*/index.html")))
        if written != n:
            sys.exit(f"{name} wrote {written} of {n} article pages:\n{done.stderr[-3000:]}")
    measured = dict(line.split("=", 1) for line in done.stderr.splitlines()
                    if line.startswith("BENCH_"))
    return {"seconds": seconds, "cpu": float(measured.get("BENCH_CPU_S", "nan")),
            "rss_mb": int(measured.get("BENCH_MAXRSS_KB", "0")) / 1024}


def configurations() -> dict[str, tuple[str, dict[str, object]]]:
    simple = {"THEME": "simple", "DIRECT_TEMPLATES": []}
    return {
        "plain": ("pelican", {"PLUGINS": ["pelican.plugins.yaml_metadata"], **simple}),
        "ours-cite": ("pelican", {"PLUGINS": plugins_without_citations()}),
        "ours": ("pelican", {}),
        "ours-warm": ("pelican", {}),
        "check": ("plugins.diagnostics.check", {}),
        # Our source reader alone, then with citations, both with Pelican's simple theme
        # (no reference lists, no /references/ page): the citation work on its own.
        "lite": ("pelican", {"PLUGINS": LITE, **simple}),
        "lite-cite": ("pelican", {"PLUGINS": [*LITE, "plugins.citations"], **simple,
                                  "CITATIONS_REFERENCES_SAVE_AS": ""}),
    }


RATIOS = (
    ("ours", "ours-cite", "citation plugin overhead, cold cache"),
    ("ours-warm", "ours-cite", "citation plugin overhead, warm cache"),
    ("ours", "plain", "our plugins vs plain Pelican, cold cache"),
    ("ours-warm", "plain", "our plugins vs plain Pelican, warm cache"),
    ("check", "ours", "check vs full build, cold cache"),
    ("check", "ours-warm", "check vs full build, warm cache"),
    ("lite-cite", "lite", "citation plugin overhead, simple theme"),
    ("lite", "plain", "our source reader vs Pelican's YAML reader"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--only", nargs="*", help="run only these configurations")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each configuration this often; the fastest run counts")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="citations-bench-"))
    if args.keep and args.keep.exists():
        shutil.rmtree(args.keep)
    root.mkdir(parents=True, exist_ok=True)
    try:
        generate(root, args.n)
        chosen = {name: config for name, config in configurations().items()
                  if (name in args.only if args.only else "lite" not in name)}
        results: dict[str, dict[str, float]] = {}
        for round_ in range(1, args.repeat + 1):
            for name, (module, overrides) in chosen.items():
                r = run(root, args.n, name, module, overrides)
                print(f"[{round_}/{args.repeat}] {name:10} wall {r['seconds']:7.2f} s  "
                      f"CPU {r['cpu']:7.2f} s ({1000 * r['cpu'] / args.n:6.2f} ms/article)  "
                      f"peak RSS {r['rss_mb']:6.1f} MB", flush=True)
                best = results.get(name)
                results[name] = r if best is None else {
                    key: min(best[key], r[key]) for key in r}
        print(f"\nN={args.n}, {ENTRIES} entries, {CITATIONS_PER_ARTICLE} citations per article, "
              f"fastest of {args.repeat}")
        for name, r in results.items():
            print(f"{name:10} CPU {r['cpu']:7.2f} s  wall {r['seconds']:7.2f} s  "
                  f"peak RSS {r['rss_mb']:6.1f} MB")
        for a, b, what in RATIOS:
            if a in results and b in results:
                wall = results[a]["seconds"] / results[b]["seconds"]
                cpu = results[a]["cpu"] / results[b]["cpu"]
                rss = results[a]["rss_mb"] / max(results[b]["rss_mb"], 1e-9)
                print(f"{a}/{b}: CPU {cpu:.3f}x, wall {wall:.3f}x, peak RSS {rss:.3f}x  ({what})")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
