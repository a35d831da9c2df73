"""`invoke report`'s integrity section: for every page, its sources with a notice and what
has been published about its conditions since it was last reviewed. Read from the data
file `invoke audit` wrote: offline."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from pathlib import Path

from plugins.diagnostics import Build

from .data import Article, IntegrityData, Search, Trial
from .marks import notice_words


@dataclass(frozen=True)
class PageSources:
    """What the report needs of one page, kept while pages are read (`invoke report`)."""

    path: Path
    keys: tuple[str, ...]
    conditions: tuple[str, ...]
    last_reviewed: datetime.date | None


@dataclass(frozen=True)
class Item:
    text: str
    url: str


@dataclass(frozen=True)
class PageFindings:
    path: str
    sources: list[str]
    new: list[Item]
    note: str  # when nothing could be searched: why


def article_item(article: Article) -> Item:
    year = f" ({article.year})" if article.year else ""
    return Item(f"PMID {article.pmid}: {article.title}{year}",
                f"https://pubmed.ncbi.nlm.nih.gov/{article.pmid}/")


def trial_item(trial: Trial) -> Item:
    status = trial.status.replace("_", " ").lower() or "status not given"
    if trial.previous_status:
        status = (f"status changed from {trial.previous_status.replace('_', ' ').lower()} "
                  f"to {status}")
    results = ", results posted" if trial.has_results else ""
    updated = f", updated {trial.updated}" if trial.updated else ""
    return Item(f"{trial.nct}: {trial.title} ({status}{results}{updated})",
                f"https://clinicaltrials.gov/study/{trial.nct}")


def new_since(search: Search, since: datetime.date | None) -> list[Item]:
    """What the search found that is newer than the page's review."""
    day = since.isoformat() if since else ""
    items = [article_item(a) for a in search.articles
             if (a.added or f"{a.year}-12-31") >= day]
    items += [trial_item(t) for t in search.trials if t.updated >= day or t.previous_status]
    return items


def findings(build: Build, pages: list[PageSources], data: IntegrityData,
             flagged: dict, unchecked: set[str]) -> list[PageFindings]:
    """One entry per page that cites a work or is about a condition."""
    found = []
    for page in sorted(pages, key=lambda p: str(p.path)):
        if not (page.keys or page.conditions):
            continue
        keys = list(dict.fromkeys(page.keys))
        sources = []
        for key in keys:
            work = flagged.get(key)
            if work is not None:
                ack = f"; acknowledged: {work.acknowledged}" if work.acknowledged else ""
                sources.append(f"'{key}' {work.status}: {notice_words(work)}{ack}")
        never = [key for key in keys if key in unchecked]
        if never:
            sources.append(f"never checked: {', '.join(never)}")
        if not sources and keys:
            sources.append("no retraction, correction or expression of concern known")
        new: list[Item] = []
        missing = []
        for slug in page.conditions:
            search = data.searches.get(slug)
            if search is None:
                missing.append(slug)
                continue
            new += [i for i in new_since(search, page.last_reviewed) if i not in new]
        note = ""
        if missing:
            note = f"no search yet for {', '.join(missing)}: run `invoke audit`"
        elif page.conditions and not new:
            note = "nothing new found since the last review"
        found.append(PageFindings(build.report.relpath(page.path), sources, new, note))
    return found


def as_text(pages: list[PageFindings], data: IntegrityData) -> str:
    if data.missing:
        return ("Sources and new evidence: no integrity data yet; run `invoke audit` "
                "(content/integrity.yaml)\n")
    if not pages:
        return "Sources and new evidence: no page cites a work or is about a condition\n"
    out = ["Sources and new evidence (from `invoke audit`):"]
    for page in pages:
        out.append(f"  {page.path}")
        out += [f"    sources: {s}" for s in page.sources]
        out += [f"    new since review: {i.text} {i.url}" for i in page.new]
        if page.note:
            out.append(f"    {page.note}")
    return "\n".join(out) + "\n"


def as_html(pages: list[PageFindings], data: IntegrityData) -> str:
    if data.missing or not pages:
        return f"<h2>Sources and new evidence</h2>\n<p>{html.escape(as_text(pages, data))}</p>\n"
    parts = ["<h2>Sources and new evidence</h2>"]
    for page in pages:
        items = [f"<li>Sources: {html.escape(s)}</li>" for s in page.sources]
        items += [f'<li>New since review: <a href="{html.escape(i.url)}">{html.escape(i.text)}'
                  "</a></li>" for i in page.new]
        if page.note:
            items.append(f"<li>{html.escape(page.note)}</li>")
        parts.append(f"<h3>{html.escape(page.path)}</h3>\n<ul>{''.join(items)}</ul>")
    return "\n".join(parts) + "\n"
