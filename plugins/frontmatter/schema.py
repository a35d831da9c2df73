"""The front-matter schema, declared once, and a pure validator for it.

Every field any plugin or the theme reads is listed here; a key that is not is an
error, because a misspelt key silently drops data (``condtions`` would leave a page
with no conditions). docs/front-matter.md explains each field to editors.
"""

from __future__ import annotations

import datetime
import enum
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plugins.diagnostics import Finding, did_you_mean
from plugins.diagnostics.records import shorten
from plugins.sources.document import FrontMatter


class Kind(enum.StrEnum):
    TEXT = "text"
    DATE = "a date"
    INTEGER = "a whole number"
    BOOLEAN = "true or false"
    CHOICE = "one of a fixed set of words"
    STRINGS = "a list of words"


class Required(enum.StrEnum):
    ALWAYS = "always"
    HEALTH = "on every article and page (review metadata)"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: Required
    owner: str
    description: str
    example: str
    choices: tuple[str, ...] = ()
    # The code a wrong type is reported under: dates belong to the review check.
    type_code: str = "frontmatter.bad-type"


AUDIENCES = ("patients", "prescribers", "both")
STATUSES = ("published", "draft", "hidden")

FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("title", Kind.TEXT, Required.ALWAYS, "pelican", "the page's heading and <title>",
          "title: Low-dose naltrexone for fibromyalgia"),
    Field("slug", Kind.TEXT, Required.OPTIONAL, "pelican",
          "the URL of the page, /<slug>/ (defaults to the file name)",
          "slug: ldn-fibromyalgia"),
    Field("summary", Kind.TEXT, Required.OPTIONAL, "pelican",
          "one or two sentences shown under the title, in lists and as the meta description",
          "summary: What the research on LDN for fibromyalgia shows."),
    Field("template", Kind.TEXT, Required.OPTIONAL, "pelican",
          "a theme template other than article/page (the home page uses 'home')",
          "template: home"),
    Field("save_as", Kind.TEXT, Required.OPTIONAL, "pelican",
          "the output file, when it is not <slug>/index.html", "save_as: index.html"),
    Field("url", Kind.TEXT, Required.OPTIONAL, "pelican",
          "the page's URL, when it is not <slug>/ (the home page uses \"\")", 'url: ""'),
    Field("status", Kind.CHOICE, Required.OPTIONAL, "pelican",
          "'draft' keeps a page out of the site; 'hidden' builds it but lists it nowhere",
          "status: draft", choices=STATUSES, type_code="frontmatter.bad-value"),
    Field("order", Kind.INTEGER, Required.OPTIONAL, "theme",
          "position in lists of articles (smaller first)", "order: 1"),
    Field("date", Kind.DATE, Required.OPTIONAL, "pelican",
          "publication date (defaults to last_reviewed)", "date: 2026-11-25"),
    Field("modified", Kind.DATE, Required.OPTIONAL, "pelican",
          "date of the last substantive change", "modified: 2026-11-25"),
    Field("medical", Kind.BOOLEAN, Required.OPTIONAL, "jsonld",
          "marks a page (not an article) as health information in the JSON-LD",
          "medical: true"),
    Field("final", Kind.BOOLEAN, Required.OPTIONAL, "sitedata",
          "on the privacy notice: the pharmacy has confirmed its text (needed to launch)",
          "final: true"),
    Field("audience", Kind.CHOICE, Required.HEALTH, "review",
          "who the page is written for", "audience: patients", choices=AUDIENCES,
          type_code="frontmatter.bad-value"),
    Field("conditions", Kind.STRINGS, Required.OPTIONAL, "conditions",
          "slugs (or synonyms) of entries in conditions.yaml the page is about",
          "conditions: [fibromyalgia, crps]"),
    Field("citations", Kind.STRINGS, Required.OPTIONAL, "citations",
          "bibliography keys listed as further reading, beyond those cited in the text",
          "citations: [younger2013]"),
    Field("reviewed_by", Kind.TEXT, Required.HEALTH, "review",
          "a key of people: in pharmacy.yaml; the page shows that reviewer's name or role",
          "reviewed_by: pharmacist"),
    Field("written_by", Kind.TEXT, Required.OPTIONAL, "review",
          "a key of people: in pharmacy.yaml: who wrote the page (shown as 'Written by')",
          "written_by: pharmacist"),
    Field("last_reviewed", Kind.DATE, Required.HEALTH, "review",
          "the date the page was last reviewed (not in the future)",
          "last_reviewed: 2026-11-25", type_code="review.bad-date"),
    Field("next_review", Kind.DATE, Required.HEALTH, "review",
          "the date the next review is due (defaults to last_reviewed + REVIEW_INTERVAL_DAYS)",
          "next_review: 2027-05-25", type_code="review.bad-date"),
)}


def as_date(value: Any) -> datetime.date | None:
    """A YAML date, a datetime's date, or an ISO 'YYYY-MM-DD' string; otherwise None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


CHECKS: dict[Kind, Callable[[Any], bool]] = {
    Kind.TEXT: _is_text,
    Kind.DATE: lambda value: as_date(value) is not None,
    Kind.INTEGER: _is_integer,
    Kind.BOOLEAN: lambda value: isinstance(value, bool),
    Kind.CHOICE: _is_text,
    Kind.STRINGS: lambda value: isinstance(value, list),
}


_SHOWN = reprlib.Repr()  # Python 3.11's takes no arguments
_SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxdict = 2, 6, 6
_SHOWN.maxstring = _SHOWN.maxother = 80


def _shown(value: Any) -> str:
    """A value as a message quotes it: bounded, however large or deep it is."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return f"'{shorten(value, 80)}'"
    return _SHOWN.repr(value)


def _type_finding(front_matter: FrontMatter, spec: Field, value: Any) -> Finding:
    where = front_matter.value_position(spec.name)
    if spec.kind is Kind.DATE:
        return Finding.at(where, spec.type_code,
                       f"'{spec.name}' is not a date: {_shown(value)}",
                       f"write dates as YYYY-MM-DD, e.g. {spec.example}")
    if spec.kind is Kind.STRINGS and isinstance(value, str):
        return Finding.at(where, spec.type_code,
                       f"'{spec.name}' must be a list, not a single word",
                       f"write it in brackets: {spec.name}: [{value}]")
    return Finding.at(where, spec.type_code,
                   f"'{spec.name}' must be {spec.kind.value}, not {_shown(value)}",
                   f"for example {spec.example}")


def validate(front_matter: FrontMatter, fields: dict[str, Field] = FIELDS) -> list[Finding]:
    """Unknown keys and values of the wrong type, every one, in source order.

    Missing required fields are the business of the check that owns them (the
    reader for title, review.missing for the review metadata), so each is reported once.
    """
    findings: list[Finding] = []
    for key, value in front_matter.data.items():
        spec = fields.get(key)
        if spec is None:
            findings.append(Finding.at(
                front_matter.key_position(key), "frontmatter.unknown-field",
                f"unknown front-matter field '{key}'",
                did_you_mean(key, fields) or "the fields are listed in docs/front-matter.md",
            ))
            continue
        if value is None:
            continue  # an empty field is treated as absent
        if not CHECKS[spec.kind](value):
            findings.append(_type_finding(front_matter, spec, value))
        elif spec.kind is Kind.CHOICE and value not in spec.choices:
            choices = ", ".join(f"'{c}'" for c in spec.choices)
            findings.append(Finding.at(
                front_matter.value_position(key), "frontmatter.bad-value",
                f"'{key}' must be one of {choices}, not '{value}'",
                did_you_mean(value, spec.choices),
            ))
        elif spec.kind is Kind.STRINGS:
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    findings.append(Finding.at(
                        front_matter.item_position(key, index), spec.type_code,
                        f"item {index + 1} of '{key}' must be a word, not {_shown(item)}",
                        "put quotes around it if it is meant as text",
                    ))
    return findings
