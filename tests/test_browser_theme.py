"""The theme in a real Chromium: axe-core, overflow, the menu without JavaScript, screenshots.

Every page type the built site has, light and dark, at phone (390 px) and desktop (1280 px).
Screenshots go to tests/artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import functools

import pytest
import test_browser_header as header

from site_under_test import REAL_CONTENT, built_site, content_source, page_types, page_widths

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}
SCHEMES = ("light", "dark")
# Every rule axe runs by default (WCAG 2.0-2.2 A/AA and best practices), target-size included.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.fixture
def open_page(open_page):
    """The shared open_page (conftest), with the page's CSP bypassed for these checks."""
    return functools.partial(open_page, bypass_csp=True)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']}: {node['target']} {node.get('failureSummary', '')}")
    return "\n".join(lines)


def test_every_page_type_exists(site):
    names = {kind.name for kind in page_types(site)}
    expected = {"home", "article", "page", "conditions", "condition", "references",
                "search", "404"}
    if content_source() == REAL_CONTENT:  # the fixture site has no study records
        expected.add("untested")
    assert names == expected


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_violation_on_any_page_type(site, width, scheme, browse):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    axe = Axe()
    failures = []
    kinds = {kind.url: kind for kind in page_types(site)}
    if width == WIDTHS["desktop"] and header.AXE_OPTIONS == AXE_OPTIONS:
        # test_browser_header's axe test runs the same rules on its pages (the home page and
        # the contact page among them) at 1280 x 900 (its viewport's height is 900 from
        # 800 px on), light and dark: not twice.
        kinds = {url: kind for url, kind in kinds.items() if url not in header.PAGES.values()}
    for url, page in browse(list(kinds), width, scheme):
        results = axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        if violations:
            failures.append(f"--- {kinds[url].name} /{url}\n{describe(violations)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_nothing_overflows_horizontally_at_320px(site, scheme, browse):
    overflowing = []
    kinds = {kind.url: kind for kind in page_types(site)}
    for url, page in browse(list(kinds), 320, scheme):
        page.locator("details.menu > summary").click()  # the open menu must fit too
        widths = page_widths(page)
        if widths[0] > widths[1]:
            overflowing.append(f"{kinds[url].name} /{url}: {widths[0]} px > {widths[1]} px")
    assert not overflowing, "\n".join(overflowing)


def test_the_phone_menu_opens_without_javascript(open_page):
    page = open_page("", WIDTHS["phone"], javascript=False)
    try:
        nav = page.get_by_role("navigation", name="Main")
        research = nav.get_by_role("link", name="Research", exact=True)
        assert not research.is_visible()
        page.get_by_text("Menu", exact=True).click()
        assert nav.get_by_role("link").count() == 6  # side effects and getting LDN among them
        assert research.is_visible()
    finally:
        page.close()


def test_the_desktop_navigation_is_always_visible(open_page):
    page = open_page("", WIDTHS["desktop"], javascript=False)
    try:
        assert not page.get_by_text("Menu", exact=True).is_visible()
        for name in ("About LDN", "Conditions", "Research", "About us"):
            nav = page.get_by_role("navigation", name="Main")
            assert nav.get_by_role("link", name=name, exact=True).is_visible(), name
    finally:
        page.close()


def test_the_skip_link_appears_on_focus_and_moves_to_main(open_page):
    page = open_page("", WIDTHS["phone"])
    try:
        skip = page.get_by_role("link", name="Skip to main content")
        assert skip.bounding_box()["y"] < 0
        page.keyboard.press("Tab")
        assert skip.bounding_box()["y"] >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
    finally:
        page.close()


def test_print_hides_navigation_and_prints_reference_urls(site, open_page):
    article = next(kind for kind in page_types(site) if kind.name == "article")
    page = open_page(article.url, WIDTHS["desktop"])
    try:
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['.menu', '.skip-link', '.breadcrumbs', '.toc']
            .map(s => document.querySelector(s)).filter(Boolean)
            .map(e => getComputedStyle(e).display)""")
        assert hidden
        assert set(hidden) == {"none"}
        after = page.evaluate("""() => {
            const a = document.querySelector('main a[href^="http"]:not(.ref-text a)');
            return [a.getAttribute('href'), getComputedStyle(a, '::after').content]; }""")
        assert after[1] == '" (" attr(href) ")"' or after[0] in after[1]
        # A DOI link's text is the DOI, a reference's URL link's its URL: neither address is
        # printed a second time.
        doi = page.evaluate("""() => [...document.querySelectorAll('.ref-text a')]
            .map(a => getComputedStyle(a, '::after').content)""")
        assert doi
        assert set(doi) <= {"none", "normal"}
    finally:
        page.close()


def test_keyboard_focus_is_clearly_visible(open_page):
    page = open_page("", WIDTHS["desktop"])
    try:
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")  # the pharmacy name
        style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.className, s.backgroundColor, s.boxShadow]; }""")
        assert style[0] == "site-name", style
        assert style[1] == "rgb(255, 212, 59)", style  # the yellow focus block
        assert style[2] != "none"
    finally:
        page.close()


def test_reduced_motion_turns_off_smooth_scrolling(base_url, new_tab, open_page):
    page = open_page("", WIDTHS["phone"])  # reduced_motion="reduce"
    try:
        assert page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") \
            == "auto"
    finally:
        page.close()
    page = new_tab(reduced_motion="no-preference")
    try:
        page.goto(f"{base_url}/")
        assert page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") \
            == "smooth"
    finally:
        page.close()


# ---- Long pages and every article's width (issue 17) ----------------------------------

def articles_by_length(site) -> tuple[list[str], list[str]]:
    """(long, short) article URLs: a long one has the class the theme gives it."""
    long, short = [], []
    for url in (u for u in site_urls_of(site) if u.endswith("/")):
        html = site.html(url)
        if 'property="og:type" content="article"' in html:
            (long if 'class="article long"' in html else short).append(url)
    return long, short


def site_urls_of(site) -> list[str]:
    from site_under_test import site_urls  # noqa: PLC0415
    return site_urls(site.output)


def test_a_long_article_has_a_sticky_toc_at_1280_and_a_closed_one_at_390(site, open_page):
    long, short = articles_by_length(site)
    if not long:
        pytest.skip("no article is over TOC_MIN_WORDS words on this site")
    page = open_page(long[0], WIDTHS["desktop"], javascript=False)
    try:
        toc = page.locator("nav.toc")
        assert toc.evaluate("e => getComputedStyle(e).position") == "sticky"
        assert toc.get_by_role("link").first.is_visible()  # open, without a click
        prose = page.locator(".prose").bounding_box()
        assert toc.bounding_box()["x"] > prose["x"] + prose["width"]  # a side column
        assert 560 <= prose["width"] <= 760  # the text keeps its measure
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(100)
        box = toc.bounding_box()
        assert box["y"] >= 0, box
        assert box["y"] + min(box["height"], 800) <= 900, box
    finally:
        page.close()
    page = open_page(long[0], WIDTHS["phone"], javascript=False)
    try:
        first = page.locator("nav.toc ol a").first
        assert not first.is_visible()
        page.get_by_text("On this page", exact=True).click()
        assert first.is_visible()
        assert page.get_by_role("link", name="Back to top").count() == 2
    finally:
        page.close()
    if short:
        page = open_page(short[0], WIDTHS["desktop"])
        try:
            assert page.locator("nav.toc").count() == 0
        finally:
            page.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_article_scrolls_sideways(site, width, browse):
    long, short = articles_by_length(site)
    overflowing = []
    for url, page in browse(long + short, width):
        widths = page_widths(page)
        if widths[0] > widths[1]:
            overflowing.append(f"/{url}: {widths[0]} px > {widths[1]} px")
    assert long + short
    assert not overflowing, "\n".join(overflowing)


def test_a_three_column_table_is_cards_on_a_phone_and_columns_on_a_laptop(site, open_page):
    url = next((u for u in articles_by_length(site)[1] + articles_by_length(site)[0]
                if "<th>Regimen" in site.html(u)), None)
    if url is None:
        pytest.skip("no dosing table on this site")
    for width, cards in ((390, True), (1280, False)):
        page = open_page(url, width)
        try:
            row = page.locator(".prose table tbody tr").first
            cells = row.locator("td")
            lefts = [cells.nth(i).bounding_box()["x"] for i in range(3)]
            assert (len(set(lefts)) == 1) == cards, lefts  # stacked, or side by side
            regimen = cells.nth(1)
            assert regimen.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing clipped
            if cards:
                assert regimen.bounding_box()["width"] >= 300
        finally:
            page.close()
