"""Readability and `invoke report`, against numbers worked out by hand."""

from __future__ import annotations

import re

import pytest

from conftest import build_site, shared_build, soup
from plugins.editorial.readability import measure, prose


@pytest.fixture(scope="module")
def reported():
    return shared_build("editorial-report", command="report")


def rows(stdout: str) -> dict[str, list[str]]:
    found = {}
    for line in stdout.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0].startswith("content/"):
            found[cells[0]] = cells[1:]
    return found


def test_the_report_numbers_match_a_hand_count(reported):
    # measured.md's read text is "The cat sat on the mat. The dog ran in the sun.": the
    # callout title "In short:", the citation, the table, the code block and the
    # reference list are left out. 12 words, 2 sentences, 12 syllables: Flesch-Kincaid
    # 0.39 * 12/2 + 11.8 * 12/12 - 15.59 = -1.45 (textstat rounds the float -1.4499... to
    # -1.4); 12 words at 200 a minute, rounded up: 1 minute. One citation (the in-text
    # one, also listed in citations:). Unknown facts: the fixture's four PLACEHOLDER
    # contact facts and its reviewer's role.
    assert reported.returncode == 0, reported.stderr
    assert rows(reported.stdout)["content/articles/measured.md"] == [
        "patients", "-1.4", "12", "1", "1", "-", "2026-11-01", "2027-05-01", "0", "5"]
    assert rows(reported.stdout)["content/articles/hard.md"][:3] == ["patients", "35.4 !", "22"]
    assert reported.stdout.splitlines()[0] == (
        "2 pages; 1 for patients above grade 8; 0 overdue for review; 0 claims lint hits")


def test_a_patient_page_above_the_grade_is_a_warning(reported):
    assert reported.diagnostics == [
        "content/articles/hard.md:4:11: warning: reading grade 35.4 is above 8, the most for "
        "a page for patients; use shorter sentences and everyday words; put technical detail "
        "on a page for prescribers [readability.grade]"]


def test_the_html_report_is_written_outside_output(reported):
    page = reported.root / "reports" / "editorial.html"
    doc = soup(page)
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in doc.select("tbody tr")]
    assert ["content/articles/measured.md", "patients", "-1.4", "12", "1", "1", "-",
            "2026-11-01", "2027-05-01", "0", "5"] in cells
    assert not reported.output.exists()


def test_the_grade_limit_is_a_setting(tmp_path):
    result = build_site(tmp_path, "editorial-report", command="check",
                        READABILITY_MAX_GRADE=40)
    assert result.returncode == 0
    assert result.diagnostics == []


def test_measured_text_leaves_out_what_is_not_read():
    body = ("**In short:** Two words.\n\n| a | table |\n|---|---|\n\n`code` and [a link](/x/) "
            "[@key]\n\n## Further reading\n\n- Not read.\n")
    assert prose(body) == "Two words.\nand a link."
    assert measure(body).words == 5
