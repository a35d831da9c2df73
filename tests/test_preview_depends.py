"""What a cached page depends on of the bibliography and the study records
(plugins/preview/depends.py): which records a page's dependencies name, and that each
kind's digest changes exactly when its record does, from a real build's loaded data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pelican.settings import read_settings

from conftest import FIXTURES, ROOT
from plugins.citations.check import Use
from plugins.citations.render import ReferenceList
from plugins.citations.stage import PageUses
from plugins.diagnostics import Build
from plugins.pipeline.page import Page
from plugins.preview.depends import WHOLE, Dependencies, dependencies, precise_files

EVIDENCE = ("registry", "")
PER_KEY = ("entry", "formatted", "study", "flag")


def site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "theme-site", content)
    shutil.copy(FIXTURES / "theme-site-known" / "studies.yaml", content / "studies.yaml")
    return content


def build_of(content: Path) -> Build:
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "PROJECT_ROOT": str(content.parent),
        "CACHE_PATH": str(content.parent / "cache")})
    return Build.new(settings)


def record(uses: PageUses | None = None) -> Page:
    return Page("/site/content/articles/a.md", None, {}, uses=uses)


def test_a_page_depends_on_each_work_it_cites_found_or_not_and_each_listed(tmp_path):
    build = build_of(site(tmp_path))
    uses = PageUses(("found",), (Use("unknown", Path("a.md"), 1, 1),), 2)
    metadata = {"references": ReferenceList({}, ["listed"], [1]),
                "further_reading": ReferenceList({}, ["reading"], [0], numbered=False)}
    found = dependencies(b"text", record(uses), metadata, build)
    assert found == (EVIDENCE, ("studies", ""), ("flagged", ""), *(
        (kind, key) for key in ("found", "listed", "reading", "unknown") for kind in PER_KEY))


def test_a_page_citing_nothing_depends_only_on_the_conditions_as_marked(tmp_path):
    assert dependencies(b"text", record(), {}, build_of(site(tmp_path))) == (EVIDENCE,)


def test_a_page_with_an_evidence_table_depends_on_the_files_whole(tmp_path):
    uses = PageUses(("found",), (), 1)
    found = dependencies(b"text\n!evidence designs=studies\n", record(uses), {},
                         build_of(site(tmp_path)))
    assert found == (EVIDENCE, WHOLE)


def test_without_the_evidence_and_integrity_plugins_no_record_of_theirs_counts(tmp_path):
    build = build_of(site(tmp_path))
    build.settings["PLUGINS"] = [p for p in build.settings["PLUGINS"]
                                 if p not in ("plugins.evidence", "plugins.integrity")]
    uses = PageUses(("found",), (), 1)
    assert dependencies(b"text", record(uses), {}, build) == (
        ("entry", "found"), ("formatted", "found"))


def digests(content: Path, *found: tuple[str, str]) -> tuple[bytes, ...]:
    return Dependencies(build_of(content)).all(found)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ENTRY = "Low-dose naltrexone for the treatment of fibromyalgia:"


@pytest.mark.parametrize("kind", ["entry", "formatted"])
def test_an_entrys_digests_change_with_its_entry_only(tmp_path, kind):
    content = site(tmp_path)
    before = digests(content, (kind, "younger2013"), (kind, "younger2009"))
    assert digests(content, (kind, "younger2013"), (kind, "younger2009")) == before
    edit(content / "bibliography.bib", ENTRY, "Naltrexone at low dose for fibromyalgia:")
    after = digests(content, (kind, "younger2013"), (kind, "younger2009"))
    assert after[0] != before[0]
    assert after[1] == before[1]


def test_a_key_not_in_the_bibliography_counts_when_it_appears(tmp_path):
    content = site(tmp_path)
    before = digests(content, ("entry", "newkey2020"), ("formatted", "newkey2020"))
    bib = content / "bibliography.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + (
        "\n@article{newkey2020,\n  author = {Doe, Jane},\n  title = {A new work},\n"
        "  journal = {Journal},\n  year = {2020},\n}\n"), encoding="utf-8")
    after = digests(content, ("entry", "newkey2020"), ("formatted", "newkey2020"))
    assert after[0] != before[0]
    assert after[1] != before[1]


def test_a_study_records_digest_changes_with_its_record_only(tmp_path):
    content = site(tmp_path)
    found = (("study", "younger2009"), ("study", "bested2023"), ("studies", ""))
    before = digests(content, *found)
    edit(content / "studies.yaml", "direction: favours LDN", "direction: mixed")
    after = digests(content, *found)
    assert after[0] != before[0]
    assert after[1:] == before[1:]


def test_whether_there_are_study_records_counts(tmp_path):
    content = site(tmp_path)
    before = digests(content, ("studies", ""))
    (content / "studies.yaml").write_text("{}\n", encoding="utf-8")
    assert digests(content, ("studies", "")) != before


def test_the_conditions_as_marked_count(tmp_path):
    """A condition no record shows tested is marked so (its address changes)."""
    content = site(tmp_path)
    before = digests(content, EVIDENCE)
    edit(content / "studies.yaml", "conditions: [fibromyalgia, crps]",
         "conditions: [fibromyalgia]")
    assert digests(content, EVIDENCE) != before


def test_the_files_whole_count_by_their_bytes(tmp_path):
    content = site(tmp_path)
    before = digests(content, WHOLE)
    assert [path.name for path in precise_files(build_of(content))] == [
        "bibliography.bib", "studies.yaml"]
    edit(content / "studies.yaml", "direction: favours LDN", "direction: mixed")
    middle = digests(content, WHOLE)
    edit(content / "bibliography.bib", ENTRY, "Naltrexone at low dose for fibromyalgia:")
    assert len({before, middle, digests(content, WHOLE)}) == 3


FLAGGED = """works:
  "younger2013":
    doi: "10.1002/art.37734"
    status: retracted
    checked: "2026-12-07"
    notices:
      - type: retraction
        doi: "10.5555/fixture.notice.r"
        date: "2021-05-04"
        source: "retraction-watch"
new_evidence: {}
"""


def test_a_works_integrity_flag_counts_and_whether_any_work_is_flagged(tmp_path):
    content = site(tmp_path)
    found = (("flag", "younger2013"), ("flag", "younger2009"), ("flagged", ""))
    before = digests(content, *found)
    (content / "integrity.yaml").write_text(FLAGGED, encoding="utf-8")
    after = digests(content, *found)
    assert after[0] != before[0]
    assert after[1] == before[1]
    assert after[2] != before[2]
