"""The front-matter schema: unknown keys and wrong types, all reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site
from plugins.frontmatter.schema import FIELDS, validate
from plugins.sources.document import parse_front_matter

ROOT = Path(__file__).resolve().parent.parent


def findings(header: str) -> list[tuple[int, int, str, str, str | None]]:
    return [(f.line, f.col, f.code, f.message, f.hint)
            for f in validate(parse_front_matter(header, first_line=2))]


def test_valid_front_matter_has_no_findings() -> None:
    assert findings(
        "title: T\nslug: t\nsummary: S\naudience: both\nconditions: [fibro]\n"
        "citations: [a2020]\nreviewed_by: pharmacist\nlast_reviewed: 2026-11-01\n"
        "next_review: '2027-05-01'\norder: 2\nstatus: hidden\nmedical: true\n"
        "template: home\nsave_as: index.html\nurl: ''\ndate: 2026-11-01\nmodified: 2026-11-02\n"
    ) == []


def test_unknown_key_suggests_the_field_it_was_meant_to_be() -> None:
    assert findings("title: T\ncondtions: [fibromyalgia]\n") == [
        (3, 1, "frontmatter.unknown-field", "unknown front-matter field 'condtions'",
         "did you mean 'conditions'?"),
    ]


def test_unknown_key_with_nothing_close_points_to_the_guide() -> None:
    assert findings("title: T\nzzz: 1\n")[0][4] == "the fields are listed in docs/front-matter.md"


def test_a_single_condition_must_be_written_as_a_list() -> None:
    assert findings("title: T\nconditions: fibromyalgia\n") == [
        (3, 13, "frontmatter.bad-type", "'conditions' must be a list, not a single word",
         "write it in brackets: conditions: [fibromyalgia]"),
    ]


@pytest.mark.parametrize(("line", "expected"), [
    ("status: live", ("frontmatter.bad-value",
                      "'status' must be one of 'published', 'draft', 'hidden', not 'live'")),
    ("audience: prescriber", ("frontmatter.bad-value", "'audience' must be one of "
                              "'patients', 'prescribers', 'both', not 'prescriber'")),
    ("order: 1.5", ("frontmatter.bad-type", "'order' must be a whole number, not 1.5")),
    ("medical: yes please", ("frontmatter.bad-type",
                             "'medical' must be true or false, not 'yes please'")),
    ("summary: [a, b]", ("frontmatter.bad-type", "'summary' must be text, not ['a', 'b']")),
    ("last_reviewed: 1 May 2026", ("review.bad-date",
                                   "'last_reviewed' is not a date: '1 May 2026'")),
    ("date: soon", ("frontmatter.bad-type", "'date' is not a date: 'soon'")),
])
def test_wrong_types_and_values(line: str, expected: tuple[str, str]) -> None:
    (found,) = findings(f"title: T\n{line}\n")
    assert (found[2], found[3]) == expected


def test_empty_field_counts_as_absent() -> None:
    assert findings("title: T\nconditions:\nsummary:\n") == []


def test_every_field_is_documented_for_editors() -> None:
    guide = (ROOT / "docs" / "front-matter.md").read_text(encoding="utf-8")
    missing = [name for name in FIELDS if f"`{name}`" not in guide]
    assert missing == []


def test_error_codes_are_documented_for_editors() -> None:
    guide = (ROOT / "docs" / "front-matter.md").read_text(encoding="utf-8")
    codes = ["frontmatter.unknown-field", "frontmatter.bad-type", "frontmatter.bad-value",
             "conditions.unknown", "conditions.duplicate", "conditions.duplicate-slug",
             "conditions.duplicate-synonym", "conditions.duplicate-group",
             "conditions.unknown-group", "conditions.missing-field", "conditions.unknown-field",
             "conditions.bad-field", "conditions.bad-registry", "conditions.bad-yaml",
             "review.missing", "review.bad-date", "review.overdue", "review.unknown-reviewer",
             "review.bad-setting"]
    assert [code for code in codes if f"`{code}`" not in guide] == []


EXPECTED = [
    "content/articles/fields.md:5:11: error: 'audience' must be one of 'patients', "
    "'prescribers', 'both', not 'patient'; did you mean 'patients'? [frontmatter.bad-value]",
    "content/articles/fields.md:6:1: error: unknown front-matter field 'condtions'; "
    "did you mean 'conditions'? [frontmatter.unknown-field]",
    "content/articles/fields.md:7:13: error: 'conditions' must be a list, not a single word; "
    "write it in brackets: conditions: [fibromyalgia] [frontmatter.bad-type]",
    "content/articles/fields.md:8:13: error: item 1 of 'citations' must be a word, not 2014; "
    "put quotes around it if it is meant as text [frontmatter.bad-type]",
    "content/articles/fields.md:9:8: error: 'order' must be a whole number, not 'first'; "
    "for example order: 1 [frontmatter.bad-type]",
    "content/articles/fields.md:13:1: error: unknown front-matter field 'Medical'; "
    "did you mean 'medical'? [frontmatter.unknown-field]",
]


@pytest.mark.parametrize("command", ["pelican", "check"])
def test_every_mistake_in_a_file_is_reported_in_one_run(tmp_path: Path, command: str) -> None:
    result = build_site(tmp_path, "frontmatter-errors", command=command,
                        REVIEW_TODAY="2026-11-25")
    assert result.returncode == 1
    assert result.diagnostics == EXPECTED
    assert not (tmp_path / "output" / "fields").exists()
