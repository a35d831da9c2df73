"""What a record says in a few words: the evidence label of a reference, the text of each
table cell, and the order of rows. Pure: records and bibliography data in, text out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .records import Study
from .vocabulary import NO_DESIGN_RANK

NOT_REPORTED = "Not verified"
NOT_APPLICABLE = "Not applicable"


@dataclass(frozen=True)
class Work:
    """A study record with what the bibliography says of its work: a name and a year."""

    study: Study
    name: str  # "Bruun 2024"
    year: int | None

    @property
    def key(self) -> str:
        return self.study.key

    @property
    def label(self) -> str:
        return label(self.study)

    @property
    def direction(self) -> str:
        return direction_text(self.study)

    @property
    def rank(self) -> int:
        design = self.study.design
        return design.rank if design else NO_DESIGN_RANK


def work_of(study: Study, csl: Mapping[str, Any] | None) -> Work:
    """The record's own ``name``, else the first author's family name (an organisation's
    whole name) and the year; a work without authors is named by its title, up to a colon,
    never by its journal."""
    csl = csl or {}
    parts = (csl.get("issued") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    year = int(year) if isinstance(year, int | str) and str(year).isdigit() else None
    name = study.name
    if not name:
        authors = csl.get("author") or [{}]
        title = str(csl.get("title") or "").split(": ")[0].strip()
        family = authors[0].get("family") or authors[0].get("literal") or title or study.key
        name = f"{family}, {year}" if year and family == title else \
            f"{family} {year}" if year else family
    return Work(study, name, year)


def strongest_first(works: Iterable[Work]) -> list[Work]:
    """Strength of design, then newest first, then name: the order of every table."""
    return sorted(works, key=lambda w: (w.rank, -(w.year or 0), w.name.lower(), w.key))


def people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def label(study: Study) -> str:
    """"Randomized trial · 99 people · 6 mg · 12 weeks · no clear difference": what a
    reader needs to weigh a reference, as text. Fields not verified are left out; a
    design not verified gives way to the record's own words on how the study was done."""
    design = study.design
    parts = [design.short] if design else [study.details] if study.details else []
    if study.studies:
        parts.append(f"{study.studies} {'study' if study.studies == 1 else 'studies'}")
    if study.participants:
        parts.append(people(study.participants))
    parts += [text for text in (study.dose, study.duration) if text]
    if not study.ldn:
        parts.append("not about LDN")
    elif study.direction and study.direction.slug != "not-applicable":
        parts.append(study.direction.text)
    return " · ".join(parts)


def design_cell(study: Study) -> str:
    return study.design.name if study.design else NOT_REPORTED


def people_cell(study: Study) -> str:
    if study.participants is None:
        text = NOT_REPORTED if not study.studies else ""
    else:
        text = f"{study.participants:,}"
        if study.who:
            text += f" {study.who}"
    if study.studies:
        included = f"{study.studies} {'study' if study.studies == 1 else 'studies'}"
        text = f"{text} in {included}" if text else included
    return text


def dose_cell(study: Study) -> str:
    """Dose and length; a review reports neither of its own."""
    if study.dose is None and study.duration is None:
        return NOT_APPLICABLE if study.review else NOT_REPORTED
    text = f"{study.dose or 'Dose not verified'}; {study.duration or 'length not verified'}"
    return text[:1].upper() + text[1:]


def direction_text(study: Study) -> str:
    """The result's lead-in; empty where a direction means nothing (a safety study, an
    overview), since "Not applicable." before a result reads as a verdict on it."""
    if study.direction is not None and study.direction.slug == "not-applicable":
        return ""
    if study.direction is None:
        return "Direction not verified"
    return study.direction.text[:1].upper() + study.direction.text[1:]
