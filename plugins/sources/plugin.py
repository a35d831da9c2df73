"""Signal wiring: our reader takes over every Markdown extension and reads with the
run's Build, no generator follows a symbolic link, and the theme gets the ``sections``
and ``words`` filters for its table of contents."""

from __future__ import annotations

from functools import partial
from typing import Any

from pelican import signals

from plugins.diagnostics import build_of

from .reader import SourceReader
from .toc import sections, words
from .tree import files_without_links


def add_reader(readers: Any) -> None:
    for extension in SourceReader.file_extensions:
        readers.reader_classes[extension] = SourceReader


def prepare(generator: Any) -> None:
    """Each generator has readers of its own: ours get the run's Build to report into.
    Its files are found without following links (tree.py says why)."""
    build = build_of(generator.context, generator.settings)
    generator.get_files = partial(files_without_links, generator)
    for reader in generator.readers.readers.values():
        if isinstance(reader, SourceReader):
            reader.build = build
    generator.env.filters["sections"] = sections
    generator.env.filters["words"] = words


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(prepare)
