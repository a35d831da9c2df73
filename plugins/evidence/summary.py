"""What a condition page says of the evidence, from the records that name the condition.
Pure. The theme (and the home page's conditions grid) read these attributes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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

    @property
    def counted(self) -> str:
        """"6 studies and 2 reviews", "2 reviews": the counts a list shows, none of them 0."""
        return counted(self.count, self.review_count)

    @property
    def studies_in_words(self) -> str:
        """"two studies: one randomized controlled trial and one pilot study", or "one
        case report" when they are all of one kind: for a sentence."""
        return described(self.studies, "study")

    @property
    def reviews_in_words(self) -> str:
        return described(self.reviews, "review")

    def __bool__(self) -> bool:
        return bool(self.studies or self.reviews)


NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


UNKNOWN_DESIGN = "study whose design we could not check"


def described(works: tuple[Work, ...], noun: str) -> str:
    """How many works there are and of which designs, in words (a design not verified
    says so); "no studies" when there are none."""
    counts = Counter(w.study.design.slug if w.study.design else "" for w in works)
    parts = [amount(counts[d.slug], d.name.lower(), words=True) for d in DESIGNS if counts[d.slug]]
    if counts[""]:
        parts.append(amount(counts[""], UNKNOWN_DESIGN, words=True))
    if len(parts) == 1:
        return parts[0]
    return f"{amount(len(works), noun, words=True)}: {joined(parts)}"


def plural(noun: str) -> str:
    """"pilot study" -> "pilot studies", "meta-analysis" -> "meta-analyses"; in "systematic
    review with meta-analysis" and "study whose design ..." the head comes first."""
    head, sep, rest = noun.partition(" with ") if " with " in noun else noun.partition(" whose ")
    if head.endswith("series"):
        return noun
    if head.endswith("sis"):
        head = head[:-2] + "es"
    elif head.endswith("y"):
        head = head[:-1] + "ies"
    else:
        head += "s"
    return head + sep + rest


def amount(n: int, noun: str, *, words: bool = False) -> str:
    number = NUMBERS[n] if words and n < len(NUMBERS) else str(n)
    return f"{number} {noun if n == 1 else plural(noun)}"


def joined(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def counted(studies: int, reviews: int, *, words: bool = False) -> str:
    """The numbers of studies and reviews, leaving out a 0 ("no studies or reviews" when
    there are neither): a list of conditions never reads "0 studies and 0 reviews"."""
    parts = [amount(n, noun, words=words) for n, noun in ((studies, "study"), (reviews, "review"))
             if n]
    return joined(parts) or "no studies or reviews"


def condition_evidence(slug: str, works: Iterable[Work]) -> ConditionEvidence:
    """Only records that name the condition and are about LDN."""
    about = strongest_first(w for w in works if w.study.ldn and slug in w.study.conditions)
    studies = tuple(w for w in about if not w.study.review)
    reviews = tuple(w for w in about if w.study.review)
    return ConditionEvidence(slug, studies, reviews)
