"""The header's calls to action, the home page's paths, the contact, prescriber and people
pages in a real Chromium: reachable at 390 and 1280 px with and without JavaScript, no
sideways scroll, axe light and dark, a tel: link only where the phone is known.
Screenshots go to tests/artifacts/screenshots/theme-a/ (git-ignored)."""

from __future__ import annotations

import pytest

from conftest import shared_build
from site_under_test import built_site, page_widths, serve

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}
PAGES = {"home": "", "contact": "contact/", "prescribers": "send-a-prescription/",
         "about": "about/", "people": "editorial-policy/", "article": "ldn-research/"}
ACTIONS = ("Contact us", "Send a prescription")
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.fixture(scope="module")
def known_url():
    """The theme fixture with every pharmacy fact known (a phone among them), served."""
    result = shared_build("theme-site", overlay="theme-site-known")
    assert result.ok, result.stdout + result.stderr
    with serve(result.output) as url:
        yield url


@pytest.fixture
def open_page(open_page):
    """The shared open_page (conftest), with a phone's viewport as tall as an iPhone's."""
    def _open(url: str, width: int, scheme: str = "light", **options):
        return open_page(url, width, scheme, height=844 if width < 800 else 900, **options)
    return _open


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_both_calls_to_action_are_visible_without_the_menu_and_lead_there(
        site, base_url, width, javascript, open_page):
    for url in ("", "ldn-research/", "about/"):
        page = open_page(url, width, javascript=javascript)
        try:
            header = page.locator("header.site-header")
            for name in ACTIONS:
                link = header.get_by_role("link", name=name, exact=True)
                assert link.is_visible(), (url, name)
                assert in_viewport(page, link), (url, name)  # no scrolling, no menu
                box = link.bounding_box()
                assert min(box["height"], box["width"]) >= 44  # a finger's size
            assert not page.locator("details.menu").evaluate("d => d.open")
            assert page.locator("a[href^='tel:']").count() == 0  # the phone is not known
            header.get_by_role("link", name="Send a prescription", exact=True).click()
            page.wait_for_url(f"{base_url}/send-a-prescription/")
            header.get_by_role("link", name="Contact us", exact=True).click()
            page.wait_for_url(f"{base_url}/contact/")
        finally:
            page.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_known_phone_is_one_tap_away_on_a_phone(known_url, javascript, open_page):
    page = open_page("", WIDTHS["phone"], javascript=javascript, base=known_url)
    try:
        call = page.get_by_role("link", name="Call us at (517) 555-0100")
        assert call.is_visible()
        assert in_viewport(page, call)
        assert call.get_attribute("href") == "tel:5175550100"
        assert not page.locator("header").get_by_role("link", name="Contact us").is_visible()
        assert page.locator("header").get_by_role("link", name="Send a prescription").is_visible()
    finally:
        page.close()
    page = open_page("", WIDTHS["desktop"], javascript=javascript, base=known_url)
    try:  # a laptop cannot call: the contact page, which lists the number
        assert not page.get_by_role("link", name="Call us at (517) 555-0100").is_visible()
        assert page.locator("header").get_by_role("link", name="Contact us").is_visible()
    finally:
        page.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_page_scrolls_sideways(site, width, browse):
    wide = []
    names = {url: name for name, url in PAGES.items()}
    for scheme in ("light", "dark"):
        for url, page in browse(list(names), width, scheme):
            sizes = page_widths(page)
            if sizes[0] > sizes[1]:
                wide.append(f"{names[url]} {scheme}: {sizes}")
    assert not wide, wide


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_nothing_on_the_pharmacy_pages(site, width, scheme, browse):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    failures = []
    names = {url: name for name, url in PAGES.items()}
    for url, page in browse(list(names), width, scheme):
        for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
            failures.append(f"{names[url]}: {violation['id']} "
                            f"{[node['target'] for node in violation['nodes'][:3]]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_home_page_lists_no_page_twice_on_its_first_screen(site, width, open_page):
    page = open_page("", width)
    try:
        hrefs = page.evaluate("""() => [...document.querySelectorAll(
                'main a[href], header a[href]')].filter(a => { const r = a.getBoundingClientRect();
                           return r.width > 0 && r.bottom > 0 && r.top < innerHeight; })
            .map(a => [a.closest('main') ? 'main' : 'header', a.pathname, a.hash])""")
        for part in ("main", "header"):
            seen = [path for where, path, fragment in hrefs
                    if where == part and not (fragment and path == "/")]
            assert seen, part
            assert len(seen) == len(set(seen)), (part, seen)
        main = [path for where, path, _ in hrefs if where == "main"]
        assert "/what-is-ldn/" in main  # the patients' path is on the first screen
        if width == WIDTHS["desktop"]:
            assert "/send-a-prescription/" in main  # and the prescribers' beside it
    finally:
        page.close()


def test_a_review_link_lands_on_the_person_with_the_bio(site, base_url, open_page):
    page = open_page("ldn-research/", WIDTHS["phone"])
    try:
        page.locator("p.review a").first.click()
        page.wait_for_url(f"{base_url}/editorial-policy/#person-pharmacist")
        entry = page.locator("#person-pharmacist")
        assert in_viewport(page, entry.locator("h3"))
        assert "Reviews each health page" in entry.inner_text()
        assert entry.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"  # :target
    finally:
        page.close()
