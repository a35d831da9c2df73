"""Tasks for building, checking, previewing and publishing the site (run with invoke)."""

from __future__ import annotations

import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from invoke import Argument, Exit, Task, task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
ARTICLES = ROOT / "content" / "articles"
STAGING_PREFIX = ".output-staging-"
HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "8000"))
REVIEW_MONTHS = 6
# Pagefind (PyPI pagefind[extended], pinned in pyproject.toml) writes the search index into
# <site>/pagefind/. Of its bundle the site loads pagefind.js, its WebAssembly and the index;
# the ready-made search interfaces (theme/static/js/search.js is ours) and the web worker
# (search.js searches on the page itself: noWorker) are not shipped.
SEARCH_BUNDLE = "pagefind"
# Left out of the index besides what the theme marks data-pagefind-ignore: in-text
# citations (plugins/citations' markup), whose numbers would only clutter the excerpts.
SEARCH_EXCLUDED = (".citation",)
UNUSED_SEARCH_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                       "pagefind-modular-ui.css", "pagefind-component-ui.js",
                       "pagefind-component-ui.css", "pagefind-highlight.js",
                       "pagefind-worker.js")


def _pelican(c, settings: str, output: Path, *, echo: bool = True) -> bool:
    command = [sys.executable, "-m", "pelican", "content", "-s", settings, "-o", str(output)]
    return c.run(" ".join(command), warn=True, echo=echo, pty=False).ok


def index_site(site: Path, *, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run Pagefind over a built site: the search index goes into site/pagefind/.

    Pagefind reads a pagefind.yml (or .toml, .json) in cwd, if there is one. Its output is
    returned, not printed; a non-zero returncode means there is no usable index.
    """
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir",
         SEARCH_BUNDLE, *(f"--exclude-selectors={selector}" for selector in
                          SEARCH_EXCLUDED), "--quiet"],
        cwd=cwd, capture_output=True, text=True, check=False, timeout=600,
    )
    bundle = site / SEARCH_BUNDLE
    if done.returncode == 0:
        if not (bundle / "pagefind.js").is_file():
            done.returncode, done.stderr = 1, done.stderr + f"\nno {SEARCH_BUNDLE}/pagefind.js"
        for name in UNUSED_SEARCH_FILES:
            (bundle / name).unlink(missing_ok=True)
    return done


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale_staging(parent: Path) -> list[Path]:
    """Remove the staging folders of builds that were interrupted or killed.

    A staging folder is named ``.output-staging-<pid>-<random>`` after the process that
    builds into it; one whose process is gone (or that has no pid in its name: an older
    build's, or the ``retired`` output of a swap that was cut short) is removed. A
    build that is still running keeps its folder.
    """
    removed = []
    for path in parent.glob(f"{STAGING_PREFIX}*"):
        pid = path.name.removeprefix(STAGING_PREFIX).split("-", 1)[0]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def atomic_build(c, settings: str, output: Path = OUTPUT) -> None:
    """Build into a fresh staging folder, index it for search, and swap it in only if
    both succeeded. Staging folders left by a killed build are removed first; if one was
    killed in the middle of its swap, the last good output/ is put back."""
    retired = output.with_name(f"{STAGING_PREFIX}retired")
    if retired.is_dir() and not output.exists():
        retired.rename(output)
    remove_stale_staging(output.parent)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-",
                                    dir=output.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    try:
        if not _pelican(c, settings, staging):
            raise Exit(f"Build failed: {output.name}/ was left exactly as it was.", code=1)
        indexed = index_site(staging)
        sys.stdout.write(indexed.stdout)
        if indexed.returncode != 0:
            sys.stderr.write(indexed.stderr)
            raise Exit(f"Search indexing (Pagefind) failed: {output.name}/ was left exactly "
                       "as it was.", code=1)
        shutil.rmtree(retired, ignore_errors=True)
        if output.exists():
            output.rename(retired)
        staging.rename(output)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@task
def build(c) -> None:
    """Build the site with pelicanconf.py into output/, atomically."""
    atomic_build(c, "pelicanconf.py")


@task
def check(c) -> None:
    """Run every content check without writing any page."""
    result = c.run(f"{sys.executable} -m plugins.diagnostics.check -s pelicanconf.py",
                   warn=True, pty=False)
    if not result.ok:
        raise Exit(code=1)


@task
def facts(c) -> None:
    """List every fact a launch needs, known or missing, where to write it, and the verdict."""
    result = c.run(f"{sys.executable} -m plugins.sitedata.checklist -s pelicanconf.py",
                   warn=True, pty=False)
    if not result.ok:
        raise Exit(code=1)


@task
def report(c) -> None:
    """Print every page's audience, reading grade, words, citations, conditions, review
    dates, lint hits and unknown facts; also written to reports/editorial.html (never
    published). Runs the content check first, and fails as it does."""
    result = c.run(f"{sys.executable} -m plugins.editorial.report -s pelicanconf.py",
                   warn=True, pty=False)
    if not result.ok:
        raise Exit(code=1)


@task
def serve(c) -> None:
    """Serve output/ on http://127.0.0.1:8000/ (PORT overrides the port)."""
    if not OUTPUT.is_dir():
        raise Exit("output/ does not exist yet: run `invoke build` first.", code=1)
    print(f"Serving output/ at http://{HOST}:{PORT}/ (Ctrl-C stops)")
    c.run(f"{sys.executable} -m pelican --listen -b {HOST} -p {PORT} -s pelicanconf.py "
          f"-o {OUTPUT}", pty=False)


@task
def livereload(c) -> None:
    """Preview on http://127.0.0.1:8000/, rebuilt in one warm process on every save; each
    open page reloads itself, or shows the save's problems over the last good page."""
    # Imported here: only this task needs the preview (plugins/preview).
    from plugins.preview.__main__ import serve as preview  # noqa: PLC0415

    code = preview(["-s", str(ROOT / "pelicanconf.py"), "--host", HOST, "--port", str(PORT)],
                   index=index_site)
    if code:
        raise Exit(code=code)


@task
def publish(c) -> None:
    """Build the production site with publishconf.py into output/, atomically."""
    atomic_build(c, "publishconf.py")


@task
def clean(c) -> None:
    """Remove output/, the build cache and any staging folders left by an interrupted build."""
    for path in [OUTPUT, ROOT / "cache", *ROOT.glob(f"{STAGING_PREFIX}*")]:
        shutil.rmtree(path, ignore_errors=True)


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def scaffold(title: str, today: datetime.date) -> str:
    """The text of a new article, every front-matter field filled in or explained."""
    next_review = today.replace(year=today.year + (today.month + REVIEW_MONTHS - 1) // 12,
                                month=(today.month + REVIEW_MONTHS - 1) % 12 + 1, day=1)
    quoted = title.replace('"', '\\"')
    return f'''---
title: "{quoted}"
slug: {slugify(title)}
# One or two plain sentences, shown under the title and used as the description.
summary: "TODO: write a one-sentence summary."
# Who the page is for: patients, prescribers or both.
audience: patients
# Condition slugs from content/conditions.yaml, for example [fibromyalgia, crps].
conditions: []
# Further-reading keys from content/bibliography.bib that the text does not cite.
# Cite in the text with [@key], [@a; @b] or [@key, p. 4].
citations: []
# A key of `people:` in content/pharmacy.yaml.
reviewed_by: pharmacist
last_reviewed: {today.isoformat()}
next_review: {next_review.isoformat()}
# Optional: order: 10   (position in listings)
---

Write the article here. Start sections with `## Heading`.
'''


@task(help={"title": "The article's title, in quotes"})
def new(c, title) -> None:
    """Create content/articles/<slug>.md with every front-matter field ready to fill in."""
    path = ARTICLES / f"{slugify(title)}.md"
    if path.exists():
        raise Exit(f"{path.relative_to(ROOT)} already exists: choose another title.", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(title, datetime.date.today()), encoding="utf-8")
    print(f"Created {path.relative_to(ROOT)}")


class DoiArgument(Argument):
    """`invoke cite`'s positional DOI, not needed once --pmid is given: invoke asks for
    every positional argument, so `invoke cite --pmid 19453963` failed without this."""

    pmid: Argument | None = None

    @property
    def value(self) -> object:
        if self._value is None and self.pmid is not None and self.pmid.value:
            return ""
        return self._value if self._value is not None else self.default

    @value.setter
    def value(self, arg: str) -> None:
        self.set_value(arg, cast=True)


class CiteTask(Task):
    def get_arguments(self, ignore_unknown_help: bool | None = None) -> list[Argument]:
        arguments = super().get_arguments(ignore_unknown_help)
        named = {argument.name: argument for argument in arguments}
        named["doi"].__class__ = DoiArgument
        named["doi"].pmid = named["pmid"]
        return arguments


@task(klass=CiteTask, positional=["doi"], help={
    "doi": "The article's DOI, e.g. 10.1111/j.1526-4637.2009.00613.x",
    "pmid": "Instead of a DOI: the article's PubMed ID, e.g. 19453963",
    "dry_run": "Print the entry only; change nothing",
})
def cite(c, doi=None, pmid="", dry_run=False) -> None:
    """Add a journal article to content/bibliography.bib from its DOI or PMID."""
    # Imported here: only this task uses the network (httpx); the build never does.
    from plugins.citations.fetch import cite as fetch_and_append  # noqa: PLC0415
    from plugins.citations.newentry import CiteError  # noqa: PLC0415

    try:
        # doi defaults to None: invoke fills a positional argument only while it is None.
        print(fetch_and_append(ROOT / "content" / "bibliography.bib", doi=doi or "",
                               pmid=str(pmid), dry_run=dry_run), end="")
    except CiteError as err:
        raise Exit(f"invoke cite: {err}", code=1) from None


@task(help={
    "summary": "Also write the changes, in words, as Markdown to this file",
    "dry_run": "Print what changed; write nothing",
})
def audit(c, summary="", dry_run=False) -> None:
    """Check every cited work for retractions and corrections, and search for new evidence."""
    # Only this task and `invoke cite` use the network (httpx); the build never does.
    command = [sys.executable, "-m", "plugins.integrity.audit", "-s", "pelicanconf.py"]
    if summary:
        command += ["--summary", summary]
    if dry_run:
        command.append("--dry-run")
    if not c.run(" ".join(map(shlex.quote, command)), warn=True, pty=False).ok:
        raise Exit(code=1)


SYSTEM_PACKAGES = {"/usr/bin/chromium": "chromium", "/usr/bin/java": "default-jre-headless"}


@task
def setup(c) -> None:
    """Install what the browser and validator tests need: chromium, Java (Debian) and the
    Nu HTML checker (npm vnu-jar, from package-lock.json)."""
    missing = [package for binary, package in SYSTEM_PACKAGES.items() if not Path(binary).exists()]
    if missing:
        sudo = "" if os.geteuid() == 0 else "sudo "
        c.run(f"{sudo}apt-get update -qq", pty=False)
        c.run(f"{sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
              f"--no-install-recommends {' '.join(missing)}", pty=False)
    if not (ROOT / "node_modules" / "vnu-jar").is_dir():
        c.run(f"cd {ROOT} && npm ci --no-audit --no-fund", pty=False)


@task(pre=[setup])
def test(c) -> None:
    """Run the whole test suite, browser tests included."""
    c.run(f"{sys.executable} -m pytest", pty=False)
