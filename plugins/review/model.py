"""Review metadata: who reviewed a page, when, when it is next due. Pure: the caller
passes "today", so that the overdue check is deterministic in tests."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plugins.diagnostics import Severity, did_you_mean
from plugins.frontmatter.findings import Finding
from plugins.frontmatter.schema import as_date
from plugins.sitedata.facts import known
from plugins.sources.frontmatter import FrontMatter

HINTS = {
    "reviewed_by": "add 'reviewed_by: <key>', a key of reviewers: in pharmacy.yaml",
    "last_reviewed": "add 'last_reviewed: YYYY-MM-DD', the day the page was last reviewed",
    "next_review": ("add 'next_review: YYYY-MM-DD', the day the next review is due "
                    "(or set REVIEW_INTERVAL_DAYS in pelicanconf.py)"),
    "audience": "add 'audience: patients', 'audience: prescribers' or 'audience: both'",
}


@dataclass(frozen=True)
class Review:
    """What partials/review.html and the JSON-LD show; dates already formatted."""

    reviewer: str  # the key in pharmacy.yaml
    reviewed_by: str  # the reviewer's role, as pharmacy.yaml words it
    last_reviewed: datetime.date
    next_review: datetime.date
    overdue: bool
    audience: str | None
    last_reviewed_text: str
    next_review_text: str
    reviewer_name: str | None = None  # the reviewer's name, once pharmacy.yaml knows it


def _known(entry: Any, field: str) -> str | None:
    """A reviewer's field from pharmacy.yaml: None when missing or still a PLACEHOLDER."""
    value = entry.get(field) if isinstance(entry, Mapping) else None
    return value.strip() if known(value) else None


def evaluate(front_matter: FrontMatter, reviewers: Mapping[str, Any], today: datetime.date,
             interval_days: int | None = None,
             date_format: str = "%Y-%m-%d") -> tuple[Review | None, list[Finding]]:
    """The page's Review (None when a field is unusable) and every problem with it.

    Malformed dates and a wrong audience are the schema's to report; this check
    handles what is missing, what contradicts "today", and unknown reviewers.
    """
    data = front_matter.data
    findings: list[Finding] = []
    required = ["reviewed_by", "last_reviewed", "audience"]
    if interval_days is None:
        required.append("next_review")
    for key in required:
        if data.get(key) is None:
            findings.append(Finding(front_matter.key_position(key), "review.missing",
                                    f"required field '{key}' is missing", HINTS[key]))

    role, reviewer = None, data.get("reviewed_by")
    if isinstance(reviewer, str):
        role = _known(reviewers.get(reviewer), "role")
        if reviewer not in reviewers:
            findings.append(Finding(
                front_matter.value_position("reviewed_by"), "review.unknown-reviewer",
                f"unknown reviewer '{reviewer}'",
                did_you_mean(reviewer, reviewers)
                or f"use a key of reviewers: in pharmacy.yaml ({', '.join(reviewers) or 'none'})",
            ))
        elif role is None:
            findings.append(Finding(
                front_matter.value_position("reviewed_by"), "review.unknown-reviewer",
                f"reviewer '{reviewer}' has no 'role' in pharmacy.yaml",
                "give the reviewer a role there, e.g. role: Licensed pharmacist "
                "(an unknown name is name: \"PLACEHOLDER: ...\"; the role must be real)"))

    last = as_date(data.get("last_reviewed"))
    if last is not None and last > today:
        findings.append(Finding(
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
        findings.append(Finding(
            due_at, "review.bad-date",
            f"'next_review' ({given.isoformat()}) is not after 'last_reviewed' "
            f"({last.isoformat()})", "set next_review to a date after the review"))
        next_review = None

    overdue = next_review is not None and today > next_review
    if overdue:
        findings.append(Finding(
            due_at, "review.overdue",
            f"review overdue: the next review was due on {next_review.isoformat()} "
            f"(today is {today.isoformat()})",
            "review the page, then update last_reviewed and next_review",
            Severity.WARNING))

    if role is None or last is None or next_review is None:
        return None, findings
    audience = data.get("audience") if isinstance(data.get("audience"), str) else None
    return Review(
        reviewer=reviewer, reviewed_by=role, last_reviewed=last, next_review=next_review,
        overdue=overdue, audience=audience,
        last_reviewed_text=last.strftime(date_format),
        next_review_text=next_review.strftime(date_format),
        reviewer_name=_known(reviewers.get(reviewer), "name"),
    ), findings
