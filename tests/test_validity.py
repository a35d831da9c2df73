"""The Nu HTML checker (npm vnu-jar, system Java) finds no error on the whole built site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, BuildResult, build_once, shared_build
from site_under_test import built_site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A page with a stray end tag: the validator must report it.
BAD_PAGE = ('<!doctype html><html lang="en"><head><title>x</title></head>'
            "<body><p>text</div></body></html>")


def run_vnu(*targets: str) -> subprocess.CompletedProcess[str]:
    java = shutil.which("java")
    assert java, "Java is missing: run `invoke setup`"
    assert VNU.is_file(), "node_modules/vnu-jar is missing: run `invoke setup` (npm ci)"
    return subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html", *targets],
                          capture_output=True, text=True, timeout=300, check=False)


def validated() -> dict[str, Path]:
    """Every page or folder that the tests validate, by name: the site under test, the
    hostile-text fixture's page (test_escaping) and BAD_PAGE. One run of the validator
    checks them all (see validate)."""
    return {"site": built_site().output,
            "hostile": shared_build("hostile-text").output / "hostile" / "index.html",
            "bad": _validation().root / "bad.html"}


def _validation() -> BuildResult:
    """One run of the validator over everything validated() names, once per test run (a
    Java start is about 2 s of CPU, more than checking a page)."""
    def make(root: Path) -> BuildResult:
        (root / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
        targets = [built_site().output,
                   shared_build("hostile-text").output / "hostile" / "index.html",
                   root / "bad.html"]
        done = run_vnu(*map(str, targets))
        return BuildResult(done.returncode, done.stdout, done.stderr, root, root)
    return build_once("nu-validator", make)


def validate(name: str) -> subprocess.CompletedProcess[str]:
    """The validator's answer for validated()[name], as a run on it alone gives it: its own
    messages (each names its file: '"file:/path":line.col-line.col: error: ...'), any
    message that names no file of the run (in every answer), and an exit status of 1 when
    there is any (or when the run failed without a message)."""
    run, targets = _validation(), validated()
    prefixes = {key: f'"file:{path}' + ("/" if path.is_dir() else '"')
                for key, path in targets.items()}
    lines = run.stderr.splitlines()
    stray = [line for line in lines if not line.startswith(tuple(prefixes.values()))]
    own = [line for line in lines if line.startswith(prefixes[name])]
    stderr = "".join(f"{line}\n" for line in own + stray)
    returncode = run.returncode if stderr or not lines else 0
    return subprocess.CompletedProcess(["vnu", str(targets[name])], returncode, run.stdout,
                                       stderr)


@pytest.fixture(scope="module")
def site():
    return built_site()


def test_the_whole_built_site_has_no_html_errors(site):
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) >= 5
    done = validate("site")
    assert done.returncode == 0, done.stderr.replace(str(site.output), "output")
    assert done.stderr.strip() == ""


def test_the_validator_reports_an_error_it_should():
    """The check above can fail: a page with a stray end tag is reported, in the same run
    of the validator as the site's pages."""
    bad = validated()["bad"]
    assert bad.read_text(encoding="utf-8") == BAD_PAGE
    done = validate("bad")
    assert done.returncode != 0
    assert "error:" in done.stderr
