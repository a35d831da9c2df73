"""Under GitHub Actions every diagnostic is also a workflow command, shown at its line."""

from __future__ import annotations

from conftest import build_site
from plugins.diagnostics import Finding, Severity

PAGE = "file=content/articles/broken.md"
EXPECTED = [
    f"::error {PAGE},line=5,col=14,title=conditions.unknown::unknown condition '50%25fibro'; "
    "there is no conditions registry: add conditions.yaml to the content folder",
    f"::error {PAGE},line=6,col=1,title=frontmatter.unknown-field::unknown front-matter field "
    "'bad%0Afield'; the fields are listed in docs/front-matter.md",
    f"::error {PAGE},line=11,col=25,title=citations.unknown-key::unknown citation key "
    "'younger2031'; did you mean 'younger2013'?",
    f"::error {PAGE},line=13,col=8,title=claims.fda-approved::LDN and compounded medicines are "
    "not FDA-approved; saying so is the claim FDA warning letters to compounders cite; write "
    "that it is not FDA-approved for this use, or name the approved product (naltrexone 50 mg "
    "tablets) and its approved use",
    f"::warning {PAGE},line=15,col=10,title=claims.uncited-result::this sentence reports a "
    "result, but neither it nor the next sentence cites a source; add the study's citation, "
    "[@key], to this sentence",
]


def workflow_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("::")]


def test_a_broken_page_prints_the_exact_workflow_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = build_site(tmp_path, "github-annotations")
    assert result.returncode == 1
    assert workflow_lines(result.stdout) == EXPECTED
    assert len(result.diagnostics) == len(EXPECTED)  # the plain lines are still printed


def test_no_workflow_commands_outside_github(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = build_site(tmp_path, "github-annotations", command="check")
    assert result.returncode == 1
    assert workflow_lines(result.stdout + result.stderr) == []


def test_percent_cr_lf_and_property_separators_are_escaped():
    diagnostic = Finding("content/a,b:c.md", 3, 4, "claims.proven", "50% of\r\nthem",
                            Severity.WARNING, "fix, then: rebuild")
    assert diagnostic.workflow_command() == (
        "::warning file=content/a%2Cb%3Ac.md,line=3,col=4,title=claims.proven::"
        "50%25 of%0D%0Athem; fix, then: rebuild")
