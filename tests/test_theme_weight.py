"""Page weight on the site under test: an article's HTML + CSS + JS is at most 52 KB.

The budget was 50 KB until every page got the header search box and the search index's
markup (issue 16): the longest article, /ldn-research/ (six conditions), went from 49.6 to
51.4 KB."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT
from site_under_test import built_site

BUDGET = 52 * 1024


def load_bench():
    spec = importlib.util.spec_from_file_location("page_weight", ROOT / "bench" / "page_weight.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site():
    return built_site()


def test_weight_counts_html_and_every_stylesheet_and_script(site):
    bench = load_bench()
    weight = bench.page_weight(site.output, "")
    html = (site.output / "index.html").read_text(encoding="utf-8")
    assets = [path for path in (site.output / "theme").rglob("*.[cj]s*")
              if f'="/{path.relative_to(site.output).as_posix()}"' in html]
    assert any(path.suffix == ".css" for path in assets)
    assert weight.total == len(html.encode()) + sum(path.stat().st_size for path in assets)


def test_the_theme_alone_leaves_most_of_the_budget_to_the_text(site):
    """Everything but the article's own words: the shortest page's HTML plus all the CSS."""
    weight = load_bench().page_weight(site.output, "404.html")
    assert weight.total <= 25 * 1024, weight


def test_every_article_with_its_css_and_js_is_at_most_52_kb(site):
    bench = load_bench()
    weights = [bench.page_weight(site.output, url) for url in bench.article_urls(site.output)]
    assert weights
    over = [f"/{w.url}: {w.total / 1024:.1f} KB" for w in weights if w.total > BUDGET]
    assert not over, over

