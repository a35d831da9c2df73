"""Markdown, typogrify, sanitiser and other pure results kept from one preview build to
the next.

All are pure functions of their inputs (Markdown: the text and the settings' extensions,
fixed for the process; typogrify: its arguments and smartypants' attribute setting; the
sanitiser: the text and its allow-list, a module constant; the data files' claims lint:
the text and the severities; a page's relative source path: its text and the working
folder), so unchanged inputs get the very same result back without the work. Only the
preview server installs these; ``invoke build`` and ``invoke publish`` never do.

Entries live for two builds: whatever the last build did not ask for is dropped, so an
editor's old versions of a page do not pile up.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from plugins.diagnostics import Finding
from plugins.sanitise.clean import Sanitised


def _digest(text: str) -> bytes:
    """The key of a text: its digest, so the memo does not keep every source's text."""
    return hashlib.blake2b(text.encode(), digest_size=20).digest()


class TwoGenerations:
    """A dict that forgets what two builds in a row did not ask for."""

    def __init__(self) -> None:
        self.current: dict[Any, Any] = {}
        self.previous: dict[Any, Any] = {}
        self.hits = self.misses = 0
        self.asked: list[Any] = []  # this build's keys, in order (the page cache's)
        self._lock = threading.Lock()

    def new_build(self) -> None:
        with self._lock:
            self.previous, self.current = self.current, {}
            self.hits = self.misses = 0
            self.asked = []

    def keep(self, keys: Any) -> None:
        """Keep these for one more build, as if asked for: a page taken from the page
        cache asks for nothing, and its Markdown must still be here when it is read again."""
        for key in keys:
            if key not in self.current and key in self.previous:
                self.current[key] = self.previous[key]

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        self.asked.append(key)
        found = self.current.get(key)
        if found is None:
            found = self.previous.get(key)
            if found is None:
                self.misses += 1
                found = make()
            else:
                self.hits += 1
            self.current[key] = found
        else:
            self.hits += 1
        return found


class MemoMarkdown:
    """Stands in for a reader's Markdown instance: ``reset().convert(text)`` as before,
    with the side results our reader reads afterwards (the refused attribute lists)."""

    def __init__(self, markdown: Any, memo: TwoGenerations) -> None:
        self._markdown = markdown
        self._memo = memo
        self.attr_list_refused: list[tuple[str, ...]] = []

    def reset(self) -> MemoMarkdown:
        return self

    def convert(self, text: str) -> str:
        def convert() -> tuple[str, tuple[tuple[str, ...], ...]]:
            html = self._markdown.reset().convert(text)
            return html, tuple(getattr(self._markdown, "attr_list_refused", ()))

        html, refused = self._memo.get(("markdown", _digest(text)), convert)
        self.attr_list_refused = list(refused)
        return html

    def __getattr__(self, name: str) -> Any:
        return getattr(self._markdown, name)


def memo_typogrify(typogrify: Callable[..., str], memo: TwoGenerations,
                   attributes: Callable[[], object]) -> Callable[..., str]:
    """typogrify, remembered by its arguments and smartypants' global attribute setting
    (which Pelican sets before each call)."""

    def typogrify_memo(text: str, ignore_tags: Any = None, **kwargs: Any) -> str:
        key = ("typogrify", _digest(text), tuple(ignore_tags or ()),
               tuple(sorted(kwargs.items())), attributes())
        return memo.get(key, lambda: typogrify(text, ignore_tags, **kwargs))

    typogrify_memo.original = typogrify  # type: ignore[attr-defined]
    return typogrify_memo


def memo_sanitise(sanitise: Callable[[str], Sanitised],
                  memo: TwoGenerations) -> Callable[[str], Sanitised]:
    """The site check's ``sanitise`` (plugins/sanitise/stage.py), remembered by its text.

    That check keeps a page's HTML as it is unless the sanitiser changed it, so for an
    unchanged text only that answer is kept (the text itself is the HTML kept): not a
    copy of every page's HTML."""

    def sanitise_memo(fragment: str) -> Sanitised:
        def run() -> Sanitised | bool:
            result = sanitise(fragment)
            return result if result.changed else False

        found = memo.get(("sanitise", _digest(fragment)), run)
        return found or Sanitised(fragment, changed=False)

    sanitise_memo.original = sanitise  # type: ignore[attr-defined]
    return sanitise_memo


def memo_relative_source_path(method: Callable[..., str | None],
                              memo: TwoGenerations) -> Callable[..., str | None]:
    """Pelican's ``Content.get_relative_source_path``, remembered: a page's address is worked
    out from it some seven times a build (its URL and save_as, each time asked), and it
    is a function of the source path, the settings' PATH and the working folder
    (``os.path.abspath``'s) alone: paths joined and made relative as text, nothing read."""

    def get_relative_source_path(self: Any, source_path: str | None = None) -> str | None:
        path = source_path or self.source_path
        if path is None:
            return None
        cwd = os.getcwd()  # noqa: PTH109 - the text abspath reads, not a Path made each time
        key = ("relative-source-path", path, self.settings["PATH"], cwd)
        return memo.get(key, lambda: method(self, source_path))

    get_relative_source_path.original = method  # type: ignore[attr-defined]
    return get_relative_source_path


def memo_text_hits(text_hits: Callable[..., list[Finding]],
                   memo: TwoGenerations) -> Callable[..., list[Finding]]:
    """The claims lint of a data file's text (plugins/editorial/visible.py's ``text_hits``),
    remembered by the text and the severities: its rules are module constants."""

    def text_hits_memo(text: str, severities: Mapping[str, str] | None = None
                       ) -> list[Finding]:
        key = ("data-file-hits", _digest(text), tuple(sorted((severities or {}).items())))
        return list(memo.get(key, lambda: tuple(text_hits(text, severities))))

    text_hits_memo.original = text_hits  # type: ignore[attr-defined]
    return text_hits_memo
