"""Review metadata: who reviewed a page, when, when it is next due. Pure: the caller
passes "today", so that the overdue check is deterministic in tests."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from plugins.diagnostics import Finding, Severity, did_you_mean
from plugins.frontmatter.schema import as_date
from plugins.sitedata.people import Person
from plugins.sources.document import FrontMatter

HINTS = {
    "reviewed_by": "add 'reviewed_by: <key>', a key of people: in pharmacy.yaml",
    "last_reviewed": "add 'last_reviewed: YYYY-MM-DD', the day the page was last reviewed",
    "next_review": ("add 'next_review: YYYY-MM-DD', the day the next review is due "
                    "(or set REVIEW_INTERVAL_DAYS in pelicanconf.py)"),
    "audience": "add 'audience: patients', 'audience: prescribers' or 'audience: both'",
}


@dataclass(frozen=True)
class Review:
    """What partials/review.html and the JSON-LD show; dates already formatted."""

    reviewer: Person  # from people: in pharmacy.yaml; a role always, a name once known
    last_reviewed: datetime.date
    next_review: datetime.date
    overdue: bool
    audience: str | None
    last_reviewed_text: str
    next_review_text: str
    writer: Person | None = None  # `written_by:`, when the page names who wrote it

    @property
    def reviewed_by(self) -> str:
        """The reviewer's role, as pharmacy.yaml words it."""
        return self.reviewer.role or ""

    @property
    def reviewer_name(self) -> str | None:
        """'Jane Example, PharmD' once pharmacy.yaml knows the name, else None."""
        return self.reviewer.display_name


def _person(front_matter: FrontMatter, people: Mapping[str, Person], field: str,
            findings: list[Finding]) -> Person | None:
    """The person a field names, after reporting an unknown key or a person with no role."""
    key = front_matter.data.get(field)
    if not isinstance(key, str):
        return None
    person = people.get(key)
    code = "review.unknown-reviewer" if field == "reviewed_by" else "review.unknown-writer"
    if person is None:
        findings.append(Finding.at(
            front_matter.value_position(field), code,
            f"unknown {'reviewer' if field == 'reviewed_by' else 'writer'} '{key}'",
            did_you_mean(key, people)
            or f"use a key of people: in pharmacy.yaml ({', '.join(people) or 'none'})",
        ))
    elif person.role is None:
        findings.append(Finding.at(
            front_matter.value_position(field), code,
            f"person '{key}' has no 'role' in pharmacy.yaml",
            "give the person a role there, e.g. role: Licensed pharmacist "
            "(an unknown name is name: \"PLACEHOLDER: ...\"; the role must be real)"))
        return None
    return person


def evaluate(front_matter: FrontMatter, people: Mapping[str, Person], today: datetime.date,
             interval_days: int | None = None,
             date_format: str = "%Y-%m-%d") -> tuple[Review | None, list[Finding]]:
    """The page's Review (None when a field is unusable) and every problem with it.

    Malformed dates and a wrong audience are the schema's to report; this check
    handles what is missing, what contradicts "today", and unknown people
    (`reviewed_by:`, and the optional `written_by:`).
    """
    data = front_matter.data
    findings: list[Finding] = []
    required = ["reviewed_by", "last_reviewed", "audience"]
    if interval_days is None:
        required.append("next_review")
    for key in required:
        if data.get(key) is None:
            findings.append(Finding.at(front_matter.key_position(key), "review.missing",
                                    f"required field '{key}' is missing", HINTS[key]))

    reviewer = _person(front_matter, people, "reviewed_by", findings)
    writer = _person(front_matter, people, "written_by", findings)

    last = as_date(data.get("last_reviewed"))
    if last is not None and last > today:
        findings.append(Finding.at(
            front_matter.value_position("last_reviewed"), "review.bad-date",
            f"'last_reviewed' is in the future: {last.isoformat()} "
            f"(today is {today.isoformat()})",
            "a review date is the day the review happened: today or earlier"))

    given = as_date(data.get("next_review"))
    next_review = given
    if given is None and data.get("next_review") is None and last and interval_days:
        next_review = last + datetime.timedelta(days=interval_days)
    due_at = front_matter.value_position("next_review" if given else "last_reviewed")
    if given is not None and last is not None and given <= last:
        findings.append(Finding.at(
            due_at, "review.bad-date",
            f"'next_review' ({given.isoformat()}) is not after 'last_reviewed' "
            f"({last.isoformat()})", "set next_review to a date after the review"))
        next_review = None

    overdue = next_review is not None and today > next_review
    if overdue:
        findings.append(Finding.at(
            due_at, "review.overdue",
            f"review overdue: the next review was due on {next_review.isoformat()} "
            f"(today is {today.isoformat()})",
            "review the page, then update last_reviewed and next_review",
            Severity.WARNING))

    if reviewer is None or last is None or next_review is None:
        return None, findings
    audience = data.get("audience") if isinstance(data.get("audience"), str) else None
    return Review(
        reviewer=reviewer, last_reviewed=last, next_review=next_review,
        overdue=overdue, audience=audience,
        last_reviewed_text=last.strftime(date_format),
        next_review_text=next_review.strftime(date_format),
        writer=writer,
    ), findings
