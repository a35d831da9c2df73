"""The page record every stage reads and writes, and the records that declare a stage.

A ``Page`` is made once per Markdown source, from its one parse (``SourceDocument``:
front-matter with positions, and the body), and carries each stage's typed result. The
build keeps its pages by source path (``build.state(pages_of)``) until the site checks,
which derive what they need from all of them, have run; then it drops them (a run that
only checks keeps them for its report). See docs/architecture.md for the order and the
contract.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plugins.citations.syntax import Scan, scan
from plugins.diagnostics import Build, Finding
from plugins.sources.spans import Spans, parse

if TYPE_CHECKING:
    from plugins.citations.check import Use
    from plugins.citations.render import Inclusion
    from plugins.citations.stage import PageUses
    from plugins.conditions.records import Condition
    from plugins.editorial.state import PageRow
    from plugins.integrity.report import PageSources
    from plugins.review.model import Review
    from plugins.sources import FrontMatter, SourceDocument


@dataclass(eq=False, slots=True)
class Page:
    """One Markdown source as the stages see it, and what each stage made of it.

    ``doc`` and ``metadata`` are the reading's: once the body is converted the build
    drops them (``release``), keeping only the stage results the site checks and the
    rendering need. A stage writes only its own fields (stages.py names them). Kept for
    every page of the build: slots, and empty tuples until a stage has something to say.
    """

    path: str  # the source path, as Pelican names it (its content object's source_path)
    doc: SourceDocument | None
    metadata: dict[str, Any]  # what Pelican gets: stages add the fields templates read
    kind: str = ""  # "articles" or "pages", by the folder (safety's required_on)
    slug: str = ""
    findings: tuple[Finding, ...] = ()  # the reader's and every stage's, in order
    markdown: str | None = None  # what Markdown converts, when a stage rewrote the body
    # schema (frontmatter): an address of its own; refused: Pelican skips the page
    explicit_address: bool = False  # url: or save_as: given
    address_refused: bool = False
    reviewer: str | None = None  # site facts: the reviewed_by key (not of a draft)
    privacy: FrontMatter | None = None  # site facts: the privacy page's front-matter
    conditions: tuple[Condition, ...] = ()
    review: Review | None = None
    # safety: each placed block (name, its first citation's number), and the spans the
    # citations stage replaces with them
    blocks: Sequence[tuple[str, int]] = ()
    inclusions: Sequence[Inclusion] = ()
    uses: PageUses | None = None  # citations: every key cited, unknown ones with their place
    pieces: Sequence[str] = ()  # citations: each placeholder's HTML
    flagged: Sequence[Use] = ()  # integrity: citing a flagged work
    sources: PageSources | None = None  # integrity, CHECK_ONLY: `invoke report`'s row
    tables: Sequence[str] = ()  # evidence: each table's HTML
    outside: frozenset[str] = frozenset()  # editorial: files outside content/ it links
    row: PageRow | None = None  # editorial, CHECK_ONLY: `invoke report`'s row
    _spans: Spans | None = None
    _scan: Scan | None = None

    @property
    def source(self) -> SourceDocument:
        """The parse, while the page is being read (stages only)."""
        assert self.doc is not None, "a stage ran on a released page"
        return self.doc

    @property
    def spans(self) -> Spans:
        """The body's code blocks, code spans and comments (plugins/sources/spans.py): one
        reading, handed to every check that skips code (citations, the !safety and
        !evidence lines, the editorial lints)."""
        if self._spans is None:
            self._spans = parse(self.source.body)
        return self._spans

    @property
    def citations(self) -> Scan:
        """The body's citation groups and syntax problems: one scan, read by every stage
        that looks at citations (citations, integrity, evidence, the editorial checks)."""
        if self._scan is None:
            body = self.source.body
            self._scan = scan(body, self.spans if "@" in body else None)
        return self._scan

    @property
    def body(self) -> str:
        """What Markdown converts: a stage's rewrite, else the body as written."""
        return self.source.body if self.markdown is None else self.markdown

    def release(self) -> None:
        """Drop the parse once the body is converted: memory for large sites."""
        self.doc = None
        self.metadata = {}
        self.markdown = None
        self._spans = None
        self._scan = None


@dataclass(frozen=True)
class Stage:
    """One step of reading a page: ``run(page, build) -> findings``.

    ``reads`` names the build's loaded data the stage may read (see LOADED in stages.py);
    a stage's results are a function of the page's source and of those alone.
    """

    name: str
    plugin: str  # the PLUGINS entry that turns the stage on
    run: Callable[[Page, Build], list[Finding]]
    reads: tuple[str, ...]
    note: str  # what it reads of the page, and what it writes


@dataclass(frozen=True)
class SiteCheck:
    """One check of the collect phase, once every page is read and before any is written:
    ``run(pages, generators, build)`` reports into ``build.report``."""

    name: str
    plugin: str
    run: Callable[[list[Page], list[Any], Build], None]
    note: str


def pages_of(build: Build) -> dict[str, Page]:
    """The build's pages by source path (``build.state(pages_of)``), in reading order;
    emptied once the site checks have run (stages.check_site)."""
    return {}


def enabled(build: Build) -> frozenset[str]:
    """The plugins PLUGINS lists (``build.state(enabled)``): a stage of another is off."""
    return frozenset(p if isinstance(p, str) else getattr(p, "__name__", "")
                     for p in build.settings.get("PLUGINS") or ())
