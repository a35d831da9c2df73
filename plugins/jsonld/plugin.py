"""Signal wiring: the `jsonld` and `breadcrumbs` Jinja filters for every template, and the
site's default author (the pharmacy) for the feed."""

from __future__ import annotations

from typing import Any

from jinja2 import Undefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from pelican import signals
from pelican.urlwrappers import Author

from plugins.sources import SourceDocument, source_read

from .graph import Crumb, page_graph, plain, script_tag, trail

TITLES = "PAGE_TITLES_BY_URL"
AUTHORS = "SITE_AUTHORS"  # the one-author list every page shares


def collect_titles(generators: list[Any]) -> None:
    """URL -> title of every page, once per build, so a parent folder's crumb carries its
    page's title (built per page, this map made the build quadratic in the page count)."""
    if not generators:
        return
    context = generators[0].context
    context[TITLES] = {
        obj.url: plain(obj.title)
        for obj in [*(context.get("pages") or []), *(context.get("articles") or [])]
    }


def _titles(context: Context) -> dict[str, str]:
    return context.get(TITLES) or {}


def _content(obj: Any) -> Any:
    """The page's content object, or None on direct templates (404, search)."""
    return None if isinstance(obj, Undefined) else obj


@pass_context
def breadcrumbs(context: Context, obj: Any) -> list[Crumb]:
    obj = _content(obj)
    return trail(obj, context.get("SITEURL", ""), context.get("MAIN_MENU") or [],
                 _titles(context))


@pass_context
def jsonld(context: Context, obj: Any) -> Markup:
    obj = _content(obj)
    siteurl = context.get("SITEURL", "")
    return script_tag(page_graph(obj, breadcrumbs(context, obj), context.get("PHARMACY"),
                                 siteurl))


def default_author(pelican: Any) -> None:
    """The pharmacy is the author of every page, so the Atom feed's <author> has a name."""
    pharmacy = pelican.settings.get("PHARMACY") or {}
    if not pelican.settings.get("AUTHOR") and pharmacy.get("name"):
        pelican.settings["AUTHOR"] = pharmacy["name"]


def share_author(doc: SourceDocument, metadata: dict[str, Any], settings: dict[str, Any],
                 **_: Any) -> None:
    """Every page gets the same author list, where Pelican would make one per page."""
    name = settings.get("AUTHOR")
    if not name or "author" in metadata or "authors" in metadata:
        return
    authors = settings.get(AUTHORS)
    if not authors or authors[0].name != name:
        authors = settings[AUTHORS] = [Author(name, settings)]
    metadata["authors"] = authors


def add_filters(generator: Any) -> None:
    generator.env.filters.update({"jsonld": jsonld, "breadcrumbs": breadcrumbs})


def register() -> None:
    signals.initialized.connect(default_author)
    source_read.connect(share_author)
    signals.generator_init.connect(add_filters)
    signals.all_generators_finalized.connect(collect_titles)
