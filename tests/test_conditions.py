"""Conditions: the registry and its checks, each page's conditions, and the
/conditions/ pages, from real builds of small fixture sites."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BuildResult, build_site, shared_build, soup
from plugins.conditions.check import resolve_conditions
from plugins.conditions.listing import cited_works
from plugins.conditions.records import Registry
from plugins.conditions.registry import parse_registry
from plugins.sources.document import parse_front_matter

REGISTRY = """\
groups:
  - {slug: chronic-pain, name: Chronic pain}
conditions:
  - slug: fibromyalgia
    name: Fibromyalgia
    group: chronic-pain
    synonyms: [fibro, FMS]
    code: M79.7
    summary: >-
      Two lines
      of summary.
"""


def test_registry_parses_entries_and_resolves_synonyms_case_insensitively() -> None:
    registry, findings = parse_registry(REGISTRY)
    assert findings == []
    (condition,) = registry.conditions
    assert (condition.slug, condition.group_name, condition.synonyms, condition.code,
            condition.summary, condition.url) == (
        "fibromyalgia", "Chronic pain", ("fibro", "FMS"), "M79.7", "Two lines of summary.",
        "conditions/fibromyalgia/")
    assert registry.resolve("Fibro") is condition
    assert registry.resolve("fms") is condition
    assert registry.resolve("FIBROMYALGIA") is condition
    assert registry.resolve("crps") is None


@pytest.mark.parametrize(("slug", "problem"), [
    ("../../tmp/evil", "may hold only lower-case letters, digits and hyphens"),
    ("../theme/js", "may hold only lower-case letters, digits and hyphens"),
    ('crps"><img src=x>', "may hold only lower-case letters, digits and hyphens"),
    ("without-trials", "is the address of the page for conditions without clinical trials"),
])
def test_a_condition_slug_is_a_safe_folder_name_not_taken_by_a_page(slug, problem) -> None:
    """A condition's slug becomes the folder /conditions/<slug>/: a path, markup or the
    shared page's name would write outside it, or over another page."""
    registry, findings = parse_registry(REGISTRY + f"""\
  - slug: '{slug}'
    name: Other
    group: chronic-pain
    summary: No trials.
""")
    assert [c.slug for c in registry.conditions] == ["fibromyalgia"]
    assert [(*f.position, f.code, f.message) for f in findings] == [
        (12, 11, "conditions.bad-slug", f"the slug '{slug}' {problem}")]


def test_a_group_slug_is_checked_as_a_condition_slug_is() -> None:
    _, findings = parse_registry(REGISTRY.replace("{slug: chronic-pain,", "{slug: ../x,"))
    assert [f.code for f in findings][:1] == ["conditions.bad-slug"]


def test_an_untested_condition_points_at_its_section_of_the_shared_page() -> None:
    registry, _ = parse_registry(REGISTRY + """\
  - slug: gout
    name: Gout
    group: chronic-pain
    synonyms: [podagra]
    summary: No trials.
""")
    assert registry.untested == []
    assert registry.untested_url is None
    registry.mark_untested(["gout"])
    gout = registry.resolve("podagra")
    assert (gout.tested, gout.url) == (False, "conditions/without-trials/#gout")
    assert registry.get("gout") is gout  # lookups find the marked record
    assert [c.slug for c in registry.tested] == ["fibromyalgia"]
    assert registry.untested == [gout]
    assert registry.untested_url == "conditions/without-trials/"
    registry.mark_untested([])  # nothing to mark: the fibromyalgia record is unchanged
    assert registry.get("fibromyalgia").url == "conditions/fibromyalgia/"


def test_registry_without_its_two_lists_is_one_clear_error() -> None:
    _, findings = parse_registry("- fibromyalgia\n")
    assert [(f.position, f.code) for f in findings] == [((1, 1), "conditions.bad-registry")]


def test_registry_yaml_error_points_at_the_line() -> None:
    _, findings = parse_registry("groups: []\nconditions:\n  - slug: [unclosed\n")
    assert [(f.line, f.code) for f in findings] == [(4, "conditions.bad-yaml")]


def test_synonyms_must_be_a_list() -> None:
    _, findings = parse_registry(REGISTRY.replace("[fibro, FMS]", "fibro"))
    assert [(tuple(f.position), f.code, f.message) for f in findings] == [
        ((7, 15), "conditions.bad-field", "'synonyms' of condition 'fibromyalgia' must be a "
                                          "list of names")]


def resolve(conditions: str) -> tuple[list[str], list[tuple[int, int, str, str, str]]]:
    registry, _ = parse_registry(REGISTRY)
    records, findings = resolve_conditions(
        parse_front_matter(f"title: T\nconditions: {conditions}\n"), registry)
    return ([r.slug for r in records],
            [(*f.position, f.code, f.message, f.hint) for f in findings])


def test_page_conditions_resolve_in_order_and_once() -> None:
    assert resolve("[FMS]") == (["fibromyalgia"], [])
    assert resolve("[FMS, fibromyalgia]") == (["fibromyalgia"], [
        (3, 19, "conditions.duplicate", "condition 'fibromyalgia' is listed twice",
         "remove one of the two")])
    assert resolve("[fibromyalgia, fibro]")[1] == [
        (3, 28, "conditions.duplicate", "'fibro' names 'fibromyalgia', which is already listed",
         "remove one of the two")]


def test_unknown_page_condition_suggests_the_closest_slug_or_synonym() -> None:
    assert resolve("[fibromyalgya, fibor]")[1] == [
        (3, 14, "conditions.unknown", "unknown condition 'fibromyalgya'",
         "did you mean 'fibromyalgia'?"),
        (3, 28, "conditions.unknown", "unknown condition 'fibor'", "did you mean 'fibro'?"),
    ]


def test_a_page_naming_a_condition_without_a_registry_is_told_to_add_one() -> None:
    records, findings = resolve_conditions(
        parse_front_matter("title: T\nconditions: [fibromyalgia]\n"),
        Registry(missing=True))
    assert records == []
    assert [f.hint for f in findings] == [
        "there is no conditions registry: add conditions.yaml to the content folder"]


def test_cited_works_are_collected_once_each_in_citation_order() -> None:
    ref = SimpleNamespace
    articles = [SimpleNamespace(references=[ref(key="b2020", html="<i>B</i>"),
                                            ref(key="a2019", html="A")]),
                SimpleNamespace(references=[ref(key="a2019", html="A")]),
                SimpleNamespace()]  # before the citations plugin sets `references`
    assert [(w.key, w.html, w.url) for w in cited_works(articles)] == [
        ("b2020", "<i>B</i>", "references/#ref-b2020"),
        ("a2019", "A", "references/#ref-a2019"),
    ]


# --- the fixture site -----------------------------------------------------------------


@pytest.fixture(scope="module")
def built() -> BuildResult:
    # Ready to launch (launch-ready laid over it), so that it has a sitemap.
    result = shared_build("conditions-site", overlay="launch-ready", REVIEW_TODAY="2026-11-25")
    assert result.ok, result.stderr
    return result


def text(tag: object) -> str:
    """Visible text, with typogrify's no-break spaces as plain spaces."""
    return tag.get_text().replace("\xa0", " ")


def graph(page: BeautifulSoup) -> dict:
    data = json.loads(page.find("script", type="application/ld+json").string)
    return next(node for node in data["@graph"] if node["@type"] == "MedicalWebPage")


def test_the_fixture_site_builds_without_diagnostics(built: BuildResult) -> None:
    assert built.diagnostics == []


def test_index_lists_conditions_under_their_groups(built: BuildResult) -> None:
    page = soup(built, "conditions/")
    assert page.h1.get_text() == "Conditions"
    groups = {text(section.h2): [text(a) for a in section.select("li > a")]
              for section in page.select("section.condition-group")}
    # Groups in registry order; a group with no condition (mood) is left out.
    assert groups == {
        "Chronic pain": ["Fibromyalgia", "Complex regional pain syndrome (CRPS)"],
        "Autoimmune conditions": ["Multiple sclerosis (MS)"],
    }
    assert [a["href"] for a in page.select("section.condition-group li > a")] == [
        "/conditions/fibromyalgia/", "/conditions/crps/", "/conditions/multiple-sclerosis/"]
    assert [p.get_text() for p in page.select(".condition-count")] == [
        "2 articles", "1 article", "0 articles"]


def test_condition_page_shows_summary_and_every_article_about_it(built: BuildResult) -> None:
    page = soup(built, "conditions/fibromyalgia/")
    assert page.h1.get_text() == "Fibromyalgia"
    assert page.select_one(".lead").get_text() == "Fixture summary of fibromyalgia."
    facts = {div.dt.get_text(): div.dd.get_text() for div in page.select(".condition-facts div")}
    assert facts == {"Group": "Chronic pain", "Also called": "fibro, FMS",
                     "ICD-10 code": "M79.7"}
    # A synonym in front-matter (`Fibro`) lands the article on the condition's page.
    assert [(text(a), a["href"]) for a in page.select(".cards li > a")] == [
        ("Fibromyalgia article", "/fibro-article/"), ("Pain article", "/pain-article/")]


def test_condition_without_articles_still_has_its_page(built: BuildResult) -> None:
    page = soup(built, "conditions/multiple-sclerosis/")
    assert text(page.select_one("p.note")) == (
        "No article on this site is about multiple sclerosis (MS) yet.")


def test_articles_link_to_their_conditions(built: BuildResult) -> None:
    links = soup(built, "pain-article/").select(".condition-links a")
    assert [(text(a), a["href"]) for a in links] == [
        ("Fibromyalgia", "/conditions/fibromyalgia/"),
        ("Complex regional pain syndrome (CRPS)", "/conditions/crps/")]
    assert soup(built, "").select(".condition-links") == []  # `conditions: []`


def test_condition_page_json_ld_is_about_a_medical_condition(built: BuildResult) -> None:
    node = graph(soup(built, "conditions/fibromyalgia/"))
    assert node["url"] == "/conditions/fibromyalgia/"
    assert node["about"] == [{
        "@type": "MedicalCondition", "name": "Fibromyalgia", "url": "/conditions/fibromyalgia/",
        "alternateName": ["fibro", "FMS"],
        "code": {"@type": "MedicalCode", "codeValue": "M79.7", "codingSystem": "ICD-10"},
    }]


def test_article_json_ld_names_its_conditions(built: BuildResult) -> None:
    names = [c["name"] for c in graph(soup(built, "pain-article/"))["about"]]
    assert names == ["Fibromyalgia", "Complex regional pain syndrome (CRPS)"]
    # Name, URL and code; the synonyms are on each condition's own page.
    assert not any("alternateName" in c for c in graph(soup(built, "pain-article/"))["about"])


def test_condition_pages_carry_breadcrumbs_and_a_reproducible_lastmod(built: BuildResult) -> None:
    crumbs = soup(built, "conditions/crps/").select("nav.breadcrumbs li")
    assert [text(li) for li in crumbs] == [
        "Home", "Conditions", "Complex regional pain syndrome (CRPS)"]
    sitemap = (built.output / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>/(conditions/[^<]*)</loc>\s*<lastmod>([^<]+)<", sitemap))
    # The newest date of the listed articles; a condition with none, the site's newest.
    assert {url: stamp[:10] for url, stamp in lastmod.items()} == {
        "conditions/": "2026-11-01",
        "conditions/crps/": "2026-10-01",
        "conditions/fibromyalgia/": "2026-11-01",
        "conditions/multiple-sclerosis/": "2026-11-01",
    }


# --- errors -------------------------------------------------------------------------

EXPECTED_ERRORS = [
    "content/articles/typos.md:6:14: error: unknown condition 'fibromyalgya'; "
    "did you mean 'fibromyalgia'? [conditions.unknown]",
    "content/articles/typos.md:6:35: warning: condition 'fibromyalgia' is listed twice; "
    "remove one of the two [conditions.duplicate]",
    "content/articles/typos.md:6:49: error: unknown condition 'lupus'; use a slug or synonym "
    "from conditions.yaml, or add the condition there first [conditions.unknown]",
    "content/conditions.yaml:10:5: error: condition 'fibromyalgia' is defined twice "
    "(first on line 5); merge the two entries, or give one another slug "
    "[conditions.duplicate-slug]",
    "content/conditions.yaml:16:12: error: unknown group 'mod' in condition 'depression'; "
    "did you mean 'mood'? [conditions.unknown-group]",
    "content/conditions.yaml:21:16: error: synonym 'fibro' of 'crps' already names "
    "'fibromyalgia'; a name may lead to one condition only: remove it from one of the two "
    "entries [conditions.duplicate-synonym]",
    "content/conditions.yaml:23:5: error: condition 'eczema' has no 'summary'; "
    "add 'summary: ...' to the entry [conditions.missing-field]",
    "content/conditions.yaml:26:5: error: unknown field 'summry' in a condition; "
    "did you mean 'summary'? [conditions.unknown-field]",
]


@pytest.mark.parametrize("command", ["pelican", "check"])
def test_registry_and_page_errors_are_all_reported_and_nothing_is_written(
        tmp_path: Path, command: str) -> None:
    result = build_site(tmp_path, "conditions-errors", command=command,
                        REVIEW_TODAY="2026-11-25")
    assert result.returncode == 1
    assert result.diagnostics == EXPECTED_ERRORS
    assert not (tmp_path / "output" / "conditions").exists()


def test_a_site_without_a_registry_still_has_a_conditions_index(tmp_path: Path) -> None:
    # The header links to /conditions/ on every site, registry or not.
    result = build_site(tmp_path, "basic", REVIEW_TODAY="2026-11-25")
    assert result.ok, result.stderr
    page = soup(result, "conditions/")
    assert text(page.select_one("p.note")) == "No conditions are listed yet."
    assert sorted(p.name for p in (result.output / "conditions").iterdir()) == ["index.html"]


@given(st.text(alphabet=st.sampled_from(list("- :[]{}\n\tabcfgo,'\"#&*!|>%@`")), max_size=80))
@settings(max_examples=300, deadline=None)
def test_registry_parser_reports_rather_than_raises_on_any_text(source: str) -> None:
    _, findings = parse_registry(source)
    assert all(f.code.startswith("conditions.") and f.line >= 1 for f in findings)


@pytest.mark.parametrize(("name", "in_text"), [
    ("Fibromyalgia", "fibromyalgia"),
    ("Multiple sclerosis (MS)", "multiple sclerosis (MS)"),
    ("Myalgic encephalomyelitis / chronic fatigue syndrome (ME/CFS)",
     "myalgic encephalomyelitis / chronic fatigue syndrome (ME/CFS)"),
    ("Crohn's disease", "Crohn's disease"),  # a proper noun stays
    ("Hailey-Hailey disease", "Hailey-Hailey disease"),
    ("IBS", "IBS"),
])
def test_a_condition_name_in_running_text_is_a_common_noun(name, in_text):
    from plugins.conditions.records import common_noun  # noqa: PLC0415

    assert common_noun(name) == in_text
