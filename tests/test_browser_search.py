"""Site search in a real Chromium, on the site under test with its Pagefind index, served
over HTTP on 127.0.0.1 (Pagefind does not work from file://).

Every page runs under its own Content-Security-Policy (no bypass_csp): /search/ must find
with script-src 'self' 'wasm-unsafe-eval' and nothing more. Screenshots of the header and
of the search page go to tests/artifacts/screenshots/search/ (git-ignored).
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT, WATCH_CSP, soup
from site_under_test import REAL_CONTENT, built_site, content_source, serve, site_urls

# The queries and what they find are the real content's (issue 16 names them).
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(content_source() != REAL_CONTENT,
                                 reason="searches the real content/, not the fixture site")]

SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots" / "search"
WIDTHS = {"phone": 390, "desktop": 1280}
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.fixture
def open_page(open_page):
    """The shared open_page (conftest), under the site's CSP (never bypassed), watched: at
    the end of the test, no page may have had a script error or a CSP violation."""
    return functools.partial(open_page, watch=True)


def status(page) -> str:
    return page.locator("#search-status").inner_text()


def wait_for_answer(page, *words: str) -> str:
    """The live region's text, once it reports a search that mentions all of words."""
    page.wait_for_function(
        """(words) => { const text = document.getElementById("search-status").textContent;
                        return /result/.test(text) && words.every(w => text.includes(w)); }""",
        arg=list(words), timeout=15000)
    return status(page)


def result_urls(page) -> list[str]:
    return page.locator("#search-results .search-result h2 a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))")


def search_from_header(page, query: str) -> None:
    box = page.get_by_role("search", name="Site").get_by_role("searchbox")
    assert box.is_visible()  # on phones too, without opening the menu
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def filters_of(site, url: str) -> set[str]:
    """The page's Pagefind filters as "name:value"; a bare name takes the element's text."""
    html = (site.output / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
    found = set()
    for element in soup(html).find_all(
            attrs={"data-pagefind-filter": True}):
        spec = element["data-pagefind-filter"]
        found.add(spec if ":" in spec else f"{spec}:{element.get_text()}")
    return found


# ---- From the header box of the home page -------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(("query", "expected", "within"), [
    ("fibromyalgia", "/ldn-fibromyalgia/", 1),   # the article first
    ("vivid dreams", "/ldn-side-effects/", 3),
    ("fibro", "/ldn-fibromyalgia/", 3),          # a synonym from conditions.yaml
    ("how to get LDN", "/how-to-get-ldn/", 1),   # the patients' page, not side effects
])
def test_the_header_box_finds_the_article(open_page, width, query, expected, within):
    page = open_page("", width)
    search_from_header(page, query)
    assert parse_qs(urlsplit(page.url).query) == {"q": [query]}
    wait_for_answer(page, f"\u201c{query}\u201d")
    assert expected in result_urls(page)[:within], result_urls(page)
    assert page.get_by_role("searchbox", name="Search articles and conditions").input_value() \
        == query
    first = page.locator(".search-result").first
    assert first.locator(".search-result-type").inner_text().lower() in {
        "article", "condition", "page"}
    assert first.locator(".search-result-excerpt mark").count() >= 1  # highlighted


def test_the_search_page_runs_the_query_in_its_address(open_page):
    page = open_page("search/?q=CRPS", WIDTHS["phone"])
    text = wait_for_answer(page, "\u201cCRPS\u201d")
    assert re.match(r"\d+ results? for \u201cCRPS\u201d\.", text), text
    urls = result_urls(page)
    assert {"/ldn-chronic-pain-crps/", "/conditions/crps/"} <= set(urls), urls
    assert page.title().startswith("\u201cCRPS\u201d")
    assert page.locator("#search-fallback").is_hidden()  # the results replace the full list


# ---- Filters, by keyboard too ----------------------------------------------------------

def test_a_condition_filter_narrows_the_results(site, open_page):
    page = open_page("search/?q=naltrexone")
    wait_for_answer(page, "naltrexone")
    everything = page.locator("#search-status").inner_text()
    total = int(everything.split()[0])
    condition = page.get_by_label("Condition", exact=True)
    assert "Fibromyalgia" in condition.locator("option").all_inner_texts()
    condition.select_option("Fibromyalgia")
    narrowed = wait_for_answer(page, "(Fibromyalgia)")
    assert int(narrowed.split()[0]) < total, (narrowed, everything)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["naltrexone"],
                                                   "condition": ["Fibromyalgia"]}
    urls = result_urls(page)
    assert urls
    for url in urls:
        assert "condition:Fibromyalgia" in filters_of(site, url), url


def test_an_audience_filter_narrows_the_results_by_keyboard(site, open_page):
    page = open_page("search/?q=naltrexone")
    total = int(wait_for_answer(page, "naltrexone").split()[0])
    audience = page.get_by_label("Written for", exact=True)
    # Tab order reaches the filters: from the search box, past its button, to Condition.
    page.get_by_role("searchbox", name="Search articles and conditions").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    assert audience.evaluate("(el) => el === document.activeElement")
    options = audience.locator("option").all_inner_texts()
    assert options == ["Anyone", "Patients", "Prescribers"]
    page.keyboard.press("End")  # a closed select changes on the keyboard: Prescribers
    narrowed = wait_for_answer(page, "(Prescribers)")
    assert int(narrowed.split()[0]) < total
    assert audience.evaluate("(el) => el === document.activeElement")
    for url in result_urls(page):
        assert "audience:Prescribers" in filters_of(site, url), url
    page.go_back()  # the filter is in the address: back is the unfiltered search
    assert int(wait_for_answer(page, "naltrexone").split()[0]) == total
    assert audience.input_value() == ""


# ---- What is found and what is not ----------------------------------------------------------

def test_nonsense_says_no_results_and_offers_the_conditions(open_page):
    page = open_page("search/?q=zqxjvw")
    assert wait_for_answer(page, "zqxjvw") == "No results for \u201czqxjvw\u201d."
    note = page.locator("#search-results .search-none")
    assert "Nothing on this site matches" in note.inner_text()
    assert note.get_by_role("link", name="browse every condition").get_attribute("href") \
        .endswith("/conditions/")
    assert page.locator("#search-fallback").is_visible()


def words_of(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[A-Za-z]{4,}", text)}


def main_words(site) -> dict[str, set[str]]:
    """Each page's URL and the words of its <main>: all that may be indexed."""
    words = {}
    for url in site_urls(site.output):
        path = site.output / url / "index.html" if not url.endswith(".html") else \
            site.output / url
        main = soup(path).find("main")
        words[f"/{url}"] = words_of(main.get_text(" "))
    return words


def stem_in(word: str, words: set[str]) -> bool:
    """Whether words has one that search may take for word: Pagefind stems words
    ("ships" finds "shipping"), so any word that starts as it does counts."""
    return any(other.startswith(word[:4]) for other in words)


def test_footer_and_header_text_is_not_indexed(site, open_page):
    """Words that only the footer has are not found; the pharmacy's name, in every header
    and footer, finds only the pages whose own text names it."""
    home = soup(site.output / "index.html")
    pages = main_words(site)
    everything = set().union(*pages.values())
    footer_only = sorted(word for word in words_of(home.find("footer").get_text(" "))
                         if not stem_in(word, everything))
    assert footer_only, "the footer has no word of its own to search for"
    page = open_page("search/")
    box = page.get_by_role("searchbox", name="Search articles and conditions")
    for word in footer_only[:3]:
        box.fill(word)
        box.press("Enter")
        assert wait_for_answer(page, word) == f"No results for \u201c{word}\u201d.", word
    name = max(words_of(home.select_one(".site-name").get_text()), key=len)
    box.fill(name)
    box.press("Enter")
    wait_for_answer(page, name)
    found = set(result_urls(page))
    naming = {url for url, words in pages.items() if stem_in(name, words)}
    assert found <= naming, (name, found - naming)
    assert len(found) < len(pages) / 2, (name, found)


# ---- Safety, focus and the live region ---------------------------------------------------------

def test_markup_in_a_query_is_shown_as_text(open_page):
    page = open_page("search/?q=%3Cimg+src%3Dx%3Efibromyalgia%3C%2Fb%3E")
    text = wait_for_answer(page, "<img src=x>")
    assert "\u201c<img src=x>fibromyalgia</b>\u201d" in text
    assert page.locator("main img, main b").count() == 0
    excerpt_tags = page.locator(".search-result-excerpt *").evaluate_all(
        "(nodes) => [...new Set(nodes.map((n) => n.tagName))]")
    assert excerpt_tags in ([], ["MARK"])


def test_focus_stays_in_the_box_and_more_results_moves_it_to_the_first_new_one(open_page):
    page = open_page("search/")
    box = page.get_by_role("searchbox", name="Search articles and conditions")
    live = page.locator("#search-status")
    assert live.get_attribute("role") == "status"
    box.fill("naltrexone")  # typing searches too, after a pause
    total = int(wait_for_answer(page, "naltrexone").split()[0])
    assert total > 10
    assert box.evaluate("(el) => el === document.activeElement")
    assert "Showing the first 10" in live.inner_text()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["naltrexone"]}
    more = page.get_by_role("button", name="More results")
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length > 10")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == result_urls(page)[10]


def test_without_javascript_the_header_box_opens_the_list_of_everything(open_page):
    page = open_page("ldn-fibromyalgia/", WIDTHS["phone"], javascript=False)
    search_from_header(page, "dreams")
    assert page.locator("noscript").count() == 1
    listed = page.locator("#search-fallback a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))")
    assert {"/ldn-side-effects/", "/conditions/fibromyalgia/"} <= set(listed)
    assert page.locator("#search-filters").is_hidden()  # no control that would do nothing


# ---- The Content-Security-Policy --------------------------------------------------------------

def policy_of(page) -> str:
    return page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")


def test_only_the_search_page_adds_wasm_unsafe_eval_to_the_policy(open_page):
    home = policy_of(open_page(""))
    search = open_page("search/?q=fibromyalgia")
    wait_for_answer(search, "fibromyalgia")
    assert policy_of(search) == home.replace("script-src 'self';",
                                             "script-src 'self' 'wasm-unsafe-eval';")
    assert "unsafe" not in home
    # open_page's teardown: no CSP violation and no console error on either page.


def test_without_wasm_unsafe_eval_the_search_would_fail(site, new_tab, tmp_path):
    """The check above can fail: with the plain policy, Pagefind's WebAssembly is refused,
    the page says search is unavailable, and the browser reports the violation."""
    copy = tmp_path / "site"
    shutil.copytree(site.output, copy)
    search_page = copy / "search" / "index.html"
    html = search_page.read_text(encoding="utf-8")
    assert html.count(" 'wasm-unsafe-eval'") == 1
    search_page.write_text(html.replace(" 'wasm-unsafe-eval'", ""), encoding="utf-8")
    page = new_tab()
    try:
        page.add_init_script(WATCH_CSP)
        with serve(copy) as base:
            page.goto(f"{base}/search/?q=fibromyalgia")
            page.wait_for_function(
                "() => document.getElementById('search-status').textContent.length > 0")
            assert "Search is not available" in status(page)
            violations = page.evaluate("() => window.__cspViolations || []")
        assert any(v.startswith("script-src") for v in violations), violations
    finally:
        page.close()


def test_without_an_index_the_search_page_says_so_and_lists_everything(site, new_tab, tmp_path):
    """As after a plain `pelican content`, which does not run Pagefind."""
    copy = tmp_path / "site"
    shutil.copytree(site.output, copy, ignore=shutil.ignore_patterns("pagefind"))
    page = new_tab()
    try:
        with serve(copy) as base:
            page.goto(f"{base}/search/?q=fibromyalgia")
            page.wait_for_function(
                "() => document.getElementById('search-status').textContent.length > 0")
            assert status(page).startswith("Search is not available")
            assert page.locator("#search-fallback").is_visible()
            assert page.locator("#search-filters").is_hidden()
    finally:
        page.close()


# ---- Accessibility and screenshots ------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_search_page_with_results(open_page, scheme):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    failures = []
    for width in WIDTHS.values():
        for url in ("search/?q=fibromyalgia", "search/?q=zqxjvw"):
            page = open_page(url, width, scheme)
            wait_for_answer(page, "\u201c")
            violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
            failures += [f"{width}px /{url}: {v['id']}: {[n['target'] for n in v['nodes']]}"
                         for v in violations]
    assert not failures, "\n".join(failures)


def shoot(page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    return target


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_header_and_the_search_page(open_page, scheme):
    # Screenshots for a person: a context of their own for each width, as a first visit
    # shows the pages. Each page in a tab of its own, in this order: none of the three
    # links to a page opened before it (so no link shows as visited), which the home
    # page, opened first, would be for the other two (their header links to it).
    written = []
    for device, width in WIDTHS.items():
        open_tab = functools.partial(open_page, own_context=f"{device}-{scheme}")
        page = open_tab("search/?q=fibromyalgia", width, scheme)
        wait_for_answer(page, "fibromyalgia")
        written.append(shoot(page, f"results-{device}-{scheme}"))
        page = open_tab("search/?q=zqxjvw", width, scheme)
        wait_for_answer(page, "zqxjvw")
        written.append(shoot(page, f"no-results-{device}-{scheme}", full_page=False))
        page = open_tab("", width, scheme)
        target = SCREENSHOTS / f"header-{device}-{scheme}.png"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("header.site-header").screenshot(path=str(target))
        written.append(target)
    assert all(path.stat().st_size > 3000 for path in written)


# ---- Excerpts: no stop word marked; the passage of the rarest word -------------------------

def marks_of(page) -> list[list[str]]:
    return page.locator(".search-result-excerpt").evaluate_all(
        "ps => ps.map(p => [...p.querySelectorAll('mark')].map(m => m.textContent))")


def test_stop_words_are_not_highlighted(open_page):
    page = open_page("search/?q=how+is+it+to+get+LDN")
    wait_for_answer(page, "\u201chow is it to get LDN\u201d")
    marked = [word.lower().strip(".,;:()\u201c\u201d")
              for marks in marks_of(page) for word in marks]
    assert {"get", "ldn"} <= set(marked), marked  # the other words still are
    assert not {"how", "is", "it", "to"} & set(marked), marked
    assert not [word for word in marked if word.startswith("to")]  # "today" matched "to"


def test_the_excerpt_shows_the_passage_of_the_rarest_word(open_page):
    # "naltrexone" is on almost every page, "pregnancy" on one: Pagefind alone shows a
    # passage full of "naltrexone", about opioids.
    page = open_page("search/?q=naltrexone+pregnancy")
    wait_for_answer(page, "\u201cnaltrexone pregnancy\u201d")
    first = marks_of(page)[0]
    assert any(word.lower().startswith("pregnan") for word in first), first
    excerpt = page.locator(".search-result-excerpt").first.inner_text()
    assert len(excerpt.split()) <= 24
