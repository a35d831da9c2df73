"""Signal wiring: each page's review metadata is checked and attached as ``review``."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.diagnostics import Report
from plugins.frontmatter.findings import report_all
from plugins.frontmatter.schema import as_date
from plugins.sitedata.loader import load_site_data
from plugins.sources import SourceDocument, drop_fields, source_read

from .model import evaluate

TODAY_SETTING = "REVIEW_TODAY_RESOLVED"
# The fields a Review record carries. Once the record is made, the page drops them: see
# plugins/sources/pagefields.py for why a page keeps as few fields as it can.
REPLACED = ("reviewed_by", "last_reviewed", "next_review", "audience")
# Equal Review records, one object each: most pages share a reviewer and a review day.
RECORDS_SETTING = "REVIEW_RECORDS"


def review_today(settings: dict[str, Any], report: Report) -> datetime.date:
    """REVIEW_TODAY when set (tests, or checking ahead), else the site's local date."""
    today = settings.get(TODAY_SETTING)
    if today is None:
        given = settings.get("REVIEW_TODAY")
        today = as_date(given) if given is not None else None
        if given is not None and today is None:
            report.error(Path(settings.get("PROJECT_ROOT") or ".") / "pelicanconf.py", 1, 1,
                         "review.bad-setting", f"REVIEW_TODAY is not a date: {given!r}",
                         hint="set it to 'YYYY-MM-DD', or None for the real date")
        if today is None:
            zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
            today = datetime.datetime.now(zone).date()
        settings[TODAY_SETTING] = today
    return today


def attach_review(doc: SourceDocument, metadata: dict[str, Any], settings: dict[str, Any],
                  report: Report) -> None:
    pharmacy = load_site_data(settings, report).values.get("PHARMACY") or {}
    reviewers = pharmacy.get("reviewers") if isinstance(pharmacy, dict) else None
    interval = settings.get("REVIEW_INTERVAL_DAYS")
    review, findings = evaluate(
        doc.front_matter, reviewers if isinstance(reviewers, dict) else {},
        review_today(settings, report),
        interval if isinstance(interval, int) and interval > 0 else None,
        settings.get("DEFAULT_DATE_FORMAT") or "%Y-%m-%d",
    )
    report_all(report, doc.path, findings)
    if review is not None:
        review = settings.setdefault(RECORDS_SETTING, {}).setdefault(review, review)
        drop_fields(metadata, REPLACED)
    metadata["review"] = review


def register() -> None:
    source_read.connect(attach_review)
