"""Signal wiring: once every generator has read its content, settle the content objects.

- **URLs, once.** Pelican's ``Content.url`` formats ARTICLE_URL/PAGE_URL afresh on every
  read, with a relative-path computation each time (about 20 µs); the theme, the
  breadcrumbs, JSON-LD and Pelican's writer read it about 18 times a page, 3% of a
  1000-article build (docs/performance.md). Pelican honours an ``override_url``
  attribute (what a ``url:`` front-matter field sets), so the value goes there once every
  page is read (its address is final then: no check changes one), before the address
  check (plugins.pipeline) and plugins.jsonld's map of titles by URL read it (both after
  this plugin in PLUGINS). ``save_as`` is left alone: an ``override_save_as`` changes how
  Pelican's writer treats the file.
- **Drafts.** With CATEGORY_SAVE_AS empty (we have no category pages) Pelican gives no
  article a category, and then fails with a traceback writing a draft, the one place it
  reads ``draft.category`` unguarded. A draft without one gets DEFAULT_CATEGORY, which
  no template shows and no page is written for.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.urlwrappers import Category

from plugins.diagnostics import build_of
from plugins.diagnostics.settings import diagnostics_settings
from plugins.sources.contents import contents

DRAFT_LISTS = ("drafts", "drafts_translations")


def settle(generators: list[Any]) -> None:
    if generators and build_of(generators[0].context, generators[0].settings).state(
            diagnostics_settings).check_only:
        return  # nothing is written
    for generator in generators:
        for name in DRAFT_LISTS:
            for draft in getattr(generator, name, None) or []:
                if not hasattr(draft, "category"):
                    draft.category = Category(generator.settings["DEFAULT_CATEGORY"],
                                              generator.settings)
    for obj in contents(generators):
        if not hasattr(obj, "override_url"):
            obj.override_url = obj.url


def register() -> None:
    signals.all_generators_finalized.connect(settle)
