"""Signal wiring: each Markdown source is linted (raw HTML, claims) and measured
(readability) as it is read; the collect phase checks the files under content/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from plugins.diagnostics import Build, Severity, collect
from plugins.sitedata.facts import known
from plugins.sitedata.loader import load_site_data
from plugins.sources import SourceDocument, source_read

from .claims import lint_claims
from .htmllint import lint_html
from .readability import measure
from .state import PATIENT_AUDIENCES, Editorial, PageRow
from .static import check_files
from .text import without_code
from .visible import data_file_hits, data_files, front_matter_hits

CITED_KEY = re.compile(r"(?<![\w@])@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*?)(?=[\s;,\]]|$)")
CITATION = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
FOOTER_FACTS = (("contact", "phone"), ("contact", "email"), ("contact", "address"),
                ("contact", "hours"), ("state",), ("accreditation",))


def _fact(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def unknown_facts(build: Build, metadata: dict[str, Any]) -> int:
    """Facts the page shows as "to be confirmed": the footer's, and its reviewer's role."""
    pharmacy = build.state(load_site_data).values.get("PHARMACY") or {}
    count = sum(not known(_fact(pharmacy, path)) for path in FOOTER_FACTS)
    review = metadata.get("review")
    if review is not None and getattr(review, "reviewer_name", None) is None:
        count += 1
    return count


def citation_keys(body: str) -> set[str]:
    return {key for group in CITATION.findall(body) for key in CITED_KEY.findall(group)}


def lint_source(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    state = build.state(Editorial.start)
    report = build.report
    body = doc.body
    code_free = without_code(body)
    for finding in lint_html(body, code_free):
        report.error(doc.path, *doc.body_position(finding.offset), finding.code,
                     finding.message, hint=finding.hint)
    hits = [hit for hit in lint_claims(body, severities=state.severities, code_free=code_free)
            if hit.code not in state.off]
    for hit in hits:
        report.add(doc.path, *doc.body_position(hit.offset), hit.code, hit.message,
                   severity=hit.severity, hint=hit.hint)
    front = doc.front_matter
    for offset, hit in front_matter_hits(doc.text, front.data, front.values, state.severities):
        if hit.code not in state.off:
            hits.append(hit)
            report.add(doc.path, *doc.position(offset), hit.code, hit.message,
                       severity=hit.severity, hint=hit.hint)

    if build.settings.get("CHECK_ONLY"):
        measure_page(doc, metadata, build, sum(1 for h in hits if h.code.startswith("claims.")))


def measure_page(doc: SourceDocument, metadata: dict[str, Any], build: Build,
                 lint_hits: int) -> None:
    """Readability, and the page's row of `invoke report`.

    Only `invoke check` and `invoke report` (CHECK_ONLY) measure, which CI and the
    pre-commit hook run; a build does not: textstat costs about 0.6 ms a page and half
    a second to load, a tenth of a 1000-article build (docs/performance.md)."""
    state = build.state(Editorial.start)
    report = build.report
    front = doc.front_matter.data
    audience = str(front.get("audience") or "")
    measured = measure(doc.body)
    if audience in PATIENT_AUDIENCES and measured.grade > state.max_grade:
        report.warning(doc.path, *doc.front_matter.value_position("audience"),
                       "readability.grade",
                       f"reading grade {measured.grade:.1f} is above {state.max_grade:g}, "
                       f"the most for a page for {audience}",
                       hint="use shorter sentences and everyday words; put technical "
                       "detail on a page for prescribers")
    review = metadata.get("review")
    conditions = front.get("conditions")
    cited = citation_keys(doc.body) | {c for c in front.get("citations") or []
                                       if isinstance(c, str)}
    state.rows.append(PageRow(
        path=state.relpath(doc.path), title=str(front.get("title") or ""), audience=audience,
        grade=measured.grade, words=measured.words, minutes=measured.minutes,
        citations=len(cited),
        conditions=tuple(str(c) for c in conditions) if isinstance(conditions, list) else (),
        last_reviewed=getattr(review, "last_reviewed", None),
        next_review=getattr(review, "next_review", None),
        overdue=bool(getattr(review, "overdue", False)),
        lint_hits=lint_hits, unknown_facts=unknown_facts(build, metadata)))


def check_content_files(generators: list[Any], build: Build) -> None:
    state = build.state(Editorial.start)
    settings = build.settings
    for setting, message in state.problems:
        build.report.error("pelicanconf.py", 1, 1, "editorial.bad-setting", message,
                           hint=f"fix {setting} in pelicanconf.py")
    for finding in check_files(Path(settings["PATH"]), settings.get("STATIC_PATHS") or [],
                               settings.get("IGNORE_FILES") or []):
        build.report.add(finding.path, 1, 1, finding.code, finding.message,
                         severity=Severity.ERROR, hint=finding.hint)
    lint_data_files(build, state)


def lint_data_files(build: Build, state: Editorial) -> None:
    """Claims in the data files' text: what the condition pages, evidence tables and
    people pages show."""
    for path in data_files(build.settings):
        text, hits = data_file_hits(path, state.severities)
        for offset, hit in hits:
            if hit.code in state.off:
                continue
            line = text.count("\n", 0, offset) + 1
            col = offset - (text.rfind("\n", 0, offset) + 1) + 1
            build.report.add(path, line, col, hit.code, hit.message, severity=hit.severity,
                             hint=hit.hint)


def register() -> None:
    source_read.connect(lint_source)
    collect.connect(check_content_files)
