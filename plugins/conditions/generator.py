"""Writes /conditions/ and /conditions/<slug>/ through Pelican's writer, after every
check has passed, so the pages take part in the atomic build like any other."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from plugins.diagnostics import build_of

from .listing import Redirect, UntestedSettings, build_listing
from .records import Registry
from .settings import condition_settings


class ConditionsGenerator(Generator):
    def generate_context(self) -> None:
        """Nothing to read: the pages are built from what the other generators read."""

    def generate_output(self, writer: Any) -> None:
        registry = self.context.get("CONDITIONS") or Registry()
        content = [*self.context.get("articles", []), *self.context.get("pages", [])]
        # The evidence plugin, when loaded and given records, summarises each condition.
        evidence = self.context.get("EVIDENCE")
        summarise = evidence.for_condition if evidence is not None and evidence.studies \
            else None
        declared = build_of(self.context, self.settings).state(condition_settings)
        index, pages = build_listing(
            registry, content, save_as=declared.condition_save_as,
            index_url=declared.conditions_url,
            index_save_as=declared.conditions_save_as,
            index_title=declared.conditions_title,
            index_summary=declared.conditions_summary, evidence=summarise,
            untested=UntestedSettings(
                declared.conditions_untested_url,
                declared.conditions_untested_save_as,
                declared.conditions_untested_title,
                declared.conditions_untested_summary),
        )
        relative = self.settings.get("RELATIVE_URLS", False)
        template = self.get_template("condition")
        for page in pages:
            if page.condition.tested:
                writer.write_file(page.save_as, template, self.context, relative,
                                  url=page.url, page=page, condition=page.condition)
            elif index.untested is not None:
                # Its old address stays, as a static page that sends the visitor on.
                moved = Redirect(page.save_as, index.untested.url, page.url,
                                 page.condition.name)
                writer.write_file(moved.save_as, self.get_template("redirect"), self.context,
                                  relative, url=moved.url, page=moved,
                                  condition=page.condition)
        if index.untested is not None:
            writer.write_file(index.untested.save_as, self.get_template("untested"),
                              self.context, relative, url=index.untested.url,
                              page=index.untested)
        writer.write_file(index.save_as, self.get_template("conditions"), self.context,
                          relative, url=index.url, page=index)
