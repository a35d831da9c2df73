"""The README's promises, kept by running them: its two quickstart commands, as written, in a
copy of the project, and every task it names."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The committed project in a fresh folder, with a virtual environment of its own on
    PATH (the installed packages visible, so pip has nothing to download)."""
    copy = tmp_path_factory.mktemp("quickstart") / "project"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    if (ROOT / "node_modules").is_dir():  # else `invoke test` runs npm ci itself
        (copy / "node_modules").symlink_to(ROOT / "node_modules")
    # Without ensurepip's copy of pip (4 s of CPU): the venv's `pip` runs the installed pip
    # in the venv's interpreter, so it installs into the venv as the copied one would.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    ".venv"], cwd=copy, check=True, timeout=120)
    python = copy / ".venv" / "bin" / "python"
    pip = copy / ".venv" / "bin" / "pip"
    pip.write_text(f"#!{python}\nimport sys\nfrom pip._internal.cli.main import main\n"
                   "sys.exit(main())\n", encoding="utf-8")
    pip.chmod(0o755)
    env = {**os.environ, "PATH": f"{copy / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "VIRTUAL_ENV": str(copy / ".venv")}
    env.pop("PYTHONPATH", None)
    return copy, env


def test_the_quickstart_is_two_commands():
    assert len(quickstart_commands()) == 2


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http to us
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_first_command_sets_up_builds_and_serves_the_site(project):
    copy, env = project
    port = free_port()
    server = subprocess.Popen(["bash", "-c", quickstart_commands()[0]], cwd=copy,
                              env={**env, "PORT": str(port)}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, home = get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"nothing served on port {port}:\n{server.communicate()[0][-3000:]}")
        assert status == 200
        assert "<title>" in home
        status, article = get(f"http://127.0.0.1:{port}/ldn-fibromyalgia/")
        assert status == 200
        assert 'id="ref-' in article  # built with the citations
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_the_second_command_sets_up_and_runs_the_tests(project):
    copy, env = project
    # The suite itself would run here again: one small test file stands in for it.
    env = {**env, "PYTEST_ADDOPTS": "-n 0 -p no:cacheprovider tests/test_diagnostics.py"}
    done = subprocess.run(["bash", "-c", quickstart_commands()[1]], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"\d+ passed", done.stdout)


def listed_tasks() -> dict[str, str]:
    done = subprocess.run([sys.executable, "-m", "invoke", "--list"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    rows = re.findall(r"^  ([a-z]+)(?:\s{2,}(.*))?$", done.stdout, re.MULTILINE)
    return dict(rows)


def test_every_task_the_readme_names_exists_and_has_a_docstring():
    tasks = listed_tasks()
    named = set(re.findall(r"`invoke ([a-z]+)", README))
    assert named, "the README names its tasks"
    assert named <= set(tasks)
    for name, doc in tasks.items():
        assert doc, f"task {name} has no one-line docstring"
