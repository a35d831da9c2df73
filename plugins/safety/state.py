"""The safety blocks, loaded data of the build: read, checked and linted once, and each
block's HTML made once (a page's placed blocks are on its Page: plugins/pipeline)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from plugins.citations.check import Use
from plugins.citations.settings import citation_settings
from plugins.citations.state import Citations
from plugins.diagnostics import Build
from plugins.editorial.stage import lint_document
from plugins.pipeline.page import Page
from plugins.sanitise.clean import sanitise
from plugins.sanitise.stage import report as report_unsafe
from plugins.sources.tree import is_linked

from .blocks import Block, parse_block
from .render import block_html
from .settings import safety_settings

# The content folder, resolved, and each kind's folders (PAGE_PATHS, ARTICLE_PATHS) as
# path parts: what a page's kind is read against (stage.kind_of).
Folders = tuple[Path, tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]]


@dataclass
class Safety:
    """The build's safety blocks (``build.state(Safety)``), read on first use."""

    build: Build
    # Each block's lint (its findings reported at its own lines): its links outside
    # content/ and its row of `invoke report` join the pages' (editorial).
    linted: list[Page] = field(default_factory=list)
    _html: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return Path(self.build.settings["PATH"]) / self.build.state(safety_settings).path

    @cached_property
    def folders(self) -> Folders:
        """Worked out once a build, not once a page (resolving is a system call a folder)."""
        settings = self.build.settings
        return (Path(settings["PATH"]).resolve(),
                tuple((kind, tuple(Path(folder).parts for folder in settings.get(name) or []))
                      for kind, name in (("pages", "PAGE_PATHS"), ("articles", "ARTICLE_PATHS"))))

    @cached_property
    def blocks(self) -> dict[str, Block]:
        """Every block under the folder; its problems reported once, its citations counted
        once, at the block's own lines (an unknown key is one error, not one a page)."""
        blocks: dict[str, Block] = {}
        if not self.folder.is_dir() or is_linked(self.folder, self.build.settings["PATH"]):
            return blocks  # a link is never read: static.symlink reports it
        citations = self.build.state(Citations)
        entries = citations.bibliography.entries
        for path in sorted(self.folder.glob("*.md")):
            if is_linked(path, self.build.settings["PATH"]) or not path.is_file():
                continue  # a link is reported as static.symlink; a folder is no block
            block, findings = parse_block(path, path.read_bytes())
            self.build.report.extend(path, findings)
            if block is None:
                continue
            blocks[block.name] = block
            # Linted like any page: claims, raw HTML and (in `invoke check`) its grade.
            found, outside, row = lint_document(block.doc, self.build,
                                               citations=block.citations)
            self.build.report.extend(path, found)
            self.linted.append(Page(str(path), None, {}, outside=outside, row=row))
            citations.uses.add((Use(item.key, path, *block.doc.body_position(item.offset))
                                for citation in block.citations for item in citation.items),
                               entries)
        return blocks

    def html(self, name: str) -> str:
        """The block's callout, made on first use (not in CHECK_ONLY, which writes nothing)."""
        found = self._html.get(name)
        if found is None:
            mode = self.build.state(Citations).formatter.mode
            made = block_html(self.blocks[name], self.build.settings, mode,
                              self.build.state(citation_settings).notes_after_punctuation)
            # Checked once, at the block's own file: every page then carries what the
            # sanitiser kept, and no page repeats the block's error as its own.
            result = sanitise(made)
            if result.changed:
                report_unsafe(self.build, self.blocks[name].path, "body", made,
                              "the safety block's")
            found = self._html[name] = result.html if result.changed else made
        return found
