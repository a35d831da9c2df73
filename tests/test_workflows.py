"""CI as code: both workflows pass two real linters (GitHub's schema and zizmor), deploy
waits for the checks, and .ci/run's steps do what CI relies on."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
CI_RUN = ROOT / ".ci" / "run"


def load(name: str) -> dict:
    # PyYAML reads the key `on:` as True (YAML 1.1); give it back its name.
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


# --- Two real linters ---------------------------------------------------------------

@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda path: path.name)
def test_workflow_matches_githubs_schema(workflow):
    done = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def zizmor(*paths: Path, cwd: Path = ROOT) -> tuple[int, list[dict]]:
    done = subprocess.run(["zizmor", "--offline", "--format", "json", *map(str, paths)],
                          cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    return done.returncode, json.loads(done.stdout or "[]")


def test_zizmor_finds_nothing_in_our_workflows():
    code, findings = zizmor(*WORKFLOW_FILES)
    assert [finding["ident"] for finding in findings] == []
    assert code == 0


def test_zizmor_policy_relaxes_only_the_documented_rule():
    policy = yaml.safe_load((ROOT / "zizmor.yml").read_text(encoding="utf-8"))
    assert policy == {"rules": {"self-repository": {"disable": True}}}


BAD_WORKFLOW = """\
name: bad
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""


def test_the_linters_do_catch_a_bad_workflow(tmp_path):
    """Proof that the two tests above can fail: the same tools flag a careless workflow."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    code, findings = zizmor(bad, cwd=tmp_path)
    assert code != 0
    assert {"template-injection", "artipacked", "excessive-permissions",
            "dangerous-triggers"} <= {finding["ident"] for finding in findings}
    bad.write_text(BAD_WORKFLOW.replace("runs-on", "run-on"), encoding="utf-8")
    done = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(bad)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1


# --- What the linters cannot know -----------------------------------------------------


def needs(job: dict) -> set[str]:
    value = job.get("needs", [])
    return {value} if isinstance(value, str) else set(value)


def upstream(jobs: dict, name: str) -> set[str]:
    found = set()
    for parent in needs(jobs[name]):
        found |= {parent, *upstream(jobs, parent)}
    return found


def test_deploy_needs_the_checks_job():
    jobs = load("deploy.yml")["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/ci.yml"
    assert "checks" in upstream(jobs, "deploy")
    assert "checks" in upstream(jobs, "build")


def test_ci_runs_every_check_of_ci_run_in_its_order():
    listed = subprocess.run(["bash", str(CI_RUN), "--list"], capture_output=True, text=True,
                            check=True, timeout=30).stdout.split()
    commands = [step["run"].strip() for step in load("ci.yml")["jobs"]["checks"]["steps"]
                if "run" in step]
    steps = [c.removeprefix(".ci/run ") for c in commands]
    assert [step for step in steps if step in listed] == listed


# --- .ci/run ----------------------------------------------------------------------------


def test_ci_run_refuses_an_unknown_step():
    done = subprocess.run(["bash", str(CI_RUN), "lint"], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 2
    assert "unknown step 'lint'" in done.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
</head><body><h1 id="top">{title}</h1>{links}</body></html>"""


@pytest.fixture
def tiny_project(tmp_path):
    """.ci/ beside an output/ of two pages that link to each other, one by anchor."""
    shutil.copytree(ROOT / ".ci", tmp_path / ".ci")
    output = tmp_path / "output"
    (output / "about").mkdir(parents=True)
    (output / "index.html").write_text(
        PAGE.format(title="Home", links='<a href="/about/#team">team</a>'), encoding="utf-8")
    (output / "404.html").write_text(PAGE.format(title="Not found", links=""), encoding="utf-8")
    # As a preview publishes it: crawlers kept out, which the link check must not obey.
    (output / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    about = PAGE.format(title="About", links='<h2 id="team">Team</h2><a href="/">home</a>')
    (output / "about" / "index.html").write_text(about, encoding="utf-8")
    return tmp_path


def run_links(project: Path, port: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "PREVIEW_PORT": str(port or free_port()),
           "HOME": str(project)}
    env["PATH"] = f"{Path(shutil.which('linkchecker')).parent}:{env['PATH']}"
    return subprocess.run(["bash", str(project / ".ci" / "run"), "links"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_link_check_passes_a_site_whose_links_and_anchors_resolve(tiny_project):
    done = run_links(tiny_project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors found" in done.stdout


def test_link_check_fails_on_a_missing_anchor_and_a_missing_page(tiny_project):
    about = tiny_project / "output" / "about" / "index.html"
    about.write_text(about.read_text(encoding="utf-8").replace('id="team"', 'id="staff"')
                     .replace('href="/"', 'href="/contact/"'), encoding="utf-8")
    done = run_links(tiny_project)
    assert done.returncode == 1
    assert "Anchor `team' (decoded: `team') not found." in done.stdout
    assert "/contact/" in done.stdout
    assert "Error: 404 File not found" in done.stdout
    assert "1 warning found. 1 error found." in done.stdout


def test_link_check_reaches_a_page_that_no_page_links_to(tiny_project):
    """A preview has no sitemap: every page on disk is a start URL."""
    (tiny_project / "output" / "orphan").mkdir()
    (tiny_project / "output" / "orphan" / "index.html").write_text(
        PAGE.format(title="Orphan", links='<a href="/gone/">gone</a>'), encoding="utf-8")
    done = run_links(tiny_project)
    assert done.returncode == 1
    assert "/gone/" in done.stdout
    assert re.search(r"Parent URL http://127.0.0.1:\d+/orphan/", done.stdout)


def test_link_check_refuses_to_check_another_programs_server(tiny_project):
    other = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        done = run_links(tiny_project, port=other.server_address[1])
    finally:
        other.shutdown()
        other.server_close()
    assert done.returncode == 1
    assert "another program answers at http://127.0.0.1:" in done.stderr
    assert "set PREVIEW_PORT to a free port" in done.stderr
    assert "LinkChecker" not in done.stdout
