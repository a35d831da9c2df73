"""The editorial stage of the page pipeline, and the editorial site check.

The stage lints each Markdown source (raw HTML, links outside content/, claims) and, in
CHECK_ONLY, measures it (readability, the row of `invoke report`); the site check looks
at the files under content/ and the theme (no links; each file what its name says) and
at the claims in the data files.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.citations.syntax import Citation, scan
from plugins.diagnostics import Build, Finding, Severity
from plugins.diagnostics.settings import diagnostics_settings
from plugins.sitedata.facts import known
from plugins.sitedata.loader import load_site_data
from plugins.sources import SourceDocument, spans
from plugins.sources.tree import is_linked

from .claims import lint_claims
from .htmllint import lint_html
from .links import may_link, outside_links
from .readability import measure
from .state import PATIENT_AUDIENCES, Editorial, PageRow
from .static import check_files, check_links, file_finding, under
from .text import without_code
from .visible import data_file_hits, data_files, front_matter_hits

if TYPE_CHECKING:
    from plugins.pipeline.page import Page

FOOTER_FACTS = (("contact", "phone"), ("contact", "email"), ("contact", "address"),
                ("contact", "hours"), ("state",), ("accreditation",))


def _fact(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def unknown_facts(build: Build, review: Any) -> int:
    """Facts the page shows as "to be confirmed": the footer's, and its reviewer's role."""
    pharmacy = build.state(load_site_data).values.get("PHARMACY") or {}
    count = sum(not known(_fact(pharmacy, path)) for path in FOOTER_FACTS)
    if review is not None and getattr(review, "reviewer_name", None) is None:
        count += 1
    return count


def citation_keys(citations: Sequence[Citation]) -> set[str]:
    return {item.key for citation in citations for item in citation.items}


NO_FILES: frozenset[str] = frozenset()  # most pages link no file outside content/: one set


def lint(page: Page, build: Build) -> list[Finding]:
    """The page's raw HTML, its links outside content/ and its claims (body, title and
    summary); in CHECK_ONLY, its readability and its row of `invoke report`."""
    findings, page.outside, page.row = lint_document(
        page.source, build, page.review, page.spans, page.citations.citations)
    return findings


def lint_document(doc: SourceDocument, build: Build, review: Any = None,
                  parsed: spans.Spans | None = None,
                  citations: Sequence[Citation] | None = None,
                  ) -> tuple[list[Finding], frozenset[str], PageRow | None]:
    """A page's or a safety block's lint: findings, the files outside content/ it links,
    and (CHECK_ONLY) its report row. ``parsed`` and ``citations`` are the body's spans
    and citations (a page's: read once for every check); a block's are read here."""
    state = build.state(Editorial.start)
    body = doc.body
    if parsed is None:
        parsed = spans.parse(body)
    if citations is None:
        citations = scan(body, parsed).citations
    code_free = without_code(body, parsed)
    findings = doc.in_body(lint_html(body, code_free))
    outside = []
    if may_link(code_free):  # the page's folder is worked out only then (0.016 ms)
        folder = os.path.relpath(Path(doc.path).parent, build.settings["PATH"])
        for link in outside_links(code_free, Path(folder).as_posix()):
            outside.append(link.target)
            findings.append(Finding.at(
                doc.body_position(link.offset), "static.outside",
                f"{link.text[:80]} names a file outside content/, which is never "
                "published", hint="link to a file under content/images/, e.g. "
                "{static}/images/photo.png"))
    front = doc.front_matter
    hits = [hit for hit in [
        *doc.in_body(lint_claims(body, severities=state.severities, code_free=code_free,
                                 citations=citations, parsed=parsed)),
        *front_matter_hits(doc.text, front.data, front.values, state.severities)]
        if hit.code not in state.off]
    findings += hits
    row = None
    if build.state(diagnostics_settings).check_only:
        row = measure_page(doc, build, review, findings,
                           sum(1 for h in hits if h.code.startswith("claims.")),
                           parsed, citations)
    return findings, frozenset(outside) if outside else NO_FILES, row


def measure_page(doc: SourceDocument, build: Build, review: Any, findings: list[Finding],
                 lint_hits: int, parsed: spans.Spans, citations: Sequence[Citation],
                 ) -> PageRow:
    """Readability (a finding when too hard), and the page's row of `invoke report`.

    Only `invoke check` and `invoke report` (CHECK_ONLY) measure, which CI and the
    pre-commit hook run; a build does not: textstat costs about 0.6 ms a page and half
    a second to load, a tenth of a 1000-article build (docs/performance.md)."""
    state = build.state(Editorial.start)
    front = doc.front_matter.data
    audience = str(front.get("audience") or "")
    measured = measure(doc.body, parsed, citations)
    if audience in PATIENT_AUDIENCES and measured.grade > state.max_grade:
        findings.append(Finding.at(
            doc.front_matter.value_position("audience"), "readability.grade",
            f"reading grade {measured.grade:.1f} is above {state.max_grade:g}, "
            f"the most for a page for {audience}",
            hint="use shorter sentences and everyday words; put technical "
            "detail on a page for prescribers", severity=Severity.WARNING))
    conditions = front.get("conditions")
    cited = citation_keys(citations) | {c for c in front.get("citations") or []
                                       if isinstance(c, str)}
    return PageRow(
        path=state.relpath(doc.path), title=str(front.get("title") or ""), audience=audience,
        grade=measured.grade, words=measured.words, minutes=measured.minutes,
        citations=len(cited),
        conditions=tuple(str(c) for c in conditions) if isinstance(conditions, list) else (),
        last_reviewed=getattr(review, "last_reviewed", None),
        next_review=getattr(review, "next_review", None),
        overdue=bool(getattr(review, "overdue", False)),
        lint_hits=lint_hits, unknown_facts=unknown_facts(build, review))


def check_content_files(pages: list[Page], generators: list[Any], build: Build) -> None:
    """The settings' problems; links and files under content/ and the theme; every
    {static} file a page links; claims in the data files."""
    state = build.state(Editorial.start)
    linked_outside = frozenset().union(*(page.outside for page in pages))
    settings = build.settings
    for setting, message in state.problems:
        build.report.error("pelicanconf.py", 1, 1, "editorial.bad-setting", message,
                           hint=f"fix {setting} in pelicanconf.py")
    content = Path(settings["PATH"])
    ignore = settings.get("IGNORE_FILES") or []
    findings = check_links(content, build.report.root, ignore)
    if settings.get("THEME"):  # the theme may be a shared one, outside the project
        findings += check_links(Path(settings["THEME"]), None, ignore)
    static_paths = settings.get("STATIC_PATHS") or []
    findings += check_files(content, static_paths, ignore)
    for generator in generators:
        for static in getattr(generator, "staticfiles", None) or []:
            # A {static} or {attach} link may name any file; it is reported where it is
            # written when the lint found it there.
            relative = os.path.relpath(static.source_path, content)
            if is_linked(static.source_path, content):
                if posixpath.normpath(relative) not in linked_outside:
                    findings.append(file_finding(
                        Path(static.source_path), "static.outside",
                        "a {static} or {attach} link names this file, which is outside "
                        "content/ (or reached through a link) and is never published",
                        "link only to files under content/images/"))
            elif not under(Path(relative), static_paths):
                findings.append(file_finding(
                    Path(static.source_path), "static.outside",
                    "a {static} or {attach} link names this file, but only files under "
                    f"{', '.join(f'content/{p}/' for p in static_paths)} are published",
                    "move the file there and link to it, e.g. {static}/images/photo.png"))
    build.report.extend("", findings)
    lint_data_files(build, state)


def lint_data_files(build: Build, state: Editorial) -> None:
    """Claims in the data files' text: what the condition pages, evidence tables and
    people pages show."""
    for path in data_files(build):
        if is_linked(path, build.settings["PATH"]):
            continue  # never read through a link: static.symlink reports it
        build.report.extend(path, [hit for hit in data_file_hits(path, state.severities)
                                   if hit.code not in state.off])
