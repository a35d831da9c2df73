"""Signal wiring: each page Pelican writes is queued in the run's Build; the sitemap's
generator, after every other generator (it comes after them in PLUGINS), lists them.

It writes what pelican-sitemap 1.2 wrote for our settings (``SITEMAP``: format xml,
exclude, priorities, changefreqs), with one difference that is the reason for it: every
value is XML-escaped. pelican-sitemap formats URLs into the XML as they are, so markup in
an address (a slug, a URL pattern in the settings) became markup in sitemap.xml. Page
addresses are validated (plugins/frontmatter/addresses.py); this holds whatever gets past.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from plugins.diagnostics import BUILD, Build

from .write import PageEntry, write_sitemap


@dataclass
class Queue:
    """The pages written so far in this run (``build.state(Queue)``)."""

    build: Build
    pages: list[PageEntry] = field(default_factory=list)


def queue_page(path: str, context: dict[str, Any]) -> None:
    build = context.get(BUILD)
    if build is not None:
        build.state(Queue).pages.append(
            PageEntry(path, context.get("article") or context.get("page")))


class SitemapGenerator(Generator):
    def generate_context(self) -> None:
        """Nothing to read: the sitemap lists what the other generators write."""

    def generate_output(self, writer: Any) -> None:
        build = self.context.get(BUILD)
        if build is not None:
            write_sitemap(Path(self.output_path), build.state(Queue).pages, self.settings)


def add_generator(pelican: Any) -> type[SitemapGenerator]:
    return SitemapGenerator


def register() -> None:
    signals.get_generators.connect(add_generator)
    signals.content_written.connect(queue_page)
