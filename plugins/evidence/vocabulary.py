"""The controlled vocabulary of study records: designs, directions, comparators.

Designs are listed strongest first: a table's rows and a condition's "strongest design"
follow this order. Reviews come first because they pool the studies below them; the
narrative review and laboratory work come last, as in the usual evidence pyramid.
"""

from __future__ import annotations

from typing import NamedTuple


class Design(NamedTuple):
    slug: str
    name: str  # as the vocabulary names it, in tables and cards
    short: str  # in an evidence label
    rank: int  # 0 is the strongest
    review: bool  # pools other studies rather than reporting its own participants
    randomized: bool = False
    schema: str = "MedicalStudy"  # schema.org type of the work's study
    trial_design: str | None = None  # schema.org MedicalTrialDesign, for a MedicalTrial


DESIGNS: tuple[Design, ...] = (
    Design("meta-analysis", "Systematic review with meta-analysis", "Meta-analysis", 0, True),
    Design("systematic-review", "Systematic review", "Systematic review", 1, True),
    Design("randomized-controlled-trial", "Randomized controlled trial", "Randomized trial", 2,
           False, True, "MedicalTrial", "RandomizedTrial"),
    Design("randomized-crossover-trial", "Randomized crossover trial",
           "Randomized crossover", 3, False, True, "MedicalTrial", "RandomizedTrial"),
    Design("open-label-trial", "Non-randomized or open-label trial", "Open-label trial", 4,
           False, False, "MedicalTrial", "OpenTrial"),
    Design("pilot-study", "Pilot study", "Pilot study", 5, False, False, "MedicalTrial"),
    Design("observational-study", "Cohort or other observational study", "Observational study",
           6, False, False, "MedicalObservationalStudy"),
    Design("case-series", "Case series", "Case series", 7, False),
    Design("case-report", "Case report", "Case report", 8, False),
    Design("narrative-review", "Narrative review", "Narrative review", 9, True),
    Design("laboratory-study", "Laboratory or animal study", "Lab or animal study", 10, False),
)
NO_DESIGN_RANK = 99  # a record whose design is not verified sorts after every design
BY_SLUG = {d.slug: d for d in DESIGNS}
# Shorthands for a table directive's designs= option.
GROUPS = {"studies": "every study that is not a review (and those of unreported design)",
          "reviews": "every kind of review"}


class Direction(NamedTuple):
    slug: str
    text: str  # as a label and a table print it


DIRECTIONS: tuple[Direction, ...] = (
    Direction("favours-ldn", "favors LDN"),
    Direction("no-clear-difference", "no clear difference"),
    Direction("mixed", "mixed"),
    Direction("not-applicable", "not applicable"),
)
DIRECTION_BY_SLUG = {d.slug: d for d in DIRECTIONS}
COMPARATORS = ("placebo", "none", "other")


def normal(word: str) -> str:
    """'Randomized Controlled Trial' and 'randomized-controlled-trial' alike; US and UK
    spelling of 'favours' alike."""
    text = "-".join(word.strip().lower().replace("_", " ").split())
    return text.replace("favors", "favours")


def _aliases() -> dict[str, str]:
    found = {normal(d.slug): d.slug for d in DESIGNS}
    found.update({normal(d.name): d.slug for d in DESIGNS})
    found.update({normal(d.short): d.slug for d in DESIGNS})
    return found


DESIGN_ALIASES = _aliases()


def design_of(word: str) -> Design | None:
    slug = DESIGN_ALIASES.get(normal(word))
    return BY_SLUG[slug] if slug else None


def direction_of(word: str) -> Direction | None:
    return DIRECTION_BY_SLUG.get(normal(word))
