"""Writes /conditions/ and /conditions/<slug>/ through Pelican's writer, after every
check has passed, so the pages take part in the atomic build like any other."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from .listing import Redirect, UntestedSettings, build_listing
from .registry import UNTESTED_URL, Registry

DEFAULTS = {
    "CONDITION_SAVE_AS": "conditions/{slug}/index.html",
    "CONDITIONS_URL": "conditions/",
    "CONDITIONS_SAVE_AS": "conditions/index.html",
    "CONDITIONS_TITLE": "Conditions",
    "CONDITIONS_SUMMARY": ("The conditions this site discusses, grouped by kind, "
                           "with the articles about each."),
    # The conditions no study record shows LDN tested in share this one page.
    "CONDITIONS_UNTESTED_URL": UNTESTED_URL,
    "CONDITIONS_UNTESTED_SAVE_AS": f"{UNTESTED_URL}index.html",
    "CONDITIONS_UNTESTED_TITLE": "Conditions without clinical trials",
    "CONDITIONS_UNTESTED_SUMMARY": (
        "LDN has not been tested in these conditions in any clinical trial in our sources. "
        "For each one, this page says what is known. LDN has not been shown to help them."),
}


class ConditionsGenerator(Generator):
    def setting(self, name: str) -> Any:
        return self.settings.get(name, DEFAULTS[name])

    def generate_context(self) -> None:
        """Nothing to read: the pages are built from what the other generators read."""

    def generate_output(self, writer: Any) -> None:
        registry = self.context.get("CONDITIONS") or Registry()
        content = [*self.context.get("articles", []), *self.context.get("pages", [])]
        # The evidence plugin, when loaded and given records, summarises each condition.
        evidence = self.context.get("EVIDENCE")
        summarise = evidence.for_condition if evidence is not None and evidence.studies \
            else None
        index, pages = build_listing(
            registry, content, save_as=self.setting("CONDITION_SAVE_AS"),
            index_url=self.setting("CONDITIONS_URL"),
            index_save_as=self.setting("CONDITIONS_SAVE_AS"),
            index_title=self.setting("CONDITIONS_TITLE"),
            index_summary=self.setting("CONDITIONS_SUMMARY"), evidence=summarise,
            untested=UntestedSettings(
                self.setting("CONDITIONS_UNTESTED_URL"),
                self.setting("CONDITIONS_UNTESTED_SAVE_AS"),
                self.setting("CONDITIONS_UNTESTED_TITLE"),
                self.setting("CONDITIONS_UNTESTED_SUMMARY")),
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
