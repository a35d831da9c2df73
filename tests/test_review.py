"""Review metadata: required fields, dates against a settable "today", the overdue
warning that publishing turns into an error, and what the page shows."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import yaml

from conftest import BuildResult, build_site, run_build, shared_build, soup, write_content
from plugins.diagnostics import Build, Severity
from plugins.pipeline import Page
from plugins.review.model import evaluate
from plugins.review.stage import review
from plugins.sitedata import people_of
from plugins.sources import parse_source
from plugins.sources.document import parse_front_matter

REVIEWERS = {"pharmacist": {"role": "Licensed pharmacist"}}
PEOPLE = people_of({"people": REVIEWERS})
TODAY = datetime.date(2026, 6, 1)
COMPLETE = ("title: T\naudience: patients\nreviewed_by: pharmacist\n"
            "last_reviewed: 2026-05-01\nnext_review: 2026-11-01\n")


def run(header: str, today: datetime.date = TODAY, interval: int | None = None):
    review, findings = evaluate(parse_front_matter(header), PEOPLE, today, interval,
                                "%B %-d, %Y")
    return review, [(*f.position, f.code, f.message, f.severity) for f in findings]


def test_complete_review_metadata() -> None:
    review, findings = run(COMPLETE)
    assert findings == []
    assert review is not None
    assert (review.reviewed_by, review.last_reviewed, review.next_review, review.overdue,
            review.audience, review.last_reviewed_text, review.next_review_text) == (
        "Licensed pharmacist", datetime.date(2026, 5, 1), datetime.date(2026, 11, 1), False,
        "patients", "May 1, 2026", "November 1, 2026")
    assert review.reviewer_name is None  # no name in pharmacy.yaml: none is shown


@pytest.mark.parametrize(("entry", "name"), [
    ({"role": "Licensed pharmacist", "name": "Jane Example, PharmD"}, "Jane Example, PharmD"),
    ({"role": "Licensed pharmacist", "name": "Jane Example", "credentials": "PharmD"},
     "Jane Example, PharmD"),
    ({"role": "Licensed pharmacist", "name": "Jane Example",
      "credentials": "PLACEHOLDER: credentials"}, "Jane Example"),
    ({"role": "Licensed pharmacist", "name": "PLACEHOLDER: name to come"}, None),
    ({"role": "Licensed pharmacist", "name": "  "}, None),
])
def test_the_reviewer_is_named_only_when_the_name_is_known(entry, name) -> None:
    review, findings = evaluate(parse_front_matter(COMPLETE),
                                people_of({"people": {"pharmacist": entry}}),
                                TODAY, None, "%B %-d, %Y")
    assert findings == []
    assert review.reviewer_name == name


def test_a_placeholder_role_is_an_error_not_shown() -> None:
    review, findings = evaluate(
        parse_front_matter(COMPLETE),
        people_of({"people": {"pharmacist": {"role": "PLACEHOLDER: role"}}}), TODAY, None)
    assert review is None
    assert [f.code for f in findings] == ["review.unknown-reviewer"]


def test_pages_keep_the_review_record_not_its_fields(tmp_path: Path) -> None:
    (tmp_path / "pharmacy.yaml").write_text(yaml.safe_dump({"people": REVIEWERS}))
    build = Build.new({"REVIEW_TODAY": "2026-06-01", "PATH": str(tmp_path),
                       "SITE_DATA": {"PHARMACY": "pharmacy.yaml"}})
    records = []
    for name in ("a.md", "b.md"):
        source = tmp_path / name
        source.write_text(f"---\n{COMPLETE}---\nText.\n", encoding="utf-8")
        metadata = {"title": "T", "audience": "patients", "reviewed_by": "pharmacist",
                    "last_reviewed": "2026-05-01", "next_review": "2026-11-01"}
        page = Page(str(source), parse_source(source, source.read_bytes()), metadata)
        assert review(page, build) == []
        assert set(metadata) == {"title", "review"}  # Pelican copies each field onto the page
        assert page.review is metadata["review"]
        records.append(page.review)
    assert records[0] is records[1]  # equal reviews: one record for every page


def test_today_decides_overdue() -> None:
    assert run(COMPLETE, today=datetime.date(2026, 11, 1))[1] == []  # due today: not yet late
    review, findings = run(COMPLETE, today=datetime.date(2026, 11, 2))
    assert review is not None
    assert review.overdue
    assert findings == [(6, 14, "review.overdue", "review overdue: the next review was due on "
                         "2026-11-01 (today is 2026-11-02)", Severity.WARNING)]


def test_next_review_defaults_to_the_interval() -> None:
    header = COMPLETE.replace("next_review: 2026-11-01\n", "")
    review, findings = run(header, interval=30)
    assert review is not None
    assert review.next_review == datetime.date(2026, 5, 31)
    # Overdue against the computed date, pointing at last_reviewed.
    assert findings == [(5, 16, "review.overdue", "review overdue: the next review was due on "
                         "2026-05-31 (today is 2026-06-01)", Severity.WARNING)]
    assert [code for _, _, code, _, _ in run(header)[1]] == ["review.missing"]


def test_an_empty_field_is_missing() -> None:
    review, findings = run(COMPLETE.replace("audience: patients", "audience:"))
    assert findings == [(3, 1, "review.missing", "required field 'audience' is missing",
                         Severity.ERROR)]
    assert review is not None
    assert review.audience is None


@pytest.mark.parametrize(("reviewers", "message"), [
    ({"pharmacist": {"role": "Licensed pharmacist"}}, "unknown reviewer 'pharmacst'"),
    ({}, "unknown reviewer 'pharmacst'"),
])
def test_unknown_reviewer_is_never_shown(reviewers: dict, message: str) -> None:
    review, findings = evaluate(
        parse_front_matter(COMPLETE.replace("pharmacist", "pharmacst")),
        people_of({"people": reviewers}), TODAY)
    assert review is None
    assert [(f.code, f.message) for f in findings] == [("review.unknown-reviewer", message)]


def test_reviewer_without_a_role_is_an_error_not_an_invented_name() -> None:
    review, findings = evaluate(parse_front_matter(COMPLETE),
                                people_of({"people": {"pharmacist": {}}}), TODAY)
    assert review is None
    assert [f.message for f in findings] == ["person 'pharmacist' has no 'role' in "
                                             "pharmacy.yaml"]


def test_the_writer_is_a_person_too() -> None:
    people = people_of({"people": {**REVIEWERS, "writer": {
        "role": "Medical writer", "name": "Sam Example", "bio": "Writes pages."}}})
    review, findings = evaluate(parse_front_matter(COMPLETE + "written_by: writer\n"),
                                people, TODAY)
    assert findings == []
    assert (review.writer.display_name, review.writer.bio, review.reviewer.named) == (
        "Sam Example", "Writes pages.", False)
    review, findings = evaluate(parse_front_matter(COMPLETE + "written_by: writr\n"),
                                people, TODAY)
    assert [(f.position, f.code, f.message, f.hint) for f in findings] == [
        ((7, 13), "review.unknown-writer", "unknown writer 'writr'",
         "did you mean 'writer'?")]


def test_reviewers_the_former_name_of_people_is_no_longer_read() -> None:
    assert people_of({"reviewers": REVIEWERS}) == {}


# --- fixture builds -------------------------------------------------------------------

EXPECTED_ERRORS = [
    "content/articles/backwards.md:7:14: error: 'next_review' (2026-04-01) is not after "
    "'last_reviewed' (2026-05-01); set next_review to a date after the review "
    "[review.bad-date]",
    "content/articles/future.md:6:16: error: 'last_reviewed' is in the future: 2026-07-01 "
    "(today is 2026-06-01); a review date is the day the review happened: today or earlier "
    "[review.bad-date]",
    "content/articles/malformed.md:7:16: error: 'last_reviewed' is not a date: '25/05/2026'; "
    "write dates as YYYY-MM-DD, e.g. last_reviewed: 2026-11-25 [review.bad-date]",
    "content/articles/malformed.md:8:14: error: 'next_review' is not a date: 'next spring'; "
    "write dates as YYYY-MM-DD, e.g. next_review: 2027-05-25 [review.bad-date]",
    "content/articles/missing.md:6:1: error: required field 'audience' is missing; add "
    "'audience: patients', 'audience: prescribers' or 'audience: both' [review.missing]",
    "content/articles/missing.md:6:1: error: required field 'last_reviewed' is missing; add "
    "'last_reviewed: YYYY-MM-DD', the day the page was last reviewed [review.missing]",
    "content/articles/missing.md:6:1: error: required field 'next_review' is missing; add "
    "'next_review: YYYY-MM-DD', the day the next review is due (or set REVIEW_INTERVAL_DAYS "
    "in pelicanconf.py) [review.missing]",
    "content/articles/missing.md:6:1: error: required field 'reviewed_by' is missing; add "
    "'reviewed_by: <key>', a key of people: in pharmacy.yaml [review.missing]",
    "content/articles/reviewer.md:5:14: error: unknown reviewer 'pharmacst'; "
    "did you mean 'pharmacist'? [review.unknown-reviewer]",
    "content/articles/writer.md:6:13: error: unknown writer 'pharmasist'; "
    "did you mean 'pharmacist'? [review.unknown-writer]",
]


@pytest.mark.parametrize("command", ["pelican", "check"])
def test_every_review_problem_is_reported_in_one_run(tmp_path: Path, command: str) -> None:
    result = build_site(tmp_path, "review-errors", command=command, REVIEW_TODAY="2026-06-01",
                        REVIEW_INTERVAL_DAYS=None)
    assert result.returncode == 1
    assert result.diagnostics == EXPECTED_ERRORS
    assert not (tmp_path / "output" / "future").exists()


OVERDUE = ("content/articles/overdue.md:8:14: {severity}: review overdue: the next review "
           "was due on 2026-05-01 (today is 2026-06-01); review the page, then update "
           "last_reviewed and next_review [review.overdue]")


@pytest.fixture(scope="module")
def preview() -> BuildResult:
    return shared_build("review-overdue", REVIEW_TODAY="2026-06-01")


def test_build_only_warns_about_an_overdue_page(preview: BuildResult) -> None:
    assert preview.ok, preview.stderr
    assert preview.diagnostics == [OVERDUE.format(severity="warning")]
    assert (preview.output / "overdue" / "index.html").is_file()


def review_diagnostics(result: BuildResult) -> list[str]:
    """A production build's diagnostics less its list of unknown pharmacy facts."""
    return [line for line in result.diagnostics if "[sitedata.unknown-fact]" not in line]


def test_publish_fails_on_an_overdue_page(tmp_path: Path) -> None:
    result = build_site(tmp_path, "review-overdue", settings_file="publishconf.py",
                        REVIEW_TODAY="2026-06-01")
    assert result.returncode == 1
    assert review_diagnostics(result) == [OVERDUE.format(severity="error")]
    assert not (tmp_path / "output" / "overdue").exists()


def test_publish_passes_when_today_is_before_the_due_date(tmp_path: Path) -> None:
    result = build_site(tmp_path, "review-overdue", settings_file="publishconf.py",
                        REVIEW_TODAY="2026-04-30")
    assert result.ok, result.stderr
    assert review_diagnostics(result) == []


def test_a_malformed_today_setting_is_reported(tmp_path: Path) -> None:
    result = build_site(tmp_path, "review-overdue", command="check", REVIEW_TODAY="tomorrow")
    assert result.returncode == 1
    # The check goes on with the real date, so other lines depend on the day it runs.
    assert ("pelicanconf.py:1:1: error: REVIEW_TODAY is not a date: 'tomorrow'; set it to "
            "'YYYY-MM-DD', or None for the real date [review.bad-setting]") in result.diagnostics


def test_the_page_shows_who_reviewed_it_and_when(preview: BuildResult) -> None:
    review = soup(preview, "overdue/").select_one("p.review")
    assert " ".join(review.get_text().split()) == (
        "Reviewed by a licensed pharmacist at Example Compounding Pharmacy "
        "(name to be confirmed) on November 1, 2025, next review due "
        "May 1, 2026. This review is overdue.")
    assert [t["datetime"] for t in review.select("time")] == ["2025-11-01", "2026-05-01"]


def test_the_interval_gives_a_page_its_next_review(preview: BuildResult) -> None:
    review = soup(preview, "interval/").select_one("p.review")
    # 2026-02-01 plus REVIEW_INTERVAL_DAYS (182).
    assert [t["datetime"] for t in review.select("time")] == ["2026-02-01", "2026-08-02"]
    assert review.select(".review-overdue") == []


def test_json_ld_carries_last_reviewed_and_reviewed_by(preview: BuildResult) -> None:
    script = soup(preview, "interval/").find("script", type="application/ld+json")
    node = next(n for n in json.loads(script.string)["@graph"]
                if n["@type"] == "MedicalWebPage")
    assert node["lastReviewed"] == "2026-02-01"
    assert node["audience"] == [{"@type": "MedicalAudience", "audienceType": "Clinician"}]
    # The fixture's role is a placeholder; the JSON-LD names no reviewer until it is real.
    assert "reviewedBy" not in node


# --- conditions.yaml's review: the condition pages' review line --------------------------

CONDITIONS = """\
review:
{review}
groups:
  - {{slug: chronic-pain, name: Chronic pain}}
conditions:
  - slug: fibromyalgia
    name: Fibromyalgia
    group: chronic-pain
    summary: Fixture summary of fibromyalgia.
"""
GOOD_REVIEW = ("  reviewed_by: pharmacist\n  last_reviewed: 2026-04-01\n"
               "  next_review: 2026-10-01\n  audience: both\n")


def with_conditions(tmp_path: Path, review: str, **settings: object) -> BuildResult:
    """The review-overdue site (its overdue page made current) with a conditions.yaml."""
    write_content(tmp_path / "content", "review-overdue")
    overdue = tmp_path / "content" / "articles" / "overdue.md"
    overdue.write_text(overdue.read_text().replace("next_review: 2026-05-01",
                                                   "next_review: 2026-11-01"))
    (tmp_path / "content" / "conditions.yaml").write_text(CONDITIONS.format(review=review))
    return run_build(tmp_path, REVIEW_TODAY="2026-06-01", **settings)


def test_condition_pages_and_the_home_page_show_who_reviewed_them(tmp_path: Path) -> None:
    result = with_conditions(tmp_path, GOOD_REVIEW)
    assert result.ok, result.stderr
    assert result.diagnostics == []
    expected = ("Reviewed by a licensed pharmacist at Example Compounding Pharmacy (name to be "
                "confirmed) on {}, next review due {}.")
    for url in ("conditions/fibromyalgia/", "conditions/"):
        review = soup(result, url).select_one("p.review")
        assert " ".join(review.get_text().split()) == expected.format("April 1, 2026",
                                                                      "October 1, 2026")
        assert [t["datetime"] for t in review.select("time")] == ["2026-04-01", "2026-10-01"]
    page = soup(result, "conditions/fibromyalgia/")
    node = next(n for n in json.loads(page.find("script", type="application/ld+json").string)
                ["@graph"] if n["@type"] == "MedicalWebPage")
    assert node["lastReviewed"] == "2026-04-01"
    # The home page's own review fields (pages/home.md), shown as every page's are.
    home = soup(result, "").select_one("main p.review")
    assert " ".join(home.get_text().split()) == expected.format("March 1, 2026",
                                                                "September 1, 2026")


@pytest.mark.parametrize("command", ["pelican", "check"])
def test_every_problem_of_the_conditions_review_is_located(tmp_path: Path, command: str) -> None:
    review = ("  reviewd_by: pharmacist\n  last_reviewed: 2026-07-01\n"
              "  next_review: next year\n  audience: both\n")
    result = with_conditions(tmp_path, review, command=command)
    assert result.returncode == 1
    assert result.diagnostics == [
        "content/conditions.yaml:1:1: error: required field 'reviewed_by' is missing; add "
        "'reviewed_by: <key>', a key of people: in pharmacy.yaml [review.missing]",
        "content/conditions.yaml:2:3: error: unknown front-matter field 'reviewd_by'; did you "
        "mean 'reviewed_by'? [frontmatter.unknown-field]",
        "content/conditions.yaml:3:18: error: 'last_reviewed' is in the future: 2026-07-01 "
        "(today is 2026-06-01); a review date is the day the review happened: today or "
        "earlier [review.bad-date]",
        "content/conditions.yaml:4:16: error: 'next_review' is not a date: 'next year'; write "
        "dates as YYYY-MM-DD, e.g. next_review: 2027-05-25 [review.bad-date]",
    ]
    assert not (tmp_path / "output" / "conditions").exists()


def test_a_conditions_review_that_is_not_a_mapping_is_one_error(tmp_path: Path) -> None:
    text = CONDITIONS.format(review="").replace("review:\n", "review: pharmacist\n")
    write_content(tmp_path / "content", "review-overdue")
    (tmp_path / "content" / "conditions.yaml").write_text(text)
    result = run_build(tmp_path, command="check", REVIEW_TODAY="2026-04-01")
    assert "content/conditions.yaml:1:9: error: 'review' must be a set of 'field: value' lines; " \
        "indent reviewed_by:, last_reviewed:, next_review: and audience: under it " \
        "[conditions.bad-registry]" in result.diagnostics
