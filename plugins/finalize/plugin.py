"""Signal wiring: once every generator has read its content, settle the drafts.

With CATEGORY_SAVE_AS empty (we have no category pages) Pelican gives no article a
category, and then fails with a traceback writing a draft, the one place it reads
``draft.category`` unguarded. A draft without one gets DEFAULT_CATEGORY, which no
template shows and no page is written for.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.urlwrappers import Category

from plugins.diagnostics import build_of
from plugins.diagnostics.settings import diagnostics_settings

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


def register() -> None:
    signals.all_generators_finalized.connect(settle)
