"""The README's promises: two quickstart commands, and every task it names exists."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL = 'pip install -e ".[dev]"'


def quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)]


def listed_tasks() -> dict[str, str]:
    done = subprocess.run([sys.executable, "-m", "invoke", "--list"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    rows = re.findall(r"^  ([a-z]+)(?:\s{2,}(.*))?$", done.stdout, re.MULTILINE)
    return dict(rows)


def test_quickstart_is_exactly_two_commands_that_set_up_first():
    commands = quickstart_commands()
    assert commands == [f"{INSTALL} && invoke build serve", f"{INSTALL} && invoke test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quickstart_commands()[1] in ci


def test_every_task_the_readme_names_exists_and_has_a_docstring():
    tasks = listed_tasks()
    named = set(re.findall(r"`invoke ([a-z]+)", README))
    assert named, "the README names its tasks"
    assert named <= set(tasks)
    for name, doc in tasks.items():
        assert doc, f"task {name} has no one-line docstring"

