"""``invoke audit``: check every bibliography entry with a DOI or PMID against Crossref
and PubMed, search for new evidence per condition, and write the integrity data file.

    python -m plugins.integrity.audit [-s pelicanconf.py] [content] [--summary changes.md]

Nothing is written unless every request succeeded: a failure prints one message and
leaves the file exactly as it was. The file is replaced in one step, and only if its
text changed. What changed is printed in words (and, with --summary, written as
Markdown for the weekly pull request).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.citations.bibliography import Bibliography, bibliography_paths, load_files
from plugins.citations.settings import PREFIX as CITATIONS
from plugins.citations.settings import CitationSettings
from plugins.conditions.registry import load_registry
from plugins.conditions.settings import ConditionSettings
from plugins.diagnostics.settings import read_declared
from plugins.frontmatter.schema import as_date
from plugins.sources.document import parse_source
from plugins.sources.yamldoc import SourceError

from .data import (
    IntegrityData,
    Search,
    Work,
    data_path,
    load,
    with_acknowledgements,
)
from .fetch import AuditError, Http, services
from .marks import notice_words
from .search import NCT, Searcher
from .sources import check_crossref, check_pubmed, merge
from .store import dump, write_atomically


def identified(bibliography: Bibliography) -> list[tuple[str, str, str]]:
    """(key, DOI, PMID) of each entry with either, in key order."""
    found = []
    for key, entry in sorted(bibliography.entries.items()):
        doi = str(entry.csl.get("DOI") or "").strip()
        pmid = str(entry.csl.get("PMID") or entry.fields.get("pmid") or "").strip()
        if doi or pmid:
            found.append((key, doi, pmid))
    return found


def earliest_reviews(settings: dict[str, Any], registry: Any) -> dict[str, datetime.date]:
    """For each condition, the earliest last_reviewed among the articles about it."""
    content = Path(settings.get("PATH") or "content")
    earliest: dict[str, datetime.date] = {}
    for folder in settings.get("ARTICLE_PATHS") or ["articles"]:
        for path in sorted((content / folder).rglob("*.md")):
            try:
                data = parse_source(path, path.read_bytes()).front_matter.data
            except (SourceError, OSError):
                continue  # the build reports it
            names = data.get("conditions") or []
            reviewed = as_date(data.get("last_reviewed"))
            if reviewed is None:
                continue
            for name in [names] if isinstance(names, str) else names:
                condition = registry.resolve(str(name))
                if condition is not None:
                    slug = condition.slug
                    earliest[slug] = min(earliest.get(slug, reviewed), reviewed)
    return earliest


def describe_notice(key: str, work: Work) -> str:
    return f"`{key}`: {notice_words(work)}; the work is now marked {work.status}"


def changes(old: IntegrityData, new: IntegrityData) -> list[str]:
    """Each difference that matters to an editor, in words."""
    return work_changes(old, new) + search_changes(old, new)


def work_changes(old: IntegrityData, new: IntegrityData) -> list[str]:
    said = []
    for key, work in sorted(new.works.items()):
        before = old.works.get(key)
        if before is None and work.status == "ok":
            continue  # a first clean check is counted below, not listed
        if before is None or set(before.notices) != set(work.notices):
            if work.status == "ok":
                said.append(f"`{key}`: no notice any longer")
            else:
                said.append(describe_notice(key, work))
            if before is not None and before.acknowledged:
                said.append(f"`{key}`: its acknowledgement (\u201c{before.acknowledged}\u201d) "
                            "was given for other notices and was removed: read the new one, "
                            "then acknowledge it again if the page still cites the work")
    first = sum(1 for key in new.works if key not in old.works)
    if first:
        said.append(f"{first} work{'s' * (first != 1)} checked for the first time")
    said += [f"`{key}`: no longer in the bibliography; its record was removed"
             for key in sorted(set(old.works) - set(new.works))]
    return said


def search_changes(old: IntegrityData, new: IntegrityData) -> list[str]:
    said = []
    for slug, search in sorted(new.searches.items()):
        before = old.searches.get(slug)
        known = {a.pmid for a in before.articles} if before else set()
        seen = {t.nct: t for t in before.trials} if before else {}
        for article in search.articles:
            if article.pmid not in known:
                said.append(f"{slug}: new PubMed record PMID {article.pmid}, "
                            f"\u201c{article.title}\u201d ({article.year or 'no year'})")
        for trial in search.trials:
            if trial.nct not in seen:
                said.append(f"{slug}: new or updated trial {trial.nct}, \u201c{trial.title}\u201d "
                            f"({trial.status or 'status not given'})")
            elif seen[trial.nct].status != trial.status:
                said.append(f"{slug}: trial {trial.nct} changed status from "
                            f"{seen[trial.nct].status} to {trial.status}")
    return said


@dataclass
class Outcome:
    data: IntegrityData
    changes: list[str]
    written: bool
    notes: list[str]
    requests: int
    seconds: float


def check_works(http: Http, svc: dict[str, Any], entries: Iterable[tuple[str, str, str]],
                old: IntegrityData, today: str, notes: list[str]) -> dict[str, Work]:
    entries = list(entries)
    pubmed = check_pubmed(http, svc["pubmed"], sorted({p for _, _, p in entries if p}))
    works: dict[str, Work] = {}
    for key, doi, pmid in entries:
        crossref = check_crossref(http, svc["crossref"], doi) if doi else None
        if doi and crossref is None:
            notes.append(f"{key}: Crossref has no record of doi:{doi} (check it for a typo; "
                         "a DataCite DOI is not in Crossref)")
        if pmid and pmid not in pubmed:
            notes.append(f"{key}: PubMed has no record with PMID {pmid}; check it for a typo")
        if crossref is None and (not pmid or pmid not in pubmed):
            if key in old.works:
                works[key] = old.works[key]  # nothing answered for it: the last check stands
            continue
        works[key] = Work(key, today, doi, pmid,
                          merge(crossref or [], pubmed.get(pmid, []) if pmid else []))
    return works


def run(settings: dict[str, Any], *, today: datetime.date | None = None,
        http: Http | None = None, intervals: dict[str, float] | None = None,
        dry_run: bool = False) -> Outcome:
    """The whole audit; an AuditError (nothing written) on the first failure."""
    started = time.perf_counter()
    today = today or datetime.date.today()
    path = data_path(settings)
    old, problems = load(path)
    if problems:
        first = problems[0]
        raise AuditError(f"{path}:{first.line}:{first.col}: {first.message}; fix it "
                         "first (the audit keeps its acknowledged: reasons); nothing was changed")
    files = read_declared(CitationSettings, settings, CITATIONS).bibliography
    bibliography = load_files(bibliography_paths(settings.get("PATH") or "content", files))
    registry, _ = load_registry(Path(settings.get("PATH") or "content")
                                / read_declared(ConditionSettings, settings).conditions_registry)
    entries = identified(bibliography)
    cited_pmids = frozenset(p for _, _, p in entries if p)
    cited_ncts = frozenset(n for entry in bibliography.entries.values()
                           for value in (*entry.fields.values(), *map(str, entry.csl.values()))
                           for n in NCT.findall(str(value)))
    svc = services(intervals)
    notes: list[str] = []
    http = http or Http()
    with http:
        works = check_works(http, svc, entries, old, today.isoformat(), notes)
        searcher = Searcher(http, svc["pubmed"], svc["clinicaltrials"], today, cited_pmids,
                            cited_ncts, notes)
        searches: dict[str, Search] = {}
        for slug, since in sorted(earliest_reviews(settings, registry).items()):
            condition = registry.get(slug)
            if condition is not None:
                searches[slug] = searcher.search(condition, since, old.searches.get(slug))
    new = with_acknowledgements(IntegrityData(works, searches, path), old)
    written = False if dry_run else write_atomically(path, dump(new))
    return Outcome(new, changes(old, new), written, notes, http.requests,
                   time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("path", nargs="?", help="content folder (default: the settings' PATH)")
    parser.add_argument("--summary", type=Path, help="also write the changes as Markdown here")
    parser.add_argument("--deadline", type=float, default=600.0,
                        help="seconds for the whole run (default 600)")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds for one request (default 20)")
    parser.add_argument("--dry-run", action="store_true", help="print the changes only")
    args = parser.parse_args(argv)
    from pelican.settings import read_settings  # noqa: PLC0415 - only the CLI needs Pelican

    settings = read_settings(args.settings, override={"PATH": args.path} if args.path else None)
    try:
        outcome = run(settings, http=Http(deadline=args.deadline, timeout=args.timeout),
                      dry_run=args.dry_run)
    except AuditError as err:
        sys.stderr.write(f"invoke audit: {err}\n")
        return 1
    for note in outcome.notes:
        sys.stderr.write(f"invoke audit: note: {note}\n")
    counts = {s: sum(1 for w in outcome.data.works.values() if w.status == s)
              for s in ("retracted", "concern", "corrected", "ok")}
    found = sum(len(s.articles) + len(s.trials) for s in outcome.data.searches.values())
    summary = (f"checked {len(outcome.data.works)} works ({counts['retracted']} retracted, "
               f"{counts['concern']} with an expression of concern, {counts['corrected']} "
               f"corrected); {found} new records for {len(outcome.data.searches)} conditions; "
               f"{outcome.requests} requests in {outcome.seconds:.1f} s")
    relative = outcome.data.path
    sys.stdout.write("".join(f"- {line}\n" for line in outcome.changes) or "no change\n")
    sys.stdout.write(f"{summary}; {relative} "
                     f"{'rewritten' if outcome.written else 'unchanged'}\n")
    if args.summary:
        body = "".join(f"- {line}\n" for line in outcome.changes) or "- no change\n"
        args.summary.write_text(f"{body}\n{summary}.\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
