"""The page pipeline, in order: what happens to every Markdown source, in one file.

1. **Read** (reader.py): the source is parsed once into a ``SourceDocument`` (front-matter
   with positions, the body) and Pelican's metadata; a file that cannot be parsed, or has
   no title, is reported and skipped.
2. **Page stages** (``PAGE_STAGES``, in this order): each ``stage(page, build)`` reads the
   page and the loaded data it declares, writes its own fields of the ``Page``, and
   returns its findings, which are reported against the page's file.
3. **Convert**: Markdown turns ``page.body`` (the stages' rewrite, with a placeholder for
   each citation, safety block and evidence table) into HTML; Pelican typogrifies it.
4. **Render** (``render``): the placeholders are replaced by their HTML, once the content
   object exists, after typogrify, so that neither Markdown nor typogrify sees it.
5. **Site checks** (``SITE_CHECKS``, in this order), once every page is read and before
   any is written: each derives what it needs from all the pages; then the report is
   printed, and the build fails on an error.

The contract (docs/architecture.md): a page's stage results and findings are a function
of its source and of the loaded data its stages read (``LOADED``), nothing else. A stage
never adds to build state: what the site checks need is on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plugins.citations import stage as citations
from plugins.citations.placeholders import insert
from plugins.conditions import stage as conditions
from plugins.deploy import plugin as deploy
from plugins.diagnostics import BUILD, Build, Finding, settle_report
from plugins.editorial import stage as editorial
from plugins.evidence import stage as evidence
from plugins.frontmatter import stage as frontmatter
from plugins.integrity import stage as integrity
from plugins.jsonld import plugin as jsonld
from plugins.review import stage as review
from plugins.safety import stage as safety
from plugins.safety.state import Safety
from plugins.sanitise import stage as sanitise
from plugins.sitedata import launch as sitedata
from plugins.sources import SourceDocument

from .page import Page, SiteCheck, Stage, enabled, pages_of

# The build's loaded data a stage may read: each is loaded once per build, before or as
# the first page needs it, and never changed by a page. A preview caches a page by the
# digests of its source and of the loaded data its stages read.
LOADED = {
    "settings": "the build's settings (pelicanconf.py, with -e overrides)",
    "theme": "the theme's template names (frontmatter: a page's template:)",
    "site_data": "content/pharmacy.yaml: the pharmacy's facts and its people",
    "registry": "content/conditions.yaml: the conditions and their names",
    "bibliography": "CITATIONS_BIBLIOGRAPHY: the entries, and their formatted HTML",
    "safety": "content/safety/*.md: the safety blocks, their citations and HTML",
    "integrity": "content/integrity.yaml: retractions, corrections and concerns",
    "studies": "content/studies.yaml: the evidence records of cited works",
}

PAGE_STAGES: tuple[Stage, ...] = (
    Stage("site-facts", "plugins.sitedata", sitedata.note_source, ("settings",),
          "reads reviewed_by and the privacy page's front-matter; writes page.reviewer, "
          "page.privacy"),
    Stage("schema", "plugins.frontmatter", frontmatter.check, ("settings", "theme"),
          "reads the front-matter; writes page.explicit_address, page.address_refused and "
          "status: skip for a refused address"),
    Stage("conditions", "plugins.conditions", conditions.resolve, ("registry",),
          "reads conditions:; writes page.conditions (condition_records)"),
    Stage("review", "plugins.review", review.review, ("settings", "site_data"),
          "reads the review fields; writes page.review (the review field)"),
    # Before citations: a block's citations are numbered with the page's.
    Stage("safety", "plugins.safety", safety.place, ("settings", "safety", "bibliography"),
          "reads the !safety lines, page.metadata's slug; writes page.kind, page.slug, "
          "page.inclusions (each block's span) and, once citations run, page.blocks"),
    Stage("citations", "plugins.citations", citations.cite, ("settings", "bibliography"),
          "reads page.citations, citations:, page.inclusions; writes page.uses and, "
          "outside CHECK_ONLY, page.markdown, page.pieces, references, further_reading"),
    Stage("integrity", "plugins.integrity", integrity.record_uses,
          ("settings", "integrity", "bibliography", "registry"),
          "reads page.citations, citations:, conditions:; writes page.flagged, "
          "page.sources (CHECK_ONLY)"),
    # After citations (it rewrites their markdown) and conditions (it reads them).
    Stage("evidence", "plugins.evidence", evidence.read_page,
          ("settings", "studies", "registry", "bibliography"),
          "reads the !evidence lines, page.conditions, page.citations, page.markdown; "
          "writes page.markdown, page.tables, evidence_tables"),
    Stage("editorial", "plugins.editorial", editorial.lint, ("settings", "site_data"),
          "reads the body and front-matter, page.review; writes page.outside, "
          "page.row (CHECK_ONLY)"),
    Stage("authors", "plugins.jsonld", jsonld.share_author, ("settings", "site_data"),
          "reads author/authors; writes the shared authors field"),
)


def linted_pages(build: Build, pages: list[Page] | None = None) -> list[Page]:
    """The pages, and the safety blocks' lint (which the editorial checks count as pages:
    their links outside content/, their rows of `invoke report`)."""
    if pages is None:
        pages = list(build.state(pages_of).values())
    if "plugins.safety" in build.state(enabled):
        return [*pages, *build.state(Safety).linted]
    return pages


SITE_CHECKS: tuple[SiteCheck, ...] = (
    # First: its "not ready" errors take back the "not known yet" warnings they replace.
    SiteCheck("launch", "plugins.sitedata", sitedata.check_launch,
              "readiness from page.reviewer and page.privacy; READINESS for the templates"),
    SiteCheck("addresses", "plugins.frontmatter", frontmatter.check_addresses,
              "no two pages, or a page and a file the build writes, share an address"),
    SiteCheck("review", "plugins.review", review.check_registry,
              "conditions.yaml's review: checked as a page's; the condition pages' review line"),
    SiteCheck("safety", "plugins.safety", safety.check_blocks,
              "every page required_on names exists (page.kind, page.slug)"),
    SiteCheck("citations", "plugins.citations", citations.check_citations,
              "bibliography problems, unknown keys and unused entries (page.uses)"),
    # After citations' check, before any reference list is printed: marks each work.
    SiteCheck("integrity", "plugins.integrity", integrity.check_integrity,
              "retracted or corrected works cited (page.flagged); stale checks"),
    SiteCheck("evidence", "plugins.evidence", evidence.check_records,
              "records of unknown keys; every work's label for the reference lists"),
    SiteCheck("editorial", "plugins.editorial",
              lambda pages, generators, build: editorial.check_content_files(
                  linted_pages(build, pages), generators, build),
              "files and links under content/ and the theme (page.outside); data files"),
    SiteCheck("domain", "plugins.deploy", deploy.check_domain, "SITE_CNAME is a domain name"),
    # Last: every page's HTML is final (rendered), and the raw-HTML lint has spoken.
    SiteCheck("sanitise", "plugins.sanitise", sanitise.sanitise_pages,
              "every page's body, summary and title through the sanitiser"),
)


# Loaded data that must be complete before the first page is read, by the plugin whose
# data completes it: the registry's untested conditions come from the study records.
PREPARE = (("plugins.evidence", evidence.prepare),)


def read_page(doc: SourceDocument, metadata: dict[str, Any], build: Build,
              found: Sequence[Finding] = (), source_path: str | None = None) -> Page:
    """The page, after every page stage its plugins turn on; its findings (the reader's
    ``found`` first) reported, and the page kept by source path (Pelican's string, which
    its content object keeps too; a file read again replaces its page)."""
    on = build.state(enabled)
    for plugin, prepare in PREPARE:
        if plugin in on:
            prepare(build)  # once per build in effect: each is made on first use
    page = Page(source_path or str(doc.path), doc, metadata)
    findings = list(found)
    for stage in PAGE_STAGES:
        if stage.plugin in on:
            findings += stage.run(page, build)
    page.findings = tuple(findings)  # most pages have none: the one empty tuple
    build.report.extend(page.path, page.findings)
    build.state(pages_of)[page.path] = page
    return page


def check_site(generators: list[Any], build: Build) -> None:
    """The collect phase: every site check its plugins turn on, in order; then the report
    is printed, and an error fails the build. A build that goes on to write its pages
    drops the page records: nothing reads them once the checks have run (memory)."""
    pages = list(build.state(pages_of).values())
    on = build.state(enabled)
    for site_check in SITE_CHECKS:
        if site_check.plugin in on:
            site_check.run(pages, generators, build)
    settle_report(build)  # a failed build, or one that only checks, stops here
    build.state(pages_of).clear()


def render(content: Any) -> None:
    """The one place rendered pieces go into a page's HTML, after Markdown and typogrify:
    each safety block's callout (whose citations are the page's placeholders), then every
    citation, then every evidence table. The build then drops them: memory."""
    build = _build_of(content)
    page = build.state(pages_of).get(str(getattr(content, "source_path", ""))) if build else None
    if page is None or not (page.blocks or page.pieces or page.tables):
        return
    html = _html(content)
    if page.blocks:
        html = safety.put_blocks(html, page.blocks, build)
    if page.pieces or page.blocks:
        html = insert(html, page.pieces)
    if page.tables:
        html = evidence.put_tables(html, page.tables)
    _set_html(content, html)
    page.blocks, page.pieces, page.tables = (), (), ()


# Pelican typogrifies the reader's HTML after ``read`` returns and hands it straight to
# the content object, whose constructor sends ``content_object_init``: that signal is the
# only hook after typogrify, and a content object offers neither its run's context nor a
# setter for its HTML in public. These three are the one place we touch its private
# attributes (``_context``, ``_content``); the sanitiser's check does the same for its own.
def _build_of(content: Any) -> Build | None:
    context = getattr(content, "_context", None)
    return context.get(BUILD) if context else None


def _html(content: Any) -> str:
    return content._content


def _set_html(content: Any, html: str) -> None:
    content._content = html
