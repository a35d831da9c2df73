"""CI as code: both workflows pass two real linters, and their structure keeps the promises
of issue 7 (checks before deploy, minimal permissions, the README's commands, .ci/run)."""

from __future__ import annotations

import ast
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
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHA_PIN = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?P<rest>.*)$")


def load(name: str) -> dict:
    # PyYAML reads the key `on:` as True (YAML 1.1); give it back its name.
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: dict, job: str) -> list[str]:
    return [step["run"].strip() for step in steps(workflow, job) if "run" in step]


def uses(workflow: dict, job: str, action: str) -> list[dict]:
    return [step for step in steps(workflow, job)
            if step.get("uses", "").split("@")[0] == action]


def readme_test_command() -> str:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", quickstart, re.DOTALL)[1].strip()


def task_source(name: str) -> str:
    source = (ROOT / "tasks.py").read_text(encoding="utf-8")
    (function,) = [node for node in ast.parse(source).body
                   if isinstance(node, ast.FunctionDef) and node.name == name]
    return ast.get_source_segment(source, function)


def ci_run_steps() -> list[str]:
    done = subprocess.run(["bash", str(CI_RUN), "--list"], capture_output=True, text=True,
                          check=True, timeout=30)
    return done.stdout.split()


def step_body(name: str) -> str:
    """The shell code of `step_<name>() { ... }` in .ci/run."""
    script = CI_RUN.read_text(encoding="utf-8")
    match = re.search(rf"^step_{name}\(\) {{(.*?)^}}", script, re.MULTILINE | re.DOTALL)
    assert match, f".ci/run has no step_{name}"
    return match.group(1)


# --- Two real linters ---------------------------------------------------------------


def test_there_are_exactly_the_two_workflows():
    assert [path.name for path in WORKFLOW_FILES] == ["ci.yml", "deploy.yml"]


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


# --- Rules every workflow keeps ---------------------------------------------------------


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(workflow):
    lines = [line for line in workflow.read_text(encoding="utf-8").splitlines()
             if SHA_PIN.match(line)]
    assert lines
    for line in lines:
        pin = SHA_PIN.match(line)
        assert re.fullmatch(r"[0-9a-f]{40}", pin["ref"]), line
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", pin["rest"]), line


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda path: path.name)
def test_no_expression_is_pasted_into_a_shell_script(workflow):
    """Template injection: values reach `run:` only through env variables."""
    data = load(workflow.name)
    for name, job in data["jobs"].items():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), (name, step)


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda path: path.name)
def test_checkouts_do_not_keep_the_token(workflow):
    data = load(workflow.name)
    checkouts = [step for job in data["jobs"] if "steps" in data["jobs"][job]
                 for step in uses(data, job, "actions/checkout")]
    assert checkouts
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda path: path.name)
def test_permissions_are_granted_per_job_and_minimal(workflow):
    data = load(workflow.name)
    assert data["permissions"] == {}, "nothing granted workflow-wide"
    allowed = {"contents": "read", "pages": "write", "id-token": "write"}
    for name, job in data["jobs"].items():
        granted = job["permissions"]
        assert granted, name
        assert granted.items() <= allowed.items(), name


# --- ci.yml -------------------------------------------------------------------------


def test_ci_runs_on_pushes_and_pull_requests_and_can_be_reused():
    assert set(load("ci.yml")["on"]) == {"push", "pull_request", "workflow_call"}


def test_ci_sets_up_python_311_with_pip_cache_then_installs_the_project():
    ci = load("ci.yml")
    (python,) = uses(ci, "checks", "actions/setup-python")
    assert python["with"]["python-version"] == "3.11"
    assert python["with"]["cache"] == "pip"
    assert runs(ci, "checks")[:2] == [".ci/run system", ".ci/run python"]
    assert "chromium" in step_body("system")
    assert 'pip install -q -e ".[dev]"' in step_body("python")


def test_ci_runs_the_same_checks_as_ci_run_in_the_same_order():
    ci_steps = [command.removeprefix(".ci/run ") for command in runs(load("ci.yml"), "checks")]
    assert ci_steps[2:] == ci_run_steps()
    assert ci_run_steps() == ["ruff", "content", "tests", "publish", "links"]


@pytest.mark.parametrize(("step", "command"), [
    ("ruff", "ruff check ."),
    ("content", "invoke check"),
    ("tests", readme_test_command()),
    ("publish", "invoke publish"),
    ("links", "linkchecker_as_me --config .ci/linkcheckerrc --no-status"),
])
def test_each_ci_step_runs_the_documented_command(step, command):
    assert command in step_body(step)


def test_the_test_step_is_the_readmes_test_command():
    assert readme_test_command() == 'pip install -e ".[dev]" && invoke test'
    code = [line.strip() for line in step_body("tests").splitlines()
            if line.strip() and not line.strip().startswith("#")]
    assert code == [readme_test_command()]


def test_ci_uploads_the_built_site_for_pull_requests_only():
    ci = load("ci.yml")
    (upload,) = uses(ci, "checks", "actions/upload-artifact")
    assert upload["if"] == "github.event_name == 'pull_request'"
    assert upload["with"]["path"] == "output/"
    assert steps(ci, "checks")[-1] is upload, "uploaded only after every check passed"


def test_ci_fits_the_time_limit():
    assert load("ci.yml")["jobs"]["checks"]["timeout-minutes"] <= 90


# --- deploy.yml -----------------------------------------------------------------------


def needs(job: dict) -> set[str]:
    value = job.get("needs", [])
    return {value} if isinstance(value, str) else set(value)


def upstream(jobs: dict, name: str) -> set[str]:
    found = set()
    for parent in needs(jobs[name]):
        found |= {parent, *upstream(jobs, parent)}
    return found


def test_deploy_runs_on_pushes_to_main_and_by_hand():
    on = load("deploy.yml")["on"]
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on
    assert set(on) == {"push", "workflow_dispatch"}


def test_deploy_depends_on_the_ci_checks():
    jobs = load("deploy.yml")["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/ci.yml"
    assert upstream(jobs, "deploy") == {"checks", "build"}
    assert upstream(jobs, "build") == {"checks"}


def test_deploy_permissions_are_the_three_it_needs():
    jobs = load("deploy.yml")["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_two_deploys_never_race():
    concurrency = load("deploy.yml")["concurrency"]
    assert concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_deploy_builds_with_publishconf_and_ships_that_build():
    deploy = load("deploy.yml")
    commands = runs(deploy, "build")
    assert 'pip install -e ".[dev]"' in commands
    assert commands[-1] == "invoke publish"
    assert '"publishconf.py"' in task_source("publish")
    assert set(deploy["jobs"]["build"]["env"]) == {"SITEURL", "SITE_CNAME"}
    (artifact,) = uses(deploy, "build", "actions/upload-pages-artifact")
    assert steps(deploy, "build")[-1] is artifact
    assert artifact["with"]["path"] == "output/"
    (pages,) = uses(deploy, "deploy", "actions/deploy-pages")
    assert deploy["jobs"]["deploy"]["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert pages["id"] == "deployment"


def test_production_is_not_built_from_a_cache():
    (python,) = uses(load("deploy.yml"), "build", "actions/setup-python")
    assert "cache" not in python["with"]


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
    (output / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n',
        encoding="utf-8")
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
