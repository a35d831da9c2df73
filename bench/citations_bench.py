"""Benchmark the citation plugin against plain Pelican on a synthetic site.

    python bench/citations_bench.py 1000            (N articles; prints a table and ratios)
    python bench/citations_bench.py 1000 --paired --repeat 5     (the figures we report)
    python bench/citations_bench.py 5000 --keep /tmp/site

Generates N articles of about 800 words with 10 citations each, drawn from a synthetic
300-entry bibliography with a study record for each entry (fabricated entries for timing
only; never published), and times:

  plain      Pelican with only the YAML front-matter reader and its simple theme
  ours-cite  our settings, theme and plugins, without plugins.citations
  ours       our full plugin list, citations included
  check      `invoke check` on the same content (python -m plugins.diagnostics.check)

  ours-warm  as ours, run again with the citation cache ours left

The configurations without plugins.citations (plain, ours-cite, lite) build the same
articles with each citation as the text a reader sees ("[@a; @b]" becomes "1,2"), not
the raw "[@key]", which Python-Markdown's link pattern would scan at every bracket.

With --only lite lite-cite plain: our source reader alone, then with the citation
plugin, both with Pelican's simple theme (no reference lists, no /references/).

Each configuration runs in a fresh subprocess; CPU time (user + system), wall time and
peak RSS are reported. The ratios use CPU time, which other load on
the machine disturbs less than wall time. With --repeat R the configurations run R times
in turn and the fastest run of each counts (load from elsewhere only ever adds time). On
a shared machine whose speed drifts by 20% from one run to the next, --paired runs the
two sides of a ratio at the same time, one per core, and reports the median of the
rounds' own ratios. Every run checks that the build wrote one page per article, so no
configuration can look fast by skipping work.

The citation plugin keeps formatted entries in CACHE_PATH between builds. "ours" runs
with that cache emptied first (a cold build, as on a fresh CI machine); "ours-warm"
runs again with the cache the previous run left (an editor's next build).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"
FIXTURE = ROOT / "tests" / "fixtures" / "basic"
ENTRIES = 300
LITE = ["plugins.diagnostics", "plugins.pipeline", "plugins.sources", "plugins.sitedata"]
CITATIONS_PER_ARTICLE = 10
FILLER = ("the of and to in a is that for it as with was on be by this are or an at from "
          "patients dose pain study trial placebo week naltrexone fibromyalgia low LDN daily "
          "reported symptoms effect treatment compounding pharmacist prescriber evidence FDA "
          "randomised small sample outcome measure inflammation sleep fatigue "
          "\"quoted\" -- results")
WORDS = FILLER.split()

# Peak RSS and CPU of the build, from getrusage at exit, printed last. The CPU counts
# any child process the build waited for (RUSAGE_CHILDREN), so that work moved out of the
# build's own process still counts; the peak is the larger of the build's and its largest
# child's. The one child (citeproc-py, a cold build) runs while the build waits for it, at
# its first citing page: then both are resident (about 53 + 54 MB RSS, shared libraries
# counted twice), more than this figure; see docs/performance.md.
WRAPPER = """
import atexit, resource, runpy, sys
def report():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    sys.stderr.write("\\nBENCH_MAXRSS_KB=%d\\nBENCH_CPU_S=%.3f\\n"
                     % (max(own.ru_maxrss, children.ru_maxrss),
                        own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime))
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
            f"  journal = {{Journal of Synthetic Benchmarks}},\n"
            f"  shortjournal = {{J Synth Bench}},\n  year = {{{2000 + i % 25}}},\n"
            f"  volume = {{{i % 40 + 1}}},\n  pages = {{{i}--{i + 9}}},\n"
            f"  doi = {{10.5555/bench.{i}}},\n  pmid = {{{10000000 + i}}}\n}}\n")
    return "% Synthetic entries for the benchmark only; not real references.\n\n" + \
        "\n".join(entries)


DESIGN_SLUGS = ("randomized-controlled-trial", "randomized-crossover-trial", "pilot-study",
                "case-report", "meta-analysis", "narrative-review")
DIRECTIONS = ("favours LDN", "no clear difference", "mixed", "not applicable")


def studies(rng: random.Random) -> str:
    """A study record for every synthetic entry, so that the evidence plugin labels every
    reference and types every cited work in the JSON-LD (fabricated, for timing only)."""
    return "".join(
        f"bench{i:03d}:\n  design: {DESIGN_SLUGS[i % len(DESIGN_SLUGS)]}\n"
        f"  participants: {rng.randint(8, 400)} adults\n  dose: 4.5 mg a day\n"
        f"  duration: {rng.randint(2, 26)} weeks\n  direction: {DIRECTIONS[i % 4]}\n"
        f"  outcome: Synthetic outcome sentence number {i}.\n"
        for i in range(ENTRIES))


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


CITATION = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
CITED_KEY = re.compile(r"(?P<prefix>[^@;]*?)\s*-?@(?P<key>[\w:.-]+)(?:,\s*p\.\s*(?P<page>\w+))?")


def as_read(text: str) -> str:
    """The article with each ``[@key]`` group as the text a reader sees in our AMA pages
    (its numbers, in order of first citation; "see" and "(p4)" kept), for the builds
    without the citation plugin: left as ``[@key]``, Python-Markdown's link pattern tries
    every bracket, which costs a plain build about 20% and flatters our ratio."""
    numbers: dict[str, int] = {}

    def group(match: re.Match[str]) -> str:
        pieces = []
        for item in CITED_KEY.finditer(match.group(1)):
            number = numbers.setdefault(item.group("key"), len(numbers) + 1)
            page = f"(p{item.group('page')})" if item.group("page") else ""
            prefix = item.group("prefix").strip()
            pieces.append(f"{prefix} {number}{page}" if prefix else f"{number}{page}")
        return ",".join(pieces)

    return CITATION.sub(group, text)


def generate(root: Path, n: int, seed: int = 3) -> Path:
    """The site in ``content``, and in ``content-text`` the same site with its citations
    as text (as_read), which the configurations without plugins.citations build."""
    rng = random.Random(seed)  # noqa: S311 - reproducible filler text, not security
    content = root / "content"
    text = root / "content-text"
    shutil.copytree(FIXTURE, content)
    shutil.rmtree(content / "pages")  # its home template exists only in our theme
    (content / "bibliography.bib").write_text(bibliography(rng), encoding="utf-8")
    (content / "studies.yaml").write_text(studies(rng), encoding="utf-8")
    shutil.copytree(content, text)
    for index in range(n):
        source = article(index, rng)
        name = f"articles/article-{index}.md"
        (content / name).write_text(source, encoding="utf-8")
        (text / name).write_text(as_read(source), encoding="utf-8")
    return content


def plugins_without_citations() -> list[str]:
    sys.path.insert(0, str(ROOT))
    namespace: dict[str, object] = {"__file__": str(SETTINGS)}
    exec(compile(SETTINGS.read_text(), str(SETTINGS), "exec"), namespace)  # noqa: S102
    return [p for p in namespace["PLUGINS"] if p != "plugins.citations"]  # type: ignore[union-attr]


Job = tuple[str, str, dict[str, object]]  # name, module, settings overrides


def start(root: Path, name: str, module: str,
          overrides: dict[str, object]) -> tuple[subprocess.Popen[str], float]:
    output = root / f"output-{name}"
    shutil.rmtree(output, ignore_errors=True)
    cache = root / "cache"
    if name == "ours":
        shutil.rmtree(cache, ignore_errors=True)  # cold: nothing formatted yet
    settings = {"PROJECT_ROOT": str(root), "CACHE_PATH": str(cache), **overrides}
    extra = [f"{k}={json.dumps(v)}" for k, v in settings.items()]
    plugins = overrides.get("PLUGINS")
    cites = not isinstance(plugins, list) or "plugins.citations" in plugins
    content = root / ("content" if cites else "content-text")
    argv = [sys.executable, "-c", WRAPPER, module, str(content), "-s", str(SETTINGS)]
    if module == "pelican":
        argv += ["-o", str(output)]
    argv += ["-e", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    return process, time.perf_counter()


def run_together(root: Path, n: int, jobs: list[Job]) -> dict[str, dict[str, float]]:
    """Run the jobs at the same time, one per core, and measure each."""
    started = {name: start(root, name, module, overrides) for name, module, overrides in jobs}
    finished: dict[str, tuple[str, float]] = {}  # stderr, and when the build ended

    def wait(name: str) -> None:
        stderr = started[name][0].communicate()[1]
        finished[name] = (stderr, time.perf_counter())

    readers = {name: threading.Thread(target=wait, args=(name,)) for name in started}
    for reader in readers.values():
        reader.start()
    results = {}
    for name, module, _ in jobs:
        process, began = started[name]
        readers[name].join()
        stderr, ended = finished[name]
        seconds = ended - began
        if process.returncode != 0:
            sys.exit(f"{name} failed:\n{stderr[-3000:]}")
        if module == "pelican":
            written = len(list((root / f"output-{name}").glob("article-*/index.html")))
            if written != n:
                sys.exit(f"{name} wrote {written} of {n} article pages:\n{stderr[-3000:]}")
        measured = dict(line.split("=", 1) for line in stderr.splitlines()
                        if line.startswith("BENCH_"))
        results[name] = {"seconds": seconds, "cpu": float(measured.get("BENCH_CPU_S", "nan")),
                         "rss_mb": int(measured.get("BENCH_MAXRSS_KB", "0")) / 1024}
    return results


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


# With --paired, the configurations run two at a time, one per core, each pair from start
# to finish together: whatever else loads the machine then slows both sides of a ratio.
PAIRS = (("plain", "ours"), ("ours-cite", "ours-warm"), ("check",), ("lite", "lite-cite"))


def steps(chosen: list[str], paired: bool) -> list[list[str]]:
    if not paired:
        return [[name] for name in chosen]
    grouped = [[name for name in pair if name in chosen] for pair in PAIRS]
    return [group for group in grouped if group]


def compile_checkout() -> None:
    """This checkout's bytecode, written before any build, as pip wrote Pelican's when it
    installed it: with PYTHONDONTWRITEBYTECODE set (this machine's environment sets it),
    Python never caches a module it compiles, and every build of ours compiled the 140 of
    our modules it imports afresh (0.08 s of CPU a build) where plain Pelican compiled none.
    Our builds elsewhere compile each module once, on their first run."""
    compileall.compile_dir(ROOT / "plugins", quiet=1)
    compileall.compile_file(SETTINGS, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--only", nargs="*", help="run only these configurations")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each configuration this often; the fastest run counts")
    parser.add_argument("--paired", action="store_true",
                        help="run plain with ours, ours-cite with ours-warm, side by side; "
                             "ratios are the median of each round's own ratio")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="citations-bench-"))
    if args.keep and args.keep.exists():
        shutil.rmtree(args.keep)
    root.mkdir(parents=True, exist_ok=True)
    configs = configurations()
    by_default = [name for name in configs if not name.startswith("lite")]
    chosen = [name for name in configs if name in (args.only or by_default)]
    try:
        generate(root, args.n)
        compile_checkout()
        best: dict[str, dict[str, float]] = {}
        rounds: list[dict[str, dict[str, float]]] = []
        for round_ in range(1, args.repeat + 1):
            this_round: dict[str, dict[str, float]] = {}
            for group in steps(chosen, args.paired):
                measured = run_together(root, args.n, [(name, *configs[name]) for name in group])
                for name, r in measured.items():
                    print(f"[{round_}/{args.repeat}] {name:10} wall {r['seconds']:7.2f} s  "
                          f"CPU {r['cpu']:7.2f} s ({1000 * r['cpu'] / args.n:6.2f} ms/article)  "
                          f"peak RSS {r['rss_mb']:6.1f} MB",
                          flush=True)
                    previous = best.get(name)
                    best[name] = r if previous is None else {
                        key: min(previous[key], r[key]) for key in r}
                this_round.update(measured)
            rounds.append(this_round)
        how = "side by side in pairs" if args.paired else "one at a time"
        print(f"\nN={args.n}, {ENTRIES} entries, {CITATIONS_PER_ARTICLE} citations per article, "
              f"{args.repeat} round(s), {how}; fastest run of each:")
        for name, r in best.items():
            print(f"{name:10} CPU {r['cpu']:7.2f} s  wall {r['seconds']:7.2f} s  "
                  f"peak RSS {r['rss_mb']:6.1f} MB")
        print("Ratios, median over the rounds of each round's own ratio:")
        for a, b, what in RATIOS:
            if a in best and b in best:
                ratio = {key: statistics.median(r[a][key] / r[b][key] for r in rounds)
                         for key in ("cpu", "seconds", "rss_mb")}
                print(f"{a}/{b}: CPU {ratio['cpu']:.3f}x, wall {ratio['seconds']:.3f}x, "
                      f"peak RSS {ratio['rss_mb']:.3f}x  ({what})")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
