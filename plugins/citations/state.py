"""What the citations plugin keeps during one build; it goes when the build ends."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from markupsafe import Markup, escape

from plugins.diagnostics import Build
from plugins.sources.tree import is_linked

from .bibliography import Bibliography, bibliography_paths, load_files
from .check import UseLog
from .formatting import Formatter, make_formatter
from .settings import citation_settings, citation_style


@dataclass
class Citations:
    """The bibliography and formatter, loaded on first use, and the citations of other
    loaded data (a page's own are on its Page: plugins/pipeline)."""

    build: Build  # made as build.state(Citations)
    # The safety blocks' citations, counted once when the blocks are loaded (never a page's).
    uses: UseLog = field(default_factory=UseLog)
    # The one extension point for other plugins: a short text per key (plugins/evidence
    # puts each work's evidence label here), printed with the entry in every reference
    # list, on /references/ and so in the citation preview. Filled before pages are
    # written; the lists read it then.
    annotations: dict[str, str] = field(default_factory=dict)
    # HTML put before a key's annotation: plugins/integrity's "Retracted" or "Correction
    # published May 2021" mark, linked to the notice. Filled in the collect phase.
    marks: dict[str, Markup] = field(default_factory=dict)

    @cached_property
    def notes(self) -> Notes:
        """What every reference list prints after an entry: its mark, then its annotation."""
        return Notes(self.annotations, self.marks)

    @cached_property
    def bibliography(self) -> Bibliography:
        settings = self.build.settings
        files = self.build.state(citation_settings).bibliography
        # A link is never read: static.symlink reports it.
        return load_files([path for path in bibliography_paths(settings["PATH"], files)
                           if not is_linked(path, settings["PATH"])])

    @cached_property
    def formatter(self) -> Formatter:
        cache_path = self.build.settings.get("CACHE_PATH")
        keep = self.build.state(citation_settings).cache and cache_path
        formatter = make_formatter(self.build.state(citation_style), self.bibliography,
                                   Path(cache_path) if keep else None)
        # Entries missing from the cache are formatted now, by the first page that cites,
        # in a child process: while the build is still small, so that the two together
        # stay under the build's own peak.
        formatter.citeproc_html  # noqa: B018
        return formatter

    def save_formatted(self) -> None:
        """Keep what citeproc-py formatted for the next build, if anything was formatted."""
        formatter = self.__dict__.get("formatter")  # made by the first citation, if any
        if formatter is not None and formatter.store is not None:
            formatter.store.save()


class Notes(Mapping[str, str]):
    """A key's mark and annotation as one text, read when a list is printed (after both
    were filled), so no plugin depends on the order in which the others ran."""

    __slots__ = ("_annotations", "_marks")

    def __init__(self, annotations: Mapping[str, str], marks: Mapping[str, Markup]) -> None:
        self._annotations = annotations
        self._marks = marks

    def get(self, key: str, default: str = "") -> str:  # type: ignore[override]
        mark = self._marks.get(key)
        label = self._annotations.get(key)
        if mark is None:
            return default if label is None else label
        return mark + Markup("<br>") + escape(label) if label else mark

    def __getitem__(self, key: str) -> str:
        if key not in self._marks and key not in self._annotations:
            raise KeyError(key)
        return self.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._marks, *self._annotations]))

    def __len__(self) -> int:
        return len(set(self._marks) | set(self._annotations))
