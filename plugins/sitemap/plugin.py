"""Signal wiring: each page Pelican writes is queued in the run's Build, while the site is
ready to launch (plugins/sitedata: a preview has no sitemap); the sitemap's generator,
after every other generator (it comes after them in PLUGINS), lists them.

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
from plugins.sitedata.launch import readiness

from .settings import sitemap_settings
from .write import PageEntry, write_sitemap


@dataclass
class Queue:
    """The pages written so far in this run (``build.state(Queue)``)."""

    build: Build
    pages: list[PageEntry] = field(default_factory=list)


def queue_page(path: str, context: dict[str, Any]) -> None:
    """A written page, queued while the site is ready to launch: a preview has none."""
    build = context.get(BUILD)
    if build is not None and build.state(readiness).ready:
        build.state(Queue).pages.append(
            PageEntry(path, context.get("article") or context.get("page")))


class SitemapGenerator(Generator):
    def generate_context(self) -> None:
        """Nothing to read: the sitemap lists what the other generators write."""

    def generate_output(self, writer: Any) -> None:
        build = self.context.get(BUILD)
        pages = build.state(Queue).pages if build is not None else []
        if pages:  # none queued (a preview): no sitemap.xml at all, not an empty one
            write_sitemap(Path(self.output_path), pages, build.state(sitemap_settings).sitemap,
                          str(self.settings.get("SITEURL") or ""))


def add_generator(pelican: Any) -> type[SitemapGenerator]:
    return SitemapGenerator


def register() -> None:
    signals.get_generators.connect(add_generator)
    signals.content_written.connect(queue_page)
