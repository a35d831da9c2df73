"""The evidence stage of the page pipeline, the records' site check, and the tables' HTML.

The stage checks each page's ``!evidence`` directives and turns them into tables (put in
after Markdown and typogrify, by ``put_tables``), and warns of citations of studies about
other conditions and links to a condition without a page of its own; the site check
checks the records' keys and hands every work's label to the reference lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plugins.citations.state import Citations
from plugins.conditions.records import common_noun
from plugins.diagnostics import Build, Finding, Severity
from plugins.diagnostics.settings import diagnostics_settings
from plugins.sources import SourceDocument
from plugins.sources.spans import holds, line_col

from .directive import caption, directive_spans, find_directives, select
from .state import Evidence, check_keys
from .table import table

if TYPE_CHECKING:
    from plugins.pipeline.page import Page

# A table's place in the Markdown: a paragraph of its own holding control characters that
# neither Markdown nor typogrify touch (as plugins/citations/placeholders.py explains),
# in a range the citations' placeholders do not use.
START, END = "\x0e\x1a", "\x0f"
TOKEN = re.compile("<p>\x0e\x1a([0-9]+)\x0f</p>")


# A site-relative link to a condition's own address, as editors write it in Markdown.
CONDITION_LINK = re.compile(r"(?<![\w/.-])/conditions/([a-z0-9-]+)/")


def prepare(build: Build) -> None:
    """Before any page is read: the registry's conditions that no record shows tested
    marked so (their records are what the conditions stage gives a page)."""
    build.state(Evidence).mark_untested()


def read_page(page: Page, build: Build) -> list[Finding]:
    """The page's ``!evidence`` tables, citations of works about other conditions, and
    links to a condition that has no page of its own."""
    evidence = build.state(Evidence)
    doc = page.source
    findings: list[Finding] = []
    if holds(doc.body, "!evidence"):
        findings += tables(page, build, evidence)
    if page.conditions and "[" in doc.body:
        findings += misplaced(page, evidence)
    if "/conditions/" in doc.body and evidence.mark_untested():
        findings += retired_links(doc, evidence)
    return findings


def retired_links(doc: SourceDocument, evidence: Evidence) -> list[Finding]:
    """A link to the old address of a condition that has no page of its own. It still
    works (a redirect page), but visitors should land on the shared page directly."""
    untested = set(evidence.mark_untested())
    shared = evidence.registry.untested_url
    return [Finding.at(
        doc.body_position(match.start()), "evidence.retired-condition-link",
        f"'/conditions/{slug}/' is not a page: no study record in studies.yaml "
        f"shows LDN tested in '{slug}', so it is a section of '/{shared}'",
        hint=f"link '/{shared}#{slug}' instead", severity=Severity.WARNING)
        for match in CONDITION_LINK.finditer(doc.body)
        if (slug := match.group(1)) in untested]


def tables(page: Page, build: Build, evidence: Evidence) -> list[Finding]:
    """Check each directive; outside CHECK_ONLY, put a placeholder where its table goes."""
    doc = page.source
    directives, problems = find_directives(doc.body, evidence.resolve, evidence.registry.names,
                                           page.spans)
    # The registry's own error is reported once, in conditions.yaml.
    findings = doc.in_body([p for p in problems if not (
        p.code == "evidence.unknown-condition" and evidence.registry.broken)])
    if not directives or build.state(diagnostics_settings).check_only:
        return findings
    markdown = page.body
    siteurl = build.settings.get("SITEURL", "")
    html: list[str] = []
    works = evidence.works.values()
    for directive in directives:
        chosen = select(works, directive)
        # A directive with an error of its own is empty because of that error: say it once.
        faulty = any(p.line == line_col(doc.body, directive.start)[0] for p in problems)
        if not chosen and not faulty and not evidence.unreadable:
            findings.append(Finding.at(
                doc.body_position(directive.start), "evidence.empty-table",
                "this evidence table lists no study",
                hint="check its conditions= and designs=, or add records to studies.yaml",
                severity=Severity.WARNING))
        # In a caption's running text: "reviews of LDN in fibromyalgia", not "Fibromyalgia".
        names = [common_noun(link[0]) for link in map(evidence.condition_link,
                                                       directive.conditions) if link]
        html.append(table(chosen, caption(directive, names), evidence.condition_link, siteurl))
    # Citations leave directive lines as written, so their Markdown has the same ones, in
    # the same order; each is replaced where it stands, never a copy in code before it.
    spans = directive_spans(markdown)
    for number, (start, end) in reversed(list(enumerate(spans[:len(html)]))):
        markdown = f"{markdown[:start]}\n{START}{number}{END}\n{markdown[end:]}"
    page.markdown = markdown
    page.tables = html
    page.metadata["evidence_tables"] = True  # the theme then loads evidence.css
    return findings


def misplaced(page: Page, evidence: Evidence) -> list[Finding]:
    """A page about some conditions citing a work whose record names only others. A
    narrative review is background, cited for its ideas, so it is not checked."""
    if not evidence.studies:
        return []
    doc = page.source
    own = {c.slug for c in page.conditions}
    citations, _ = page.citations
    warned: set[str] = set()
    findings = []
    for citation in citations:
        for item in citation.items:
            study = evidence.studies.get(item.key)
            if (study is None or not study.conditions or own & set(study.conditions)
                    or item.key in warned
                    or (study.design and study.design.slug == "narrative-review")):
                continue
            warned.add(item.key)
            names = ", ".join(study.conditions)
            findings.append(Finding.at(
                doc.body_position(item.offset), "evidence.misplaced-citation",
                f"'{item.key}' is a study of {names}, none of this page's conditions",
                hint="check that the citation is the one meant, or add the condition to "
                     "the page's conditions: (or to the record in studies.yaml)",
                severity=Severity.WARNING))
    return findings


def check_records(pages: list[Page], generators: list[Any], build: Build) -> None:
    """Records for unknown keys; then every reference list's labels."""
    evidence = build.state(Evidence)
    citations = build.state(Citations)
    entries = citations.bibliography.entries
    build.report.extend(evidence.path, check_keys(evidence, entries))
    citations.annotations.update(evidence.labels())


def put_tables(html: str, tables: Sequence[str]) -> str:
    """``html`` with each table's placeholder replaced by the table."""
    return TOKEN.sub(lambda m: tables[int(m.group(1))], html)
