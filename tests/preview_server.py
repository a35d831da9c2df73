"""The editor's preview (`python -m plugins.preview`, what `invoke livereload` runs) started
for real on a copy of a fixture site, on a free loopback port, for the preview's tests."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import FIXTURES, ROOT

# The rich theme fixture, with study records (theme-site-known's) so that a study edit
# has something to change.
INJECTED_PREFIX = '<link rel="stylesheet" href="/__preview__/preview.css">'


def preview_fixture(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURES / "theme-site", content)
    shutil.copy(FIXTURES / "theme-site-known" / "studies.yaml", content / "studies.yaml")
    return content


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Preview:
    root: Path
    base: str
    process: subprocess.Popen[str]
    log: Path

    def state(self, path: str = "/") -> dict[str, Any]:
        url = f"{self.base}/__preview__/state?path={path}"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return json.load(response)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:  # noqa: S310
            return response.read().decode()

    def wait(self, ready: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict:
        """The state once ``ready`` says so; fails with the server's log after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.state()
            if ready(state):
                return state
            time.sleep(0.05)
        raise AssertionError(f"the preview did not get there:\n{self.log.read_text()}")

    def settle(self, after: int, quiet: float = 0.8) -> dict[str, Any]:
        """The state once a build after generation ``after`` ran and no other ran or
        started for ``quiet`` seconds (an editor's save may reach the watcher in two
        parts, the second while the first is being built)."""
        state = self.wait(lambda s: s["generation"] > after and not s["building"])
        while True:
            time.sleep(quiet)
            again = self.wait(lambda s: not s["building"])
            if again["generation"] == state["generation"]:
                return again
            state = again


@contextmanager
def running_preview(root: Path) -> Iterator[Preview]:
    port = free_port()
    log = root / "preview.log"
    overrides = {"PROJECT_ROOT": str(root), "CACHE_PATH": str(root / "cache")}
    argv = [sys.executable, "-m", "plugins.preview", str(root / "content"),
            "-s", str(ROOT / "pelicanconf.py"), "--port", str(port),
            "-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as sink:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=sink, stderr=sink,
                                   text=True)
    preview = Preview(root, f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                preview.wait(lambda s: s["generation"] >= 1, timeout=1)
                break
            except (OSError, AssertionError) as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"the preview did not start:\n{log.read_text()}") from error
        yield preview
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
