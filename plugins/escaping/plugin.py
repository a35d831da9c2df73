"""Signal wiring: with Jinja's autoescape on, every value a template prints is escaped
unless it is ``Markup``; these are the values that are HTML, marked where they are made.

- **The body and the summary.** Pelican makes them (``Content.content``, ``.summary``:
  Markdown's output with its links fixed, and the typogrified summary), as plain ``str``.
  The two properties are wrapped once so that they return ``Markup``. What they return
  has passed the sanitiser (plugins/sanitise) with its one allow-list, once complete.
- **The title and the summary as written** are text: the reader (plugins/sources)
  escapes them before Markdown and typogrify run, so what those add (smart quotes, a
  no-break space) is the only HTML in them; here, once Pelican has typogrified them,
  they are marked as such.

Everything else a template prints (registry names, pharmacy facts, settings) is escaped.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from pelican import signals
from pelican.contents import Content

HTML_FIELDS = ("title", "summary")


def _returning_markup(prop: property) -> property:
    if getattr(prop.fget, "returns_markup", False):
        return prop  # already wrapped (a second Pelican run in the same process)

    def get(self: Content) -> Any:
        value = prop.fget(self)  # type: ignore[misc]
        return Markup(value) if isinstance(value, str) else value  # noqa: S704 - see above

    get.returns_markup = True  # type: ignore[attr-defined]
    return property(get, prop.fset, prop.fdel, prop.__doc__)


def mark_fields(sender: Any, metadata: dict[str, Any]) -> None:
    """After typogrify: the title and summary the reader escaped are HTML from here on."""
    for name in HTML_FIELDS:
        value = metadata.get(name)
        if isinstance(value, str) and not isinstance(value, Markup):
            metadata[name] = Markup(value)  # noqa: S704 - escaped by plugins.pipeline.reader


def register() -> None:
    Content.content = _returning_markup(Content.content)  # type: ignore[method-assign]
    Content.summary = _returning_markup(Content.summary)  # type: ignore[method-assign]
    signals.article_generator_context.connect(mark_fields)
    signals.page_generator_context.connect(mark_fields)
