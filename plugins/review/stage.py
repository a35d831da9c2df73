"""The review stage of the page pipeline: each page's review fields checked and made one
``Review`` record (``page.review``, and the page's ``review`` field for the templates)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from plugins.conditions.stage import registry_of
from plugins.diagnostics import Build, Finding
from plugins.frontmatter.schema import FIELDS, as_date, validate
from plugins.sitedata.loader import load_site_data
from plugins.sitedata.people import site_people
from plugins.sources import drop_fields
from plugins.sources.document import FrontMatter

from .model import Review, evaluate
from .settings import review_settings

if TYPE_CHECKING:
    from plugins.pipeline.page import Page

# The fields a Review record carries. Once the record is made, the page drops them: see
# plugins/sources/pagefields.py for why a page keeps as few fields as it can.
REPLACED = ("reviewed_by", "written_by", "last_reviewed", "next_review", "audience")


@dataclass
class Reviews:
    """The build's review state: its "today", and one record per distinct review."""

    today: datetime.date
    # Equal records as one object (most pages share a reviewer and a review day): an
    # intern table, which changes no page's result, only how much memory they take.
    records: dict[Review, Review] = field(default_factory=dict)

    @classmethod
    def start(cls, build: Build) -> Reviews:
        """REVIEW_TODAY when set (tests, or checking ahead), else the site's local date."""
        settings = build.settings
        given = build.state(review_settings).today
        today = as_date(given) if given is not None else None
        if given is not None and today is None:
            build.report.error(
                build.report.root / "pelicanconf.py", 1, 1,
                "review.bad-setting", f"REVIEW_TODAY is not a date: {given!r}",
                hint="set it to 'YYYY-MM-DD', or None for the real date")
        if today is None:
            today = datetime.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()
        return cls(today)


UNKNOWN_PERSON = ("review.unknown-reviewer", "review.unknown-writer")
# conditions.yaml's `review:` takes a page's review fields, and only those.
REGISTRY_FIELDS = {name: FIELDS[name] for name in REPLACED}


def _evaluate(front_matter: FrontMatter, build: Build) -> tuple[Review | None, list[Finding]]:
    settings = build.settings
    interval = build.state(review_settings).interval_days
    record, findings = evaluate(
        front_matter, build.state(site_people), build.state(Reviews.start).today,
        interval if isinstance(interval, int) and interval > 0 else None,
        settings.get("DEFAULT_DATE_FORMAT") or "%Y-%m-%d",
    )
    if record is not None:
        record = build.state(Reviews.start).records.setdefault(record, record)
    if build.state(load_site_data).was_refused("PHARMACY", "people"):
        # The people's entries were refused (sitedata.bad-type): not every page again.
        findings = [f for f in findings if f.code not in UNKNOWN_PERSON]
    return record, findings


def review(page: Page, build: Build) -> list[Finding]:
    """The page's reviewer, writer, audience and review dates, as one record."""
    record, findings = _evaluate(page.source.front_matter, build)
    if record is not None:
        drop_fields(page.metadata, REPLACED)
    page.review = page.metadata["review"] = record
    return findings


def check_registry(pages: list[Page], generators: list[Any], build: Build) -> None:
    """conditions.yaml's ``review:`` checked as a page's review fields are; its record is
    the review line of the pages made from that file (the condition pages)."""
    registry = build.state(registry_of)
    if registry.review_source is None or registry.path is None:
        return
    schema = validate(registry.review_source, REGISTRY_FIELDS)
    record, findings = _evaluate(registry.review_source, build)
    build.report.extend(registry.path, [*schema, *findings])
    registry.review = None if schema else record
