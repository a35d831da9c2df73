"""The integrity stage of the page pipeline and its site check: the build reads the
integrity data file (never the network), marks each work with a notice in every reference
list, and fails on an unacknowledged retraction.

The stage keeps on each page its places citing a flagged work (only those). The site
check: an error at each citation of an unacknowledged retracted work, a warning
per page for a correction or expression of concern, a mark for every flagged work, and,
when INTEGRITY_WARN_STALE is on (`invoke publish`), a warning for checks that are too old
or were never made.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from plugins.citations.bibliography import Entry
from plugins.citations.check import Use
from plugins.citations.stage import all_uses, further_reading_uses
from plugins.citations.state import Citations
from plugins.conditions.stage import registry_of
from plugins.diagnostics import Build, Finding
from plugins.diagnostics.settings import diagnostics_settings
from plugins.frontmatter.schema import as_date
from plugins.pipeline.page import Page, pages_of
from plugins.review.stage import Reviews
from plugins.sources.tree import is_linked

from .data import IntegrityData, Work, age_in_days, data_path, load
from .marks import mark, notice_words
from .settings import integrity_settings


def identifiers(entry: Entry) -> tuple[str, str]:
    doi = str(entry.csl.get("DOI") or "").strip().lower()
    pmid = str(entry.csl.get("PMID") or entry.fields.get("pmid") or "").strip()
    return doi, pmid


def applies(work: Work, entry: Entry) -> bool:
    """Whether the record is about this entry as it is now: a DOI or PMID changed since the
    check makes it a record of another work."""
    return (work.doi.lower(), work.pmid) == identifiers(entry)


@dataclass
class Integrity:
    build: Build
    data: IntegrityData

    @classmethod
    def start(cls, build: Build) -> Integrity:
        path = data_path(build.settings)
        if is_linked(path, build.settings["PATH"]):  # never read: static.symlink reports it
            return cls(build, IntegrityData(path=path, missing=True))
        data, findings = load(path)
        build.report.extend(data.path, findings)
        return cls(build, data)

    @cached_property
    def flagged(self) -> dict[str, Work]:
        """Works with a notice, whose record is about the bibliography's entry as it is."""
        entries = self.build.state(Citations).bibliography.entries
        return {key: work for key, work in self.data.works.items()
                if work.status != "ok" and key in entries and applies(work, entries[key])}


def record_uses(page: Page, build: Build) -> list[Finding]:
    """The page's citations of a flagged work, with their places (the site check reports
    them); in CHECK_ONLY, what `invoke report` lists of the page's sources."""
    doc = page.source
    state = build.state(Integrity.start)
    flagged = state.flagged
    listing = bool(build.state(diagnostics_settings).check_only)  # `invoke check`, `report`
    if not (flagged or listing):
        return []
    citations, _ = page.citations
    items = [item for citation in citations for item in citation.items]
    reading = further_reading_uses(doc)
    page.flagged = [Use(item.key, doc.path, *doc.body_position(item.offset))
                    for item in items if item.key in flagged]
    page.flagged += [use for use in reading if use.key in flagged]
    if listing:
        # Imported here: only `invoke check` and `invoke report` list a page's sources.
        from .report import PageSources  # noqa: PLC0415

        data = doc.front_matter.data
        names = data.get("conditions") or []
        registry = build.state(registry_of)
        slugs = [c.slug for c in map(registry.resolve, [names] if isinstance(names, str)
                                     else [str(n) for n in names]) if c is not None]
        page.sources = PageSources(
            doc.path, tuple([i.key for i in items] + [u.key for u in reading]),
            tuple(dict.fromkeys(slugs)), as_date(data.get("last_reviewed")))
    return []


def check_integrity(pages: list[Page], generators: list[Any], build: Build) -> None:
    """An error at each citation of an unacknowledged retracted work, a warning per page
    for a correction or expression of concern, a mark for every flagged work; with
    INTEGRITY_WARN_STALE, checks too old or never made."""
    state = build.state(Integrity.start)
    citations = build.state(Citations)
    uses: dict[str, list[Use]] = {}
    for page in pages:
        for use in page.flagged:
            uses.setdefault(use.key, []).append(use)
    where = build.report.relpath(state.data.path) if state.data.path else "integrity.yaml"
    for key, work in state.flagged.items():
        html = mark(work)
        if html is not None:
            citations.marks[key] = html
        if work.acknowledged:
            continue
        how = f'add acknowledged: "<reason>" under {key} in {where}'
        if work.status == "retracted":
            for use in uses.get(key, []):
                build.report.error(
                    use.path, use.line, use.col, "integrity.retracted",
                    f"'{key}' is retracted: {notice_words(work)}",
                    hint=f"cite another source; if the page discusses the retraction, {how}")
            continue
        code = "integrity.correction" if work.status == "corrected" else "integrity.concern"
        seen: set[Path] = set()
        for use in uses.get(key, []):
            if use.path not in seen:
                seen.add(use.path)
                build.report.warning(
                    use.path, use.line, use.col, code, f"'{key}' has {notice_words(work)}",
                    hint=f"check the page against it, then {how} (what you checked); the "
                         "reference list shows the notice either way")
    if build.state(integrity_settings).warn_stale:
        warn_stale(state, all_uses(pages, build).found, build)


def warn_stale(state: Integrity, cited: set[str], build: Build) -> None:
    """Checks older than INTEGRITY_MAX_AGE_DAYS, and cited works never checked."""
    max_age = build.state(integrity_settings).max_age_days
    today = build.state(Reviews.start).today
    entries = build.state(Citations).bibliography.entries
    path = state.data.path or Path("integrity.yaml")
    stale: list[tuple[str, Work]] = []
    never: list[str] = []
    for key in sorted(cited):
        entry = entries.get(key)
        if entry is None or not any(identifiers(entry)):
            continue
        work = state.data.works.get(key)
        if work is None or not applies(work, entry):
            never.append(key)
            continue
        age = age_in_days(work.checked, today)
        if age is None or age > max_age:
            stale.append((key, work))
    if stale:
        key, oldest = min(stale, key=lambda pair: pair[1].checked)
        build.report.warning(
            path, oldest.line, 1, "integrity.stale",
            f"{len(stale)} cited work{'s were' if len(stale) != 1 else ' was'} last checked "
            f"for retractions more than {max_age} days ago (oldest: '{key}', "
            f"{oldest.checked or 'no date'})",
            hint="run `invoke audit`, or merge the weekly audit pull request")
    if never:
        build.report.warning(
            path, 1, 1, "integrity.unchecked",
            f"{len(never)} cited work{'s have' if len(never) != 1 else ' has'} never been "
            f"checked for retractions (or their DOI or PMID changed since): "
            f"{', '.join(never)}",
            hint="run `invoke audit`, or merge the weekly audit pull request")


def report_section(build: Build) -> tuple[str, str]:
    """`invoke report`'s integrity section, as text and as HTML."""
    from .report import as_html, as_text, findings  # noqa: PLC0415 - as record_uses says
    state = build.state(Integrity.start)
    entries = build.state(Citations).bibliography.entries
    checked = {key for key, work in state.data.works.items()
               if key in entries and applies(work, entries[key])}
    checkable = {key for key, entry in entries.items() if any(identifiers(entry))}
    listed = [page.sources for page in build.state(pages_of).values() if page.sources]
    pages = findings(build, listed, state.data, state.flagged, checkable - checked)
    return as_text(pages, state.data), as_html(pages, state.data)
