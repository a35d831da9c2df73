"""pelican-sitemap, gated by launch readiness: a preview site has no sitemap.xml.

Its one generator is connected here rather than listed in PLUGINS: a written page is
queued only when the build's readiness says the site is ready, and a build that queued
none writes no sitemap at all (the plugin would write an empty one).
"""

from __future__ import annotations

from typing import Any

from pelican.plugins.sitemap.sitemap import generator as sitemap

from plugins.diagnostics.build import BUILD

from .launch import readiness


def queue_if_ready(path: str, context: dict[str, Any]) -> None:
    build = context.get(BUILD)
    if build is not None and build.state(readiness).ready:
        sitemap.queue_page(path, context)


def write_if_any(pelican: Any) -> None:
    if sitemap.page_queue:
        sitemap.finalize(pelican)
