"""The Nu HTML checker (npm vnu-jar, system Java) finds no error on the whole built site."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT
from site_under_test import built_site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(*targets: str) -> subprocess.CompletedProcess[str]:
    java = shutil.which("java")
    assert java, "Java is missing: run `invoke setup`"
    assert VNU.is_file(), "node_modules/vnu-jar is missing: run `invoke setup` (npm ci)"
    return subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html", *targets],
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def site():
    return built_site()


def test_the_whole_built_site_has_no_html_errors(site):
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) >= 5
    done = run_vnu(str(site.output))
    assert done.returncode == 0, done.stderr.replace(str(site.output), "output")
    assert done.stderr.strip() == ""


def test_the_validator_reports_an_error_it_should(tmp_path):
    """The check above can fail: a page with a stray end tag is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><head><title>x</title></head>'
                   "<body><p>text</div></body></html>", encoding="utf-8")
    done = run_vnu(str(bad))
    assert done.returncode != 0
    assert "error:" in done.stderr
