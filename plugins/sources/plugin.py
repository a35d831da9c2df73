"""Signal wiring: no generator follows a symbolic link, the theme gets the ``sections``
and ``words`` filters and TOC_MIN_WORDS for its table of contents and ``{% fixed %}`` for
the partials no page can change (fixed.py), and the build's generators share their
compiled templates (templates.py). The Markdown reader is the page pipeline's
(plugins/pipeline)."""

from __future__ import annotations

from functools import partial
from typing import Any

from pelican import signals

from plugins.diagnostics import build_of

from .fixed import FixedPartials
from .settings import toc_settings
from .templates import CompiledTemplates
from .toc import sections, words
from .tree import files_without_links


def prepare(generator: Any) -> None:
    """Each generator's files are found without following links (tree.py says why)."""
    generator.get_files = partial(files_without_links, generator)
    generator.env.filters["sections"] = sections
    generator.env.filters["words"] = words
    generator.env.add_extension(FixedPartials)
    # The templates compare a page's words with it: the declared default when
    # pelicanconf.py does not set it (Pelican's context holds only what the files set).
    build = build_of(generator.context, generator.settings)
    generator.context["TOC_MIN_WORDS"] = build.state(toc_settings).toc_min_words
    # One compilation of each template a build: the preview's cache, when it has set one,
    # outlives the build and is kept.
    if generator.env.bytecode_cache is None:
        generator.env.bytecode_cache = build.state(compiled_templates)


def compiled_templates(build: Any) -> CompiledTemplates:
    """The build's compiled templates, shared by its generators' environments."""
    return CompiledTemplates()


def register() -> None:
    signals.generator_init.connect(prepare)
