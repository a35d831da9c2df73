"""Changes the site after Pelican wrote it, as a later step could: a word is added to the
main text of a page that was already sent for indexing, and a page is written that Pelican
never announced (no content_written). The search index must hold both."""

import re
from pathlib import Path

from pelican import signals

CHANGED = "first-article/index.html"
CHANGED_WORD = "zebrafinch"
UNANNOUNCED = "unannounced/index.html"
UNANNOUNCED_WORD = "quokkaland"


def _with_word(html: str, word: str) -> str:
    return re.sub(r"(<[^>]* data-pagefind-body[^>]*>)", rf"\1<p>{word}</p>", html, count=1)


def change_pages(pelican) -> None:
    site = Path(pelican.output_path)
    page = site / CHANGED
    html = page.read_text(encoding="utf-8")
    page.write_text(_with_word(html, CHANGED_WORD), encoding="utf-8")
    late = site / UNANNOUNCED
    late.parent.mkdir()
    late.write_text(_with_word(html, UNANNOUNCED_WORD), encoding="utf-8")


def register() -> None:
    signals.finalized.connect(change_pages)
