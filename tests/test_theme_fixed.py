"""`{% fixed %}` (plugins/sources/fixed.py): a partial no page can change, rendered once a
build from the site-wide values, printed as an include is; reading a page value is an
error that names the partial."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, UndefinedError

from conftest import FIXTURES, build_site, soup
from plugins.sources.fixed import FixedPartials

PARTIAL = ("{#- a comment -#}\n{%- if PHARMACY %}\n<p>{{ PHARMACY.name }} &amp; {{ SITEURL }}</p>\n"
           "{%- endif %}\n<a href=\"{{ SITEURL }}/x/\">{{ LABEL }}</a>\n")


def environment(**templates: str) -> Environment:
    """As Pelican's (pelicanconf.py's JINJA_ENVIRONMENT), with the tag."""
    return Environment(loader=DictLoader(templates), trim_blocks=True, lstrip_blocks=True,
                       autoescape=True, extensions=[FixedPartials])


SITE = {"PHARMACY": {"name": "A & B"}, "SITEURL": "https://x.example", "LABEL": "<Go>"}


def test_a_fixed_partial_prints_what_an_include_prints():
    page = "<div>\n  {%- if article %}\n  {% TAG \"p.html\" %}\n  {%- endif %}\n</div>\n"
    env = environment(**{"p.html": PARTIAL,
                         "included.html": page.replace("TAG", "include"),
                         "fixed.html": page.replace("TAG", "fixed")})
    included = env.get_template("included.html").render(SITE, article="a")
    assert env.get_template("fixed.html").render(SITE, article="a") == included
    assert included == ('<div><p>A &amp; B &amp; https://x.example</p>'
                        '<a href="https://x.example/x/">&lt;Go&gt;</a></div>')


def test_a_fixed_partial_is_rendered_once_for_each_siteurl_and_each_given_record():
    rendered = []
    env = environment(**{
        "p.html": "{{ count() }}{{ SITEURL }}",
        "person.html": "{{ count() }}{{ SITEURL }}{{ who }}",
        "page.html": '{% fixed "p.html" %}|{% fixed "person.html" with who=person %}'})
    env.globals["count"] = lambda: rendered.append(1) or len(rendered)
    page = env.get_template("page.html")
    for title in ("one", "two", "three"):  # three pages: the same HTML, rendered once
        assert page.render(SITEURL="..", person="Ann", title=title) == "1..|2..Ann"
    # RELATIVE_URLS: SITEURL is relative to each page, and so is the partial's HTML.
    assert page.render(SITEURL="../..", person="Ann") == "3../..|4../..Ann"
    assert page.render(SITEURL="..", person="Bo") == "1..|5..Bo"
    assert len(rendered) == 5


@pytest.mark.parametrize("partial", [
    "{{ article.title }}",  # the page's object
    "{% if page is defined %}x{% endif %}",  # even asking whether it is there
    "{{ has_disclaimer }}",  # a value the page's own template set
    "{{ output_file }}",  # one Pelican gives each page
])
def test_a_fixed_partial_that_reads_a_page_value_fails_and_names_the_partial(partial):
    page = '{% set has_disclaimer = true %}{% fixed "partials/p.html" %}'
    env = environment(**{"partials/p.html": partial, "page.html": page})
    with pytest.raises(UndefinedError, match=r"^partials/p\.html: '\w+' is not a site-wide "
                                             r"value: a fixed partial reads only the settings "
                                             r"and the data files, never the page$"):
        env.get_template("page.html").render(SITE, article={"title": "T"}, page=None,
                                             output_file="a/index.html")


def test_a_missing_fact_of_a_site_wide_record_is_undefined_as_in_any_template():
    partial = "[{{ PHARMACY.fax }}{% if PHARMACY.fax is defined %}!{% endif %}]"
    env = environment(**{"p.html": partial, "page.html": '{% fixed "p.html" %}'})
    assert env.get_template("page.html").render(SITE) == "[]"


def test_relative_urls_give_each_pages_depth_its_own_footer(tmp_path):
    """The footer's links (partials/footer-facts.html, fixed) on two pages that one
    generator writes, one at the top and one a folder down, with RELATIVE_URLS."""
    files = {str(path.relative_to(FIXTURES / "basic")): path.read_text(encoding="utf-8")
             for path in (FIXTURES / "basic").rglob("*.*")}
    files["pages/about.md"] = files["pages/home.md"].replace("slug: home", "slug: about") \
        .replace("template: home\nsave_as: index.html\nurl: \"\"\n", "")
    site = build_site(tmp_path, files, RELATIVE_URLS=True)
    top = [a["href"] for a in soup(site.output / "index.html").select(".footer-links a")]
    down = [a["href"] for a in soup(site.output / "about/index.html").select(".footer-links a")]
    assert top
    assert all(href.startswith("./") for href in top)
    assert [href.replace("../", "./", 1) for href in down] == top
