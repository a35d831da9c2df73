"""Signal wiring of the page pipeline: our reader for every Markdown file, with the run's
Build; the placeholders filled once each content object exists (after typogrify); the
site checks once every generator has read its content, then the report.

Listed right after plugins.diagnostics in PLUGINS: its ``all_generators_finalized``
receiver (the site checks, the sanitiser last) must run before those of plugins.jsonld
(which keeps every page's sanitised title) and plugins.finalize.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import build_of

from .reader import SourceReader
from .stages import check_site, render


def add_reader(readers: Any) -> None:
    for extension in SourceReader.file_extensions:
        readers.reader_classes[extension] = SourceReader


def give_build(generator: Any) -> None:
    """Each generator has readers of its own: ours get the run's Build to report into."""
    build = build_of(generator.context, generator.settings)
    for reader in generator.readers.readers.values():
        if isinstance(reader, SourceReader):
            reader.build = build


def collect(generators: list[Any]) -> None:
    """Every generator has read its content: the site checks, then the report."""
    if generators:
        check_site(generators, build_of(generators[0].context, generators[0].settings))


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(give_build)
    signals.content_object_init.connect(render)
    signals.all_generators_finalized.connect(collect)
