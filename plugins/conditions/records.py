"""The conditions registry's records: its groups, its conditions and the registry that
resolves a slug or synonym to one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from plugins.sources.document import FrontMatter

from .settings import UNTESTED_URL


@dataclass(frozen=True)
class Group:
    slug: str
    name: str


@dataclass(frozen=True)
class Condition:
    slug: str
    name: str
    group: str
    group_name: str
    summary: str
    url: str
    synonyms: tuple[str, ...] = ()
    code: str | None = None
    # What the research on LDN shows for it, in a few hedged words (the home page's grid).
    in_short: str | None = None
    evidence_summary: str | None = None  # an editor's "what this means" of the evidence
    # False when no study record shows LDN tested in it (plugins/evidence decides): it then
    # has no page of its own, and `url` is its section of the untested conditions' page.
    tested: bool = True
    # `invoke audit`'s new-evidence searches, when the ones made from the name and
    # synonyms do not fit (plugins/integrity/search.py)
    pubmed_query: str | None = None
    trials_query: str | None = None

    @property
    def in_text(self) -> str:
        """The name as running text writes it: "reviews of LDN in fibromyalgia"."""
        return common_noun(self.name)


def common_noun(name: str) -> str:
    """A condition's name lower-cased as a common noun ("Multiple sclerosis (MS)" ->
    "multiple sclerosis (MS)"); a name led by a proper noun stays as it is: a possessive
    ("Crohn's disease"), a capital inside the word ("Hailey-Hailey", "ME/CFS")."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower() \
            and not any(mark in first for mark in "'\u2019"):
        return first[0].lower() + name[1:]
    return name


@dataclass
class Registry:
    """Every condition, in file order; synonyms and slugs resolve case-insensitively."""

    path: Path | None = None
    groups: list[Group] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # lowercased name -> slug
    missing: bool = False  # no conditions.yaml at all
    untested_url: str | None = None  # the untested conditions' page, once any is marked
    # Its structure was refused (reported once): pages naming a condition are not
    # reported again as naming an unknown one.
    broken: bool = False
    # `review:`, the condition pages' review fields as written (positions kept), and the
    # review record made of them once the review plugin has checked them.
    review_source: FrontMatter | None = None
    review: object | None = None

    def __post_init__(self) -> None:
        self._by_slug = {c.slug: c for c in self.conditions}

    def get(self, slug: str) -> Condition | None:
        return self._by_slug.get(slug)

    def resolve(self, name: str) -> Condition | None:
        """The condition a slug or synonym names (``fibro`` -> fibromyalgia)."""
        slug = self.aliases.get(name.strip().lower())
        return self._by_slug.get(slug) if slug else None

    def names(self) -> list[str]:
        """Slugs first, then synonyms: the candidates a did-you-mean picks from."""
        return [c.slug for c in self.conditions] + [s for c in self.conditions for s in c.synonyms]

    def mark_untested(self, slugs: Iterable[str], url: str = UNTESTED_URL) -> None:
        """Point each named condition at its section of the page ``url``. Called before
        any page is read, so every page's conditions are these records."""
        untested = set(slugs)
        if untested:
            self.untested_url = url
        self.conditions = [replace(c, tested=False, url=f"{url}#{c.slug}")
                           if c.slug in untested else c for c in self.conditions]
        self.__post_init__()

    @property
    def tested(self) -> list[Condition]:
        return [c for c in self.conditions if c.tested]

    @property
    def untested(self) -> list[Condition]:
        return [c for c in self.conditions if not c.tested]

    def by_group(self) -> list[tuple[Group, list[Condition]]]:
        return [(g, [c for c in self.conditions if c.group == g.slug]) for g in self.groups]
