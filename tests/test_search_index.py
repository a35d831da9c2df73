"""The search index (plugins/search), made while Pelican writes the pages: real builds with
the real Pagefind binary. It must be what `pagefind --site` makes of the finished site,
the same from build to build and on one CPU, and a failed index must fail the build."""

from __future__ import annotations

import gzip
import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_tasks import reproducible_parts

from conftest import ROOT, BuildResult, run_build, write_content

LATE_PAGES = ROOT / "tests" / "plugins" / "late_pages"
PLUGINS = runpy.run_path(str(ROOT / "pelicanconf.py"))["PLUGINS"]
FAILED = "[search.index-failed]"


def build(root: Path, content: str = "theme-site", **settings: object) -> BuildResult:
    write_content(root / "content", content)
    return run_build(root, SEARCH_INDEX=True, **settings)


def fragments(site: Path) -> dict[str, dict]:
    """Each indexed page's fragment (its URL, text, title, filters), by URL."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> BuildResult:
    result = build(tmp_path_factory.mktemp("indexed"))
    assert result.ok, result.stdout + result.stderr
    return result


def test_the_index_is_what_pagefinds_command_line_makes_of_the_finished_site(indexed, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(indexed.output, site, ignore=shutil.ignore_patterns("pagefind"))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir",
                    "pagefind", "--exclude-selectors=.citation", "--quiet"], check=True,
                   cwd=tmp_path, timeout=120)
    ours, theirs = (sorted(path.name for path in (folder / "pagefind" / "fragment").iterdir())
                    for folder in (indexed.output, site))
    # A fragment's name is a hash of the page's URL, text, metadata and filters.
    assert ours == theirs
    assert len(ours) >= 8
    pages = fragments(indexed.output)
    assert "/search/" not in pages  # no data-pagefind-body
    assert "/404.html" not in pages
    bundle = indexed.output / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert list(bundle.glob("wasm.*.pagefind"))
    assert not list(bundle.glob("pagefind-*ui*")) + list(bundle.glob("pagefind-worker.js"))


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or shutil.which("taskset") is None,
                    reason="needs taskset")
def test_the_index_is_the_same_on_one_cpu(indexed, tmp_path, monkeypatch):
    """On one core Pagefind cannot run beside Pelican; the pages still go in the order
    Pelican writes them, so the index is the same, byte for byte (but for the files that
    Pagefind 1.5 writes in hash-map order; see test_tasks)."""
    write_content(tmp_path / "content", "theme-site")
    argv = [sys.executable, "-m", "pelican", str(tmp_path / "content"), "-s",
            str(ROOT / "pelicanconf.py"), "-o", str(tmp_path / "output"), "-e",
            f'PROJECT_ROOT="{tmp_path}"', f'CACHE_PATH="{tmp_path / "cache"}"', "SEARCH_INDEX=true"]
    done = subprocess.run(["taskset", "-c", "0", *argv], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr
    ours = reproducible_parts(tmp_path / "output")[0]
    theirs = reproducible_parts(indexed.output)[0]
    assert {k: v for k, v in ours.items() if k.startswith("pagefind/")} == \
        {k: v for k, v in theirs.items() if k.startswith("pagefind/")}


def test_pages_changed_or_written_after_pelican_wrote_them_are_indexed_as_they_end(tmp_path):
    words = runpy.run_path(str(LATE_PAGES / "__init__.py"))
    result = build(tmp_path, "basic", PLUGIN_PATHS=[str(LATE_PAGES.parent)],
                   PLUGINS=[*PLUGINS, "late_pages"])
    assert result.ok, result.stdout + result.stderr
    pages = fragments(result.output)
    assert words["CHANGED_WORD"] in pages["/first-article/"]["content"]
    assert words["UNANNOUNCED_WORD"] in pages["/unannounced/"]["content"]


def failing(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "pagefind-broken"
    path.write_text(script, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_a_pagefind_that_cannot_start_fails_the_build_with_one_line(tmp_path, monkeypatch):
    broken = failing(tmp_path, "#!/bin/sh\necho 'cannot start (on purpose)' >&2\nexit 3\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    assert_failed(build(tmp_path / "site"), "cannot start (on purpose)")


def test_a_pagefind_killed_part_way_fails_the_build_with_one_line(tmp_path):
    result = build(tmp_path, PLUGIN_PATHS=[str(LATE_PAGES.parent)],
                   PLUGINS=[*PLUGINS, "kill_pagefind"])
    assert_failed(result, "Pagefind ended unexpectedly (exit status -9)")


def assert_failed(result: BuildResult, reason: str) -> None:
    assert result.returncode == 1
    lines = [line for line in (result.stdout + result.stderr).splitlines() if FAILED in line]
    assert len(lines) == 1, result.stdout + result.stderr
    assert lines[0].startswith("error: search indexing (Pagefind) failed: ")
    assert reason in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (result.output / "pagefind" / "pagefind.js").exists()


def test_plain_pelican_runs_no_pagefind(tmp_path, monkeypatch):
    """SEARCH_INDEX is off by default: a plain build never starts Pagefind."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing(tmp_path, "#!/bin/sh\nexit 3\n")))
    write_content(tmp_path / "content", "basic")
    result = run_build(tmp_path)
    assert result.ok, result.stdout + result.stderr
    assert not (result.output / "pagefind").exists()
