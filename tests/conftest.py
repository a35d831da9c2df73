"""Shared test helpers: build a real site from a fixture folder into tmp_path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The site under test and its browser fixtures (base_url, browser), shared by the theme's tests.
pytest_plugins = ["site_under_test"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DIAGNOSTIC = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): "
    r"(?P<message>.*) \[(?P<code>[a-z0-9_.-]+)\]$"
)


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    root: Path
    output: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def diagnostics(self) -> list[str]:
        """Every `path:line:col: severity: message [code]` line the build printed."""
        lines = (self.stdout + "\n" + self.stderr).splitlines()
        return [line for line in lines if DIAGNOSTIC.match(line)]

    def html(self, url: str = "") -> str:
        """The HTML written for a site URL such as '' or 'ldn-fibromyalgia/'."""
        path = self.output / url
        if url == "" or url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def write_content(content_dir: Path, content: str | dict[str, str | bytes] | None) -> None:
    """Copy a fixture folder, or write {relative path: text} files, into content_dir."""
    if isinstance(content, str):
        shutil.copytree(FIXTURES / content, content_dir)
        return
    content_dir.mkdir(parents=True, exist_ok=True)
    for relative, text in (content or {}).items():
        target = content_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")


def run_build(root: Path, *, command: str = "pelican", settings_file: str = "pelicanconf.py",
              output: Path | None = None, **settings: object) -> BuildResult:
    """Run `pelican content` (command="pelican"), the content check (command="check") or
    the editorial report (command="report", HTML into root/reports/) on root/content, in
    a subprocess exactly as an editor or CI would."""
    output = output or root / "output"
    # The build cache goes with the test's site, never into the repository's cache/.
    overrides = {"PROJECT_ROOT": str(root), "CACHE_PATH": str(root / "cache"), **settings}
    extra = [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    if command == "pelican":
        argv = [sys.executable, "-m", "pelican", str(root / "content"),
                "-s", str(ROOT / settings_file), "-o", str(output), "-e", *extra]
    elif command in ("check", "report"):
        module = "plugins.diagnostics.check" if command == "check" else "plugins.editorial.report"
        html = ["--html", str(root / "reports" / "editorial.html")] if command == "report" else []
        argv = [sys.executable, "-m", module, str(root / "content"),
                "-s", str(ROOT / settings_file), *html, "-e", *extra]
    else:
        raise ValueError(command)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    done = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    return BuildResult(done.returncode, done.stdout, done.stderr, root, output)


def build_site(tmp_path: Path, content: str | dict[str, str | bytes] | None = "basic",
               overlay: str | None = None, **settings: object) -> BuildResult:
    """Build a real mini-site from tests/fixtures/<content> (or a dict of files) in tmp_path;
    ``overlay`` names a fixture folder laid over it, e.g. "launch-ready" (every fact a
    launch needs, so the site is not a preview)."""
    write_content(tmp_path / "content", content)
    if overlay:
        shutil.copytree(FIXTURES / overlay, tmp_path / "content", dirs_exist_ok=True)
    return run_build(tmp_path, **settings)


@pytest.fixture
def site(tmp_path: Path):
    """``site(content=..., **settings)`` builds into this test's tmp_path."""

    def _build(content: str | dict[str, str | bytes] | None = "basic", **settings: object):
        return build_site(tmp_path, content, **settings)

    return _build
