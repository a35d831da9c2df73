"""Signal wiring: rewrite each HTML file right after Pelican writes it.

Working on the written file covers the Markdown body, the references partial and any
generated page alike, so no content file or template has to remember the attribute.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from .rewrite import add_noopener, file_has_candidates


def rewrite_written(path: str, context: dict[str, Any]) -> None:
    target = Path(path)
    if target.suffix != ".html":
        return
    with target.open("rb") as stream:
        if not file_has_candidates(stream):
            return  # most pages: never held whole in memory (/references/ is megabytes)
    html = target.read_text(encoding="utf-8")
    fixed = add_noopener(html, context.get("SITEURL", ""))
    if fixed != html:
        target.write_text(fixed, encoding="utf-8")


def register() -> None:
    signals.content_written.connect(rewrite_written)
