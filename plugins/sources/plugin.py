"""Signal wiring: our reader takes over every Markdown extension."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .reader import SourceReader


def add_reader(readers: Any) -> None:
    for extension in SourceReader.file_extensions:
        readers.reader_classes[extension] = SourceReader


def register() -> None:
    signals.readers_init.connect(add_reader)
