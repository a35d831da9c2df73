"""Signal wiring: records loaded once per build; each page's table directives checked and
turned into tables; the records' checks in the collect phase; the labels handed to the
citations plugin's reference lists; the tables put into the converted pages."""

from __future__ import annotations

import re
from typing import Any

from pelican import signals

from plugins.citations.state import Citations
from plugins.citations.syntax import scan
from plugins.conditions.registry import common_noun
from plugins.diagnostics import BUILD, Build, build_of, collect
from plugins.sources import SourceDocument, source_read
from plugins.sources.spans import line_col

from .directive import caption, directive_spans, find_directives, select
from .state import Evidence, check_keys
from .table import table

# A table's place in the Markdown: a paragraph of its own holding control characters that
# neither Markdown nor typogrify touch (as plugins/citations/placeholders.py explains),
# in a range the citations' placeholders do not use.
START, END = "\x0e\x1a", "\x0f"
TOKEN = re.compile("<p>\x0e\x1a([0-9]+)\x0f</p>")


def add_to_context(generator: Any) -> None:
    """Templates, the conditions generator and the JSON-LD read the records as EVIDENCE."""
    build = build_of(generator.context, generator.settings)
    evidence = build.state(Evidence)
    generator.context["EVIDENCE"] = evidence
    # Before any page is read, so that each page's conditions are the marked records.
    evidence.mark_untested()


# A site-relative link to a condition's own address, as editors write it in Markdown.
CONDITION_LINK = re.compile(r"(?<![\w/.-])/conditions/([a-z0-9-]+)/")


def read_page(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    evidence = build.state(Evidence)
    if "!evidence" in doc.body:
        tables(doc, metadata, build, evidence)
    if metadata.get("condition_records") and "[" in doc.body:
        misplaced(doc, metadata, build, evidence)
    if "/conditions/" in doc.body and evidence.mark_untested():
        retired_links(doc, build, evidence)


def retired_links(doc: SourceDocument, build: Build, evidence: Evidence) -> None:
    """A link to the old address of a condition that has no page of its own. It still
    works (a redirect page), but visitors should land on the shared page directly."""
    untested = set(evidence.mark_untested())
    shared = evidence.registry.untested_url
    for match in CONDITION_LINK.finditer(doc.body):
        slug = match.group(1)
        if slug in untested:
            build.report.warning(
                doc.path, *doc.body_position(match.start()),
                "evidence.retired-condition-link",
                f"'/conditions/{slug}/' is not a page: no study record in studies.yaml "
                f"shows LDN tested in '{slug}', so it is a section of '/{shared}'",
                hint=f"link '/{shared}#{slug}' instead")


def tables(doc: SourceDocument, metadata: dict[str, Any], build: Build,
           evidence: Evidence) -> None:
    """Check each directive; outside CHECK_ONLY, put a placeholder where its table goes."""
    directives, problems = find_directives(doc.body, evidence.resolve, evidence.registry.names)
    # With a broken registry, its own error is reported once, in conditions.yaml.
    build.report.extend(doc.path, doc.in_body(
        p for p in problems
        if not (p.code == "evidence.unknown-condition" and evidence.registry.broken)))
    if not directives or build.settings.get("CHECK_ONLY"):
        return
    markdown = doc.body if doc.markdown is None else doc.markdown
    siteurl = build.settings.get("SITEURL", "")
    html: list[str] = []
    works = evidence.works.values()
    for directive in directives:
        chosen = select(works, directive)
        # A directive with an error of its own is empty because of that error: say it once.
        faulty = any(p.line == line_col(doc.body, directive.start)[0] for p in problems)
        if not chosen and not faulty and not evidence.unreadable:
            build.report.warning(doc.path, *doc.body_position(directive.start),
                                 "evidence.empty-table", "this evidence table lists no study",
                                 hint="check its conditions= and designs=, or add records "
                                 "to studies.yaml")
        # In a caption's running text: "reviews of LDN in fibromyalgia", not "Fibromyalgia".
        names = [common_noun(link[0]) for link in map(evidence.condition_link,
                                                       directive.conditions) if link]
        html.append(table(chosen, caption(directive, names), evidence.condition_link, siteurl))
    # Citations leave directive lines as written, so their Markdown has the same ones, in
    # the same order; each is replaced where it stands, never a copy in code before it.
    spans = directive_spans(markdown)
    for number, (start, end) in reversed(list(enumerate(spans[:len(html)]))):
        markdown = f"{markdown[:start]}\n{START}{number}{END}\n{markdown[end:]}"
    doc.markdown = markdown
    evidence.tables[str(doc.path)] = html
    metadata["evidence_tables"] = True  # the theme then loads evidence.css


def misplaced(doc: SourceDocument, metadata: dict[str, Any], build: Build,
              evidence: Evidence) -> None:
    """A page about some conditions citing a work whose record names only others. A
    narrative review is background, cited for its ideas, so it is not checked."""
    if not evidence.studies:
        return
    own = {c.slug for c in metadata["condition_records"]}
    citations, _ = scan(doc.body)
    warned: set[str] = set()
    for citation in citations:
        for item in citation.items:
            study = evidence.studies.get(item.key)
            if (study is None or not study.conditions or own & set(study.conditions)
                    or item.key in warned
                    or (study.design and study.design.slug == "narrative-review")):
                continue
            warned.add(item.key)
            names = ", ".join(study.conditions)
            build.report.warning(
                doc.path, *doc.body_position(item.offset), "evidence.misplaced-citation",
                f"'{item.key}' is a study of {names}, none of this page's conditions",
                hint="check that the citation is the one meant, or add the condition to "
                     "the page's conditions: (or to the record in studies.yaml)")


def check_records(generators: list[Any], build: Build) -> None:
    """The collect phase: records for unknown keys; then every reference list's labels."""
    evidence = build.state(Evidence)
    citations = build.state(Citations)
    entries = citations.bibliography.entries
    build.report.extend(evidence.path, check_keys(evidence, entries))
    citations.annotations.update(evidence.labels())


def insert_tables(content: Any) -> None:
    build = content._context.get(BUILD) if content._context else None
    if build is None:
        return
    html = build.state(Evidence).tables.pop(str(content.source_path), None)
    if html is not None:
        content._content = TOKEN.sub(lambda m: html[int(m.group(1))], content._content)


def register() -> None:
    signals.generator_init.connect(add_to_context)
    source_read.connect(read_page)
    collect.connect(check_records)
    signals.content_object_init.connect(insert_tables)
