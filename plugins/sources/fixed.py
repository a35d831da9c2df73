"""``{% fixed "partials/x.html" %}``: a partial that no page can change, rendered once.

The theme writes ``fixed`` where it would write ``include`` for a partial that shows only
site-wide facts (the pharmacy's, the settings' links, the launch notice); it is printed
as an include is, with the same white space. The partial is rendered the first time a page
asks, from the site-wide values alone, and every later page gets the same HTML: an
include costs a copy of Pelican's ~180-key context and the partial's own work on every
page (docs/performance.md). ``{% fixed "partials/person.html" with who=review.reviewer %}``
also gives the partial a site-wide record (a person: a frozen dataclass, hashable), and
the HTML is kept for each record given: never a value of the page's own, or every page
would keep one.

The site-wide values are the context's UPPERCASE names (the settings, the data files'
records, READINESS). Pelican gives every page the same ones but SITEURL, which is
relative to each page when RELATIVE_URLS is on, so the HTML is kept by SITEURL too. A
fixed partial never reads the page: it is rendered without the page's names (``article``,
``page``, the templates' own ``set``s), and reading one is an error that names the
partial, never an empty value shown on every page. (The values are the calling
template's: a macro imported without context has none to give.)
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, Undefined, UndefinedError, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context
from jinja2.utils import missing
from markupsafe import Markup


class PageValue(Undefined):
    """A name that is not site-wide, read in a fixed partial: an error at once. (A missing
    attribute of a site-wide record, ``PHARMACY.contact.fax``, is undefined as usual.)"""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None,
                 exc: type[Exception] = UndefinedError) -> None:
        if obj is missing and hint is None:
            raise UndefinedError(f"{name!r} is not a site-wide value: a fixed partial reads "
                                 "only the settings and the data files, never the page")
        super().__init__(hint, obj, name, exc)


class FixedPartials(Extension):
    """The ``fixed`` tag; its environment's partials, each kept by SITEURL for as long as
    the environment lives (one generator's writing, in one build)."""

    tags = {"fixed"}  # noqa: RUF012 - Jinja's own declaration

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self._html: dict[tuple[str, Any], Markup] = {}
        self._site_only: Environment | None = None

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        name = parser.parse_expression()
        given = []
        if parser.stream.skip_if("name:with"):
            while parser.stream.current.type != "block_end":
                if given:
                    parser.stream.expect("comma")
                key = parser.stream.expect("name")
                parser.stream.expect("assign")
                given.append(nodes.Pair(nodes.Const(key.value), parser.parse_expression()))
        call = self.call_method("_fixed", [nodes.ContextReference(), name,
                                           nodes.Dict(given, lineno=lineno)], lineno=lineno)
        return nodes.Output([call], lineno=lineno)

    @staticmethod
    def key(context: Context, name: str, given: dict[str, Any]) -> tuple[Any, ...]:
        """What the partial's HTML is kept by (the preview keeps its reads by it too)."""
        return (name, context.get("SITEURL"), *given.items())

    def _fixed(self, context: Context, name: str, given: dict[str, Any]) -> Markup:
        key = self.key(context, name, given)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = self._render(context, name, given)
        return html

    def _render(self, context: Context, name: str, given: dict[str, Any]) -> Markup:
        if self._site_only is None:
            # A template cache of its own: an overlay otherwise starts with a copy of the
            # page environment's, whose templates read the page's names leniently.
            self._site_only = self.environment.overlay(undefined=PageValue, cache_size=50)
        site = {key: value for key, value in context.get_all().items() if key.isupper()}
        site.update(given)
        try:
            html = self._site_only.get_template(name).render(site)
        except UndefinedError as error:
            raise UndefinedError(f"{name}: {error}") from error
        # The partial's own output, escaped as every template's is (autoescape is on).
        return Markup(html)  # noqa: S704
