"""What a condition page says of the evidence, from the records that name the condition.
Pure. The theme (and the home page's conditions grid) read these attributes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .labels import Work, strongest_first
from .records import Study
from .vocabulary import DESIGNS, Design


def tests_ldn_in(study: Study, slug: str) -> bool:
    """Whether the record shows LDN tested in the condition: an LDN study, or a review
    of studies, that names it. A narrative review is background, cited for its ideas:
    one that only mentions the condition is no test of LDN in it. The one rule for
    which conditions get a page of their own (docs/evidence.md)."""
    return (study.ldn and slug in study.conditions
            and not (study.design is not None and study.design.slug == "narrative-review"))


def untested_conditions(slugs: Iterable[str], studies: Iterable[Study]) -> list[str]:
    """The conditions, in the order given, that no record shows LDN tested in."""
    studies = list(studies)
    return [slug for slug in slugs if not any(tests_ldn_in(s, slug) for s in studies)]


@dataclass(frozen=True)
class ConditionEvidence:
    """The LDN records naming one condition.

    ``count`` is the number of studies (reviews not counted), ``review_count`` the
    number of reviews, ``strongest`` the strongest study design (None when there is no
    study of a known design), ``strongest_name`` its name for templates.
    """

    slug: str
    studies: tuple[Work, ...] = ()  # strongest design first
    reviews: tuple[Work, ...] = ()
    designs: tuple[tuple[str, int], ...] = field(default=())  # (design name, how many)

    @property
    def count(self) -> int:
        return len(self.studies)

    @property
    def review_count(self) -> int:
        return len(self.reviews)

    @property
    def strongest(self) -> Design | None:
        return next((w.study.design for w in self.studies if w.study.design), None)

    @property
    def strongest_name(self) -> str:
        strongest = self.strongest
        return strongest.name if strongest else "No study yet"

    @property
    def randomized(self) -> list[Work]:
        """Randomized trials, the largest first."""
        trials = [w for w in self.studies if w.study.design and w.study.design.randomized]
        return sorted(trials, key=lambda w: (-(w.study.participants or 0), w.rank, w.name))

    @property
    def other_studies(self) -> list[Work]:
        return [w for w in self.studies
                if not (w.study.design and w.study.design.randomized)]

    def __bool__(self) -> bool:
        return bool(self.studies or self.reviews)


def condition_evidence(slug: str, works: Iterable[Work]) -> ConditionEvidence:
    """Only records that name the condition and are about LDN."""
    about = strongest_first(w for w in works if w.study.ldn and slug in w.study.conditions)
    studies = tuple(w for w in about if not w.study.review)
    reviews = tuple(w for w in about if w.study.review)
    counts = Counter(w.study.design.slug if w.study.design else "" for w in about)
    designs = tuple((d.name, counts[d.slug]) for d in DESIGNS if counts[d.slug])
    if counts[""]:
        designs += (("Design not verified", counts[""]),)
    return ConditionEvidence(slug, studies, reviews, designs)
