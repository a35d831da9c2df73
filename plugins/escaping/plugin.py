"""Signal wiring: with Jinja's autoescape on, every value a template prints is escaped
unless it is ``Markup``; these are the values that are HTML, marked where they are made.

- **The title and the summary as written** are text: the reader (plugins/sources)
  escapes them before Markdown and typogrify run, so what those add (smart quotes, a
  no-break space) is the only HTML in them; here, once Pelican has typogrified them,
  they are marked as such, so every template that prints a title prints it as is.
- **The body** (and a summary Pelican cuts from it when none is written) is Pelican's
  plain ``str``: the theme prints it with ``|safe`` in the only places that print a
  page's body or summary (partials/document.html, home.html); tests/test_escaping.py
  fails on a ``|safe`` anywhere else. What they print has passed the sanitiser
  (plugins/sanitise) with its one allow-list, once complete.

Everything else a template prints (registry names, pharmacy facts, settings) is escaped.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from pelican import signals

HTML_FIELDS = ("title", "summary")


def mark_fields(sender: Any, metadata: dict[str, Any]) -> None:
    """After typogrify: the title and summary the reader escaped are HTML from here on."""
    for name in HTML_FIELDS:
        value = metadata.get(name)
        if isinstance(value, str) and not isinstance(value, Markup):
            metadata[name] = Markup(value)  # noqa: S704 - escaped by plugins.pipeline.reader


def register() -> None:
    signals.article_generator_context.connect(mark_fields)
    signals.page_generator_context.connect(mark_fields)
