"""The site-wide references page: every entry, where it is cited, a stable anchor per key."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from pelican import signals
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from plugins.diagnostics import build_of

from .render import ReferenceList, anchor
from .settings import citation_settings
from .state import Citations


@dataclass(frozen=True)
class CitedIn:
    title: str  # escaped text: the theme prints it as it is
    url: str


@dataclass
class SiteReference:
    """One entry of /references/; ``cited_in`` lists the articles and pages citing it."""

    key: str
    html: Markup
    links: tuple[tuple[str, str], ...]
    cited_in: list[CitedIn] = field(default_factory=list)
    note: str = ""  # the entry's annotation (Citations.annotations): its evidence label

    @property
    def anchor(self) -> str:
        return anchor(self.key)

    def places(self) -> Iterator[tuple[str, str, str]]:
        """Title, URL and the comma after it (none after the last) of each citing page."""
        last = len(self.cited_in) - 1
        for index, place in enumerate(self.cited_in):
            yield place.title, place.url, "," if index < last else ""


@dataclass
class ReferencesPage:
    """Page-like object for templates, breadcrumbs, JSON-LD and the sitemap."""

    title: str
    url: str
    save_as: str
    summary: str
    date: datetime.datetime | None
    slug: str = "references"
    status: str = "published"
    translations: list[Any] = field(default_factory=list)


def citing_objects(context: dict[str, Any]) -> list[Any]:
    """Published articles and pages (hidden pages too), in title order."""
    objects: list[Any] = []
    for name in ("articles", "pages", "hidden_pages"):
        objects.extend(context.get(name) or [])
    return sorted(objects, key=lambda o: (str(getattr(o, "title", "")).casefold(), o.url))


def listed_keys(listing: Any) -> tuple[str, ...]:
    """The keys of a page's reference list or further reading, if it has one.

    Read without making a Reference for each.
    """
    return listing.keys() if isinstance(listing, ReferenceList) else ()


def site_references(objects: Iterable[Any], formatter: Any,
                    notes: Mapping[str, str] | None = None) -> tuple[list[SiteReference], Any]:
    """Every formattable entry, alphabetical by its formatted text, and the newest citing date."""
    notes = notes or {}
    entries = {key: SiteReference(key, formatter[key].html, formatter[key].links,
                                  note=notes.get(key, ""))
               for key in formatter.bibliography.entries if key in formatter}
    newest = None
    for obj in objects:
        cited = [key for name in ("references", "further_reading")
                 for key in listed_keys(getattr(obj, name, None)) if key in entries]
        if cited:
            # The title as text (typogrify may have marked it up), once per page, not per entry.
            place = CitedIn(escape(Markup(str(obj.title)).striptags()), obj.url)  # noqa: S704
            for key in cited:
                entries[key].cited_in.append(place)
        date = getattr(obj, "date", None)
        if cited and date is not None and (newest is None or date > newest):
            newest = date
    ordered = sorted(entries.values(), key=lambda e: (formatter[e.key].sort_key, e.key))
    return ordered, newest


def streamed_context(name: str, context: dict[str, Any], relative_urls: bool,
                     kwargs: dict[str, Any]) -> dict[str, Any]:
    """The template's context for ``write_streamed`` (and its ``content_written`` signal)."""
    local = {**context, **kwargs, "output_file": name}
    if relative_urls:
        local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))
        context["localsiteurl"] = local["localsiteurl"]  # as write_file does, for later pages
    return local


def write_streamed(writer: Any, name: str, template: Any, context: dict[str, Any],
                   relative_urls: bool, **kwargs: Any) -> None:
    """As Pelican's ``Writer.write_file``, with the HTML going to the file as Jinja makes it:
    /references/ grows with the site, and whole in memory it breaks the 5000-article memory
    budget (docs/performance.md)."""
    local = streamed_context(name, context, relative_urls, kwargs)
    path = Path(sanitised_join(writer.output_path, name))
    path.parent.mkdir(parents=True, exist_ok=True)
    # The same bytes as ``template.stream(local).dump(path, encoding="utf-8")``, but the
    # file object encodes and buffers the pieces in C: Jinja's stream passes each of the
    # page's pieces (84,000 at 1,000 articles) through two Python generators to encode
    # it, 40% of the page's cost. No newline translation, as dump writes bytes.
    with path.open("w", encoding="utf-8", newline="") as file:
        file.writelines(template.generate(local))
    signals.content_written.send(str(path), context=local)


class ReferencesGenerator(Generator):
    """Writes CITATIONS_REFERENCES_SAVE_AS (references/index.html) after the checks passed,
    then keeps the build's formatted entries on disk for the next build."""

    def generate_context(self) -> None:
        """Nothing to read: the page is built from the articles in generate_output."""

    def generate_output(self, writer: Any) -> None:
        settings = self.settings
        build = build_of(self.context, settings)
        citations = build.state(Citations)
        declared = build.state(citation_settings)
        save_as = declared.references_save_as
        if save_as and citations.bibliography.entries:
            formatter = citations.formatter
            entries, newest = site_references(citing_objects(self.context), formatter,
                                              citations.notes)
            page = ReferencesPage(
                title=declared.references_title,
                url=declared.references_url,
                save_as=save_as,
                summary=declared.references_summary,
                date=newest,
            )
            write_streamed(writer, save_as, self.get_template("references"), self.context,
                           settings.get("RELATIVE_URLS", False), url=page.url, page=page,
                           references=entries)
        citations.save_formatted()  # every entry is formatted by now
