"""Page weight on the site under test: an article's HTML + CSS + JS is at most 50 KB."""

from __future__ import annotations

import importlib.util
import re
import shutil

import pytest

from conftest import ROOT, run_build
from site_under_test import built_site

BUDGET = 50 * 1024


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


def test_every_article_with_its_css_and_js_is_at_most_50_kb(site):
    bench = load_bench()
    weights = [bench.page_weight(site.output, url) for url in bench.article_urls(site.output)]
    assert weights
    over = [f"/{w.url}: {w.total / 1024:.1f} KB" for w in weights if w.total > BUDGET]
    assert not over, over



# Fictional values of a realistic length for every fact the real pharmacy.yaml still lacks
# (555-01xx numbers and example.org are reserved for fiction).
FILLED = {"phone": '"(517) 555-0100"', "fax": '"(517) 555-0101"', "email": "rx@example.org",
          "address": '"1 Example Street, Lansing, MI 48900"',
          "hours": '"Monday to Friday, 9 am to 5 pm"',
          "prescription_channels": "[E-prescribing, Fax, Phone]",
          "price": '"Ask us: the price depends on the dose and form"',
          "insurance": '"We do not bill insurance plans"',
          "dosage_forms": "[Capsules, Oral liquid]", "name": "Jane Example",
          "credentials": "PharmD", "licence_state": "Michigan"}


def test_every_article_stays_within_the_budget_once_the_pharmacy_facts_are_in(tmp_path):
    """Launching adds the named reviewer, the contact facts and the full Pharmacy node and
    takes the preview banner away: the launch push must not be the one that fails."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    data = content / "pharmacy.yaml"
    filled = re.sub(r'^(\s*)(\w+): "PLACEHOLDER[^"]*"$',
                    lambda m: f"{m.group(1)}{m.group(2)}: {FILLED[m.group(2)]}",
                    data.read_text(encoding="utf-8"), flags=re.MULTILINE)
    data.write_text(filled, encoding="utf-8")
    privacy = content / "pages" / "privacy.md"
    privacy.write_text(privacy.read_text(encoding="utf-8").replace("final: false", "final: true"),
                       encoding="utf-8")
    result = run_build(tmp_path, REVIEW_TODAY="2026-12-07")
    assert result.ok, result.stderr
    html = (result.output / "ldn-dosing" / "index.html").read_text(encoding="utf-8")
    assert 'class="preview"' not in html  # launched, not a preview
    assert "Jane Example" in html
    bench = load_bench()
    weights = [bench.page_weight(result.output, url) for url in bench.article_urls(result.output)]
    over = [f"/{w.url}: {w.total / 1024:.1f} KB" for w in weights if w.total > BUDGET]
    assert not over, over
