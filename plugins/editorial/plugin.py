"""Signal wiring: each Markdown source is linted (raw HTML, claims) and measured
(readability) as it is read; the collect phase checks the files under content/ and
the theme (no links; each file what its name says)."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

from plugins.citations.syntax import scan
from plugins.diagnostics import Build, collect
from plugins.sitedata.facts import known
from plugins.sitedata.loader import load_site_data
from plugins.sources import SourceDocument, source_read
from plugins.sources.tree import is_linked

from .claims import lint_claims
from .htmllint import lint_html
from .links import outside_links
from .readability import measure
from .state import PATIENT_AUDIENCES, Editorial, PageRow
from .static import check_files, check_links, file_finding, under
from .text import without_code
from .visible import data_file_hits, data_files, front_matter_hits

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
    return {item.key for citation in scan(body).citations for item in citation.items}


def lint_source(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    state = build.state(Editorial.start)
    report = build.report
    body = doc.body
    code_free = without_code(body)
    report.extend(doc.path, doc.in_body(lint_html(body, code_free)))
    folder = os.path.relpath(Path(doc.path).parent, build.settings["PATH"])
    for link in outside_links(code_free, Path(folder).as_posix()):
        state.outside.add(link.target)
        report.error(doc.path, *doc.body_position(link.offset), "static.outside",
                     f"{link.text[:80]} names a file outside content/, which is never "
                     "published", hint="link to a file under content/images/, e.g. "
                     "{static}/images/photo.png")
    front = doc.front_matter
    hits = [hit for hit in [
        *doc.in_body(lint_claims(body, severities=state.severities, code_free=code_free)),
        *front_matter_hits(doc.text, front.data, front.values, state.severities)]
        if hit.code not in state.off]
    report.extend(doc.path, hits)

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
                if posixpath.normpath(relative) not in state.outside:
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
    for path in data_files(build.settings):
        if is_linked(path, build.settings["PATH"]):
            continue  # never read through a link: static.symlink reports it
        build.report.extend(path, [hit for hit in data_file_hits(path, state.severities)
                                   if hit.code not in state.off])


def register() -> None:
    source_read.connect(lint_source)
    collect.connect(check_content_files)
