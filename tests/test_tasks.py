"""The editor workflow: invoke tasks on a copy of the project, as an editor runs them."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

PROJECT_FILES = ["pelicanconf.py", "publishconf.py", "tasks.py", "pyproject.toml"]
PROJECT_DIRS = ["theme", "plugins"]
BROKEN = "---\ntitle: LDN: an overview\n---\nBody.\n"


def copy_project(target: Path, content: str = "basic") -> Path:
    """The project's code and theme with a fixture as its content/, in a fresh folder."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, target / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(FIXTURES / content, target / "content")
    return target


def invoke(project: Path, *args: str, env: dict[str, str] | None = None,
           timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=project, capture_output=True, text=True,
        timeout=timeout, check=False, env={**os.environ, "PYTHONPATH": str(project), **(env or {})},
    )


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's digest and modification time, to prove a folder was not touched."""
    return {
        path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(),
                                              path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def digests(folder: Path) -> dict[str, str]:
    return {name: digest for name, (digest, _) in snapshot(folder).items()}


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """A project copy with one good `invoke build` behind it."""
    project = copy_project(tmp_path_factory.mktemp("project") / "site")
    result = invoke(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_build_writes_pretty_urls_without_dates(built_project):
    output = built_project / "output"
    assert (output / "index.html").is_file()
    assert (output / "first-article" / "index.html").is_file()
    assert (output / "404.html").is_file()
    assert not list(output.glob("20[0-9][0-9]*")), "no dates in URLs"
    assert "The first&nbsp;article" in (output / "index.html").read_text(encoding="utf-8")
    assert not list(built_project.glob(".output-staging-*")), "staging folders are removed"


# Pagefind 1.5 writes each filter's values in the order of a hash map, which differs from
# run to run (upstream Pagefind/pagefind#638: fragments and word indexes are stable, these
# are not). That changes the filter files' bytes, so their names, so the metadata file
# that lists them and the entry file that names it; not what they hold nor their length.
UNORDERED = re.compile(r"^pagefind/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|"
                       r"pagefind-entry\.json)$")


def reproducible_parts(folder: Path) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """Every file's digest, but for the files above: their folder and length."""
    exact, unordered = {}, []
    for name, digest in digests(folder).items():
        if UNORDERED.match(name):
            data = (folder / name).read_bytes()
            length = len(data if name.endswith(".json") else gzip.decompress(data))
            unordered.append((name.rsplit("/", 1)[0], length))
        else:
            exact[name] = digest
    return exact, sorted(unordered)


def test_two_builds_are_byte_identical(built_project, tmp_path):
    first = reproducible_parts(built_project / "output")
    assert any(name.startswith("pagefind/fragment/") for name in first[0])
    assert len(first[1]) >= 3  # the entry, the metadata, at least one filter
    second_project = copy_project(tmp_path / "again")
    assert invoke(second_project, "build").returncode == 0
    assert reproducible_parts(second_project / "output") == first


@pytest.mark.parametrize("command", ["build", "check", "publish", "pelican"])
def test_broken_content_fails_every_command_and_output_is_untouched(built_project, command):
    before = snapshot(built_project / "output")
    broken = built_project / "content" / "articles" / "broken.md"
    broken.write_text(BROKEN, encoding="utf-8")
    try:
        if command == "pelican":
            result = subprocess.run(
                [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py"],
                cwd=built_project, capture_output=True, text=True, timeout=300, check=False,
            )
        else:
            result = invoke(built_project, command)
    finally:
        broken.unlink()
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).splitlines()
    assert any(line.startswith("content/articles/broken.md:2:11: error: front-matter is not "
                               "valid YAML") and line.endswith("[sources.bad-yaml]")
               for line in lines), lines
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(built_project / "output") == before
    assert not list(built_project.glob(".output-staging-*"))


def test_build_indexes_the_site_for_search(built_project):
    bundle = built_project / "output" / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert list(bundle.glob("wasm.*.pagefind"))
    assert list((bundle / "fragment").glob("*.pf_fragment"))
    # Only what theme/js/search.js loads: no ready-made search UI, no worker script.
    assert not list(bundle.glob("pagefind-*ui*")) + list(bundle.glob("pagefind-worker.js"))


def test_a_failed_search_index_fails_the_build_and_output_is_untouched(built_project):
    """Pagefind reads pagefind.yml from the project folder; a broken one makes it fail."""
    before = snapshot(built_project / "output")
    config = built_project / "pagefind.yml"
    config.write_text("exclude_selectors: [unclosed\n", encoding="utf-8")
    try:
        result = invoke(built_project, "build")
    finally:
        config.unlink()
    assert result.returncode == 1
    assert "Error loading Pagefind config" in result.stdout + result.stderr
    assert "Search indexing (Pagefind) failed: output/ was left exactly as it was." in \
        result.stderr
    assert snapshot(built_project / "output") == before
    assert not list(built_project.glob(".output-staging-*"))


def test_a_build_removes_the_staging_folders_of_killed_builds(built_project):
    """A killed build leaves its .output-staging-<pid>-* folder; the next build removes
    it (and an older, pid-less one), but not the folder of a build still running."""
    dead = subprocess.Popen(["true"])  # a pid whose process is gone
    dead.wait()
    killed = built_project / f".output-staging-{dead.pid}-abc"
    legacy = built_project / ".output-staging-xyz"
    running = built_project / f".output-staging-{os.getpid()}-def"
    for folder in (killed, legacy, running):
        (folder / "index.html").parent.mkdir()
        (folder / "index.html").write_text("partial", encoding="utf-8")
    try:
        result = invoke(built_project, "build")
        assert result.returncode == 0, result.stdout + result.stderr
        assert not killed.exists()
        assert not legacy.exists()
        assert running.exists()
    finally:
        shutil.rmtree(running, ignore_errors=True)


def test_plain_pelican_does_not_index(built_project, tmp_path):
    """As the README says: only invoke build and publish run Pagefind."""
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o",
         str(tmp_path / "plain")], cwd=built_project, capture_output=True, text=True,
        timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "plain" / "search" / "index.html").is_file()
    assert not (tmp_path / "plain" / "pagefind").exists()


def test_check_passes_on_good_content_and_writes_nothing(tmp_path):
    project = copy_project(tmp_path / "site")
    result = invoke(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content check passed" in result.stderr
    assert not (project / "output").exists()


def test_new_scaffolds_an_article_that_passes_the_checks(tmp_path):
    project = copy_project(tmp_path / "site")
    result = invoke(project, "new", "LDN and sleep: what we know")
    assert result.returncode == 0, result.stderr
    article = project / "content" / "articles" / "ldn-and-sleep-what-we-know.md"
    text = article.read_text(encoding="utf-8")
    for field in ("title:", "slug:", "summary:", "audience:", "conditions:", "citations:",
                  "reviewed_by:", "last_reviewed:", "next_review:"):
        assert f"\n{field}" in text
    assert 'title: "LDN and sleep: what we know"' in text
    check = invoke(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    again = invoke(project, "new", "LDN and sleep: what we know")
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_clean_removes_output_and_leftover_staging(tmp_path):
    project = copy_project(tmp_path / "site")
    (project / "output").mkdir()
    (project / ".output-staging-abc").mkdir()
    (project / "cache" / "citations").mkdir(parents=True)
    assert invoke(project, "clean").returncode == 0
    assert not (project / "output").exists()
    assert not (project / "cache").exists()
    assert not (project / ".output-staging-abc").exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("task", ["serve", "livereload"])
def test_preview_servers_listen_on_loopback(built_project, task):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", task], cwd=built_project,
        env={**os.environ, "PORT": str(port), "PYTHONPATH": str(built_project)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{port}/first-article/")
        assert "The first&nbsp;article" in page
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)


def test_livereload_rebuilds_on_change(tmp_path):
    project = copy_project(tmp_path / "site")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload"], cwd=project,
        env={**os.environ, "PORT": str(port), "PYTHONPATH": str(project)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/first-article/"
        assert "Some text" in wait_for(url)
        article = project / "content" / "articles" / "first-article.md"
        article.write_text(article.read_text(encoding="utf-8").replace(
            "Some text", "Edited text"), encoding="utf-8")
        deadline = time.monotonic() + 30
        while "Edited text" not in wait_for(url):
            assert time.monotonic() < deadline, "livereload did not rebuild"
            time.sleep(0.3)
        # The search index comes after the pages are served, and is then served too.
        assert "pagefind" in wait_for(f"http://127.0.0.1:{port}/pagefind/pagefind.js", 60)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)
