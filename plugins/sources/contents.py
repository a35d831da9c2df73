"""Every content object the generators keep, once each: the lists Pelican's article and
page generators fill (published, hidden and drafts), named in one place."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations",
                 "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
                 "draft_translations")


def contents(generators: Iterable[Any]) -> Iterator[Any]:
    """Each article and page of every generator, whatever its status, once."""
    seen: set[int] = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or ():
                if id(content) not in seen:
                    seen.add(id(content))
                    yield content
