"""Page-like objects for /conditions/ and /conditions/<slug>/, built from the registry
and the content already read. Pure: no Pelican, no I/O."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from .records import Condition, Group, Registry

REFERENCES_URL = "references/#ref-{key}"


@dataclass(frozen=True)
class CitedWork:
    """A work cited by an article about the condition, linked to its /references/ entry."""

    key: str
    html: Markup  # formatted by the citations plugin: Markup, rendered as is
    url: str


@dataclass
class ConditionPage:
    """What condition.html renders; shaped like a Page for the theme, JSON-LD and sitemap."""

    condition: Condition
    url: str
    save_as: str
    articles: list[Any] = field(default_factory=list)
    works: list[CitedWork] = field(default_factory=list)
    index_url: str = "conditions/"
    date: datetime.datetime | None = None
    status: str = "published"
    medical: bool = True  # schema.org MedicalWebPage about the condition
    # What the evidence plugin says of the condition (count, strongest_name, studies,
    # reviews, ...), or None on a site without study records.
    evidence: Any = None
    review: Any = None  # conditions.yaml's review record (plugins/review), when it has one

    @property
    def title(self) -> str:
        return self.condition.name

    @property
    def summary(self) -> str:
        return self.condition.summary

    @property
    def condition_records(self) -> list[Condition]:
        return [self.condition]


@dataclass
class UntestedPage:
    """What untested.html renders: one section per condition no record shows LDN tested in
    (each ConditionPage's url is its section here). Shaped like a Page, as above."""

    url: str
    save_as: str
    title: str
    summary: str
    entries: list[ConditionPage]
    index_url: str = "conditions/"
    date: datetime.datetime | None = None
    status: str = "published"
    medical: bool = True
    review: Any = None

    @property
    def condition_records(self) -> list[Condition]:
        return [entry.condition for entry in self.entries]


@dataclass(frozen=True)
class Redirect:
    """A static page at a retired address that sends the visitor to ``target``. ``url``
    is the target page (its canonical URL); the status keeps it out of the sitemap."""

    save_as: str
    url: str
    target: str
    title: str
    status: str = "redirect"


@dataclass
class GroupListing:
    group: Group
    pages: list[ConditionPage]


@dataclass
class ConditionsIndex:
    """What conditions.html renders: every condition, under its group."""

    url: str
    save_as: str
    title: str
    summary: str
    groups: list[GroupListing]
    date: datetime.datetime | None = None
    status: str = "published"
    untested: UntestedPage | None = None
    review: Any = None


def _stamp(item: Any) -> datetime.datetime | None:
    return getattr(item, "modified", None) or getattr(item, "date", None)


def newest(items: Iterable[Any]) -> datetime.datetime | None:
    stamps = [s for s in map(_stamp, items) if s is not None]
    return max(stamps) if stamps else None


def cited_works(articles: Iterable[Any]) -> list[CitedWork]:
    """Every work the articles cite, once each, in order of first citation."""
    works: dict[str, CitedWork] = {}
    for article in articles:
        for reference in getattr(article, "references", None) or []:
            key = getattr(reference, "key", None)
            if key and key not in works:
                works[key] = CitedWork(key, getattr(reference, "html", None) or escape(key),
                                       REFERENCES_URL.format(key=key))
    return list(works.values())


def _sort_key(item: Any) -> tuple[int, str]:
    order = getattr(item, "order", None)
    rank = order if isinstance(order, int) and not isinstance(order, bool) else 1_000_000
    return rank, re.sub(r"<[^>]+>", "", str(getattr(item, "title", ""))).lower()


@dataclass(frozen=True)
class UntestedSettings:
    """Where the untested conditions' page goes, and what it is called."""

    url: str
    save_as: str
    title: str
    summary: str


def build_listing(registry: Registry, content: Sequence[Any], *, save_as: str, index_url: str,
                  index_save_as: str, index_title: str, index_summary: str,
                  evidence: Callable[[str], Any] | None = None,
                  untested: UntestedSettings | None = None,
                  ) -> tuple[ConditionsIndex, list[ConditionPage]]:
    """One page per registered condition, listing the content about it, and the index.

    With ``evidence`` (the evidence plugin's summary of a condition's study records), a
    page lists the works whose records name the condition, not every work its articles
    cite: those may be about anything. A condition that is not ``tested`` is listed on
    the untested page, not in the index's groups; its ConditionPage is its section there."""
    fallback = newest(content)  # pages with no articles still get a reproducible date
    pages: list[ConditionPage] = []
    for condition in registry.conditions:
        about = sorted((item for item in content
                        if condition in (getattr(item, "condition_records", None) or [])),
                       key=_sort_key)
        pages.append(ConditionPage(
            condition=condition, url=condition.url,
            save_as=save_as.format(slug=condition.slug), articles=about, index_url=index_url,
            works=[] if evidence else cited_works(about), date=newest(about) or fallback,
            evidence=evidence(condition.slug) if evidence else None,
            review=registry.review,
        ))
    groups = [GroupListing(group, [p for p in pages
                                   if p.condition.group == group.slug and p.condition.tested])
              for group in registry.groups]
    retired = [p for p in pages if not p.condition.tested]
    page = UntestedPage(
        url=untested.url, save_as=untested.save_as, title=untested.title,
        summary=untested.summary, entries=retired, index_url=index_url,
        date=newest(retired) or fallback, review=registry.review,
    ) if retired and untested else None
    index = ConditionsIndex(
        url=index_url, save_as=index_save_as, title=index_title, summary=index_summary,
        groups=[g for g in groups if g.pages], date=newest(pages) or fallback, untested=page,
        review=registry.review,
    )
    return index, pages
