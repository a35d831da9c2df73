"""Signal wiring: our reader takes over every Markdown extension, and the theme gets the
``sections`` filter for its table of contents."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .reader import SourceReader
from .toc import sections


def add_reader(readers: Any) -> None:
    for extension in SourceReader.file_extensions:
        readers.reader_classes[extension] = SourceReader


def add_filters(generator: Any) -> None:
    generator.env.filters["sections"] = sections


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(add_filters)
