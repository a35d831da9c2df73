"""Signal wiring: the `jsonld` and `breadcrumbs` Jinja filters for every template, and one
author list (AUTHOR, else the pharmacy) shared by every page, for the feed (a page stage,
run by plugins/pipeline/stages.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2 import Undefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from pelican import signals
from pelican.urlwrappers import Author

from plugins.diagnostics import Build, Finding
from plugins.sitedata.loader import load_site_data

from .graph import Crumb, page_graph, plain, script_tag, trail

if TYPE_CHECKING:
    from plugins.pipeline.page import Page

TITLES = "PAGE_TITLES_BY_URL"


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
def jsonld(context: Context, obj: Any, crumbs: list[Crumb] | None = None) -> Markup:
    """The page's JSON-LD graph; ``crumbs`` is its trail when the template has it already
    (``obj|breadcrumbs``: base.html works it out once for the crumbs and the graph)."""
    obj = _content(obj)
    if crumbs is None:
        crumbs = breadcrumbs(context, obj)
    siteurl = context.get("SITEURL", "")
    # The evidence plugin's records, when it is loaded: each cited study's facts.
    evidence = context.get("EVIDENCE")
    studies = evidence.schema if evidence is not None else None
    readiness = context.get("READINESS")  # plugins.sitedata's launch readiness
    return script_tag(page_graph(obj, crumbs, context.get("PHARMACY"),
                                 siteurl, context.get("PEOPLE_URL"), studies,
                                 launched=bool(getattr(readiness, "ready", False)),
                                 titles=_titles(context)))


def site_authors(build: Build) -> list[Author]:
    """The one author list every page shares: AUTHOR, else the pharmacy's name."""
    pharmacy = build.state(load_site_data).values.get("PHARMACY") or {}
    name = build.settings.get("AUTHOR") or (
        pharmacy.get("name") if isinstance(pharmacy, dict) else None)
    return [Author(name, build.settings)] if name else []


def share_author(page: Page, build: Build) -> list[Finding]:
    """The page stage: every page gets the same author list, where Pelican would make one
    per page."""
    metadata = page.metadata
    if "author" in metadata or "authors" in metadata:
        return []
    authors = build.state(site_authors)
    if authors:
        metadata["authors"] = authors
    return []


def add_filters(generator: Any) -> None:
    generator.env.filters.update({"jsonld": jsonld, "breadcrumbs": breadcrumbs})


def register() -> None:
    signals.generator_init.connect(add_filters)
    signals.all_generators_finalized.connect(collect_titles)
