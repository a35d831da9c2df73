"""Citation previews in a real Chromium, under the site's own Content-Security-Policy.

theme/js/citations.js shows a citation's reference on hover and on keyboard focus
(WCAG 1.4.13: dismissible with Escape, hoverable, persistent); without it the link jumps.
"""

from __future__ import annotations

import pytest

from conftest import shared_build
from site_under_test import built_site, page_types, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.fixture(scope="module")
def article(site) -> str:
    return next(kind.url for kind in page_types(site) if kind.name == "article")


@pytest.fixture(params=[390, 1280], ids=["phone", "desktop"])
def page(request, new_tab, base_url, article):
    # No bypass_csp: the script must run under script-src 'self'.
    page = new_tab(viewport={"width": request.param, "height": 800}, reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(f"{base_url}/{article}")
    page.wait_for_load_state("load")
    yield page
    page.close()
    assert errors == []


def reference_text(page, link) -> str:
    target = link.get_attribute("href")
    return " ".join(page.locator(f"{target} .ref-text").inner_text().split())


def tooltip(page):
    return page.locator('[role="tooltip"]')


def assert_inside_viewport(page) -> None:
    box = tooltip(page).bounding_box()
    view = page.evaluate("() => [document.documentElement.clientWidth, innerHeight]")
    assert 0 <= box["x"] <= view[0] - box["width"], (box, view)
    assert 0 <= box["y"] <= view[1] - box["height"], (box, view)


def shown_preview_of(page, link):
    """The tooltip, once visible: it holds the link's reference and describes the link."""
    tip = tooltip(page)
    tip.wait_for(state="visible")
    assert " ".join(tip.inner_text().split()) == reference_text(page, link)
    assert link.get_attribute("aria-describedby") == tip.get_attribute("id")
    assert_inside_viewport(page)
    return tip


def test_hover_shows_the_reference_and_escape_hides_it(page):
    link = page.locator(".prose .citation a").last
    link.scroll_into_view_if_needed()
    link.hover()
    tip = shown_preview_of(page, link)
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('[role=tooltip]')).transitionDuration"
    ) in ("0s", "")
    # Hoverable: the pointer moves onto the tooltip and it stays.
    box = tip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(500)
    assert tip.is_visible()
    # Dismissible without moving the pointer.
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    assert link.get_attribute("aria-describedby") is None
    # Moving away from both hides it.
    link.hover()
    tip.wait_for(state="visible")
    page.mouse.move(1, 1)
    tip.wait_for(state="hidden")


def test_keyboard_focus_shows_the_reference_and_escape_hides_it(page):
    links = page.locator(".prose .citation a")
    first = links.first
    first.focus()
    tip = shown_preview_of(page, first)
    page.wait_for_timeout(500)
    assert tip.is_visible()  # persistent while focused
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    assert first.get_attribute("aria-describedby") is None
    page.keyboard.press("Tab")  # focus moves on: the next link's preview, or none
    focused = page.evaluate("() => document.activeElement.matches('.citation a')")
    assert tip.is_visible() == focused


def test_without_javascript_the_link_jumps_to_the_reference(new_tab, base_url, article):
    page = new_tab(java_script_enabled=False)
    try:
        page.goto(f"{base_url}/{article}")
        link = page.locator(".prose .citation a").first
        target = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"**{target}")
        assert page.locator(target).is_visible()
        assert tooltip(page).count() == 0
    finally:
        page.close()


# ---- Touch: the popover (theme/js/citations.js) --------------------------------------

@pytest.fixture
def phone(new_tab, base_url, article):
    """A touch phone at 390 px, under the page's own CSP."""
    page = new_tab(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True,
                   reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/{article}")
    page.wait_for_load_state("load")
    yield page
    page.close()
    assert errors == []


def open_popover(page, link):
    link.scroll_into_view_if_needed()
    link.tap()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    return dialog


def test_tapping_a_citation_opens_its_reference_in_a_popover(phone):
    link = phone.locator(".prose .citation a").nth(2)
    dialog = open_popover(phone, link)
    assert dialog.get_attribute("aria-label") == f"Reference {link.inner_text()}"
    text = " ".join(dialog.locator(".ref-text").inner_text().split())
    assert text == reference_text(phone, link)
    assert dialog.get_by_role("link", name="Go to reference list").get_attribute("href") \
        == link.get_attribute("href")
    pubmed = phone.locator(f'{link.get_attribute("href")} > a[href*="pubmed"]')
    assert dialog.get_by_role("link", name="PubMed").count() == pubmed.count()
    box = dialog.bounding_box()
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= 390, box
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= 800, box
    assert phone.evaluate("() => document.activeElement.getAttribute('role')") == "dialog"
    assert tooltip(phone).is_hidden()  # one preview at a time
    phone.keyboard.press("Escape")
    assert dialog.is_hidden()
    assert phone.evaluate("() => document.activeElement.id") == link.get_attribute("id")
    assert tooltip(phone).is_hidden()


def test_a_tap_outside_or_close_closes_the_popover(phone):
    link = phone.locator(".prose .citation a").first
    dialog = open_popover(phone, link)
    box = dialog.bounding_box()
    # In the page's left margin, away from the popover and from any link.
    phone.touchscreen.tap(4, 790 if box["y"] + box["height"] < 780 else box["y"] - 10)
    dialog.wait_for(state="hidden")
    open_popover(phone, link).get_by_role("button", name="Close").tap()
    dialog.wait_for(state="hidden")
    assert phone.evaluate("() => document.activeElement.id") == link.get_attribute("id")


def test_go_to_reference_list_lands_on_the_highlighted_entry(phone):
    link = phone.locator(".prose .citation a").first
    target = link.get_attribute("href")
    open_popover(phone, link).get_by_role("link", name="Go to reference list").tap()
    phone.wait_for_url(f"**{target}")
    assert phone.get_by_role("dialog").is_hidden()
    top = phone.locator(target).bounding_box()["y"]
    assert 0 <= top < 200


# ---- Without JavaScript: the jump and the way back ------------------------------------

def sticky_bottom(page) -> float:
    """Where the content starts under a sticky or fixed header (0 when none is)."""
    return page.evaluate("""() => Math.max(0, ...[...document.querySelectorAll('body *')]
        .filter(e => ['sticky', 'fixed'].includes(getComputedStyle(e).position)
                     && !e.closest('article'))
        .map(e => e.getBoundingClientRect().bottom))""")


def test_without_javascript_the_jump_lands_visible_and_highlighted_and_back(new_tab, base_url,
                                                                             article):
    page = new_tab(java_script_enabled=False, viewport={"width": 390, "height": 800},
                   reduced_motion="reduce")
    try:
        page.goto(f"{base_url}/{article}")
        link = page.locator(".prose .citation a").nth(1)
        target = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"**{target}")
        entry = page.locator(target)
        assert entry.bounding_box()["y"] >= sticky_bottom(page)
        assert entry.bounding_box()["y"] < 400
        style = """e => { const s = getComputedStyle(e);
            return [s.backgroundColor, s.borderLeftWidth, s.borderLeftStyle]; }"""
        other = page.locator(f".reference-list > li:not({target})").first
        assert entry.evaluate(style) != other.evaluate(style)
        assert entry.evaluate(style)[2] == "solid"  # a bar, not colour alone
        # Back: every back-link is named; landing, the citing sentence is in view.
        backs = entry.locator('a[href^="#cite-"]')
        names = [b.evaluate("e => e.getAttribute('aria-label') || e.textContent")
                 for b in backs.all()]
        assert all(n == "back to text" or n.startswith("Back to citation ") for n in names), names
        back = backs.first
        back.click()
        landed = page.locator(f'[id="{back.get_attribute("href")[1:]}"]')
        y = landed.bounding_box()["y"]
        assert sticky_bottom(page) + 100 <= y <= 700, y  # lines above it are in view too
        assert landed.evaluate("e => getComputedStyle(e).backgroundColor") != \
            page.locator(".prose .citation a:not(:target)").first.evaluate(
                "e => getComputedStyle(e).backgroundColor")
    finally:
        page.close()


def test_backlinks_have_names_that_say_where_they_go(site, article):
    html = site.html(article)
    import re  # noqa: PLC0415
    several = re.findall(r'<a href="#cite-[^"]+" aria-label="([^"]+)">(\d+)</a>', html)
    lone = re.findall(r'<a href="#cite-[^"]+">back to text</a>', html)
    assert several or lone
    assert all(label == f"Back to citation {n}" for label, n in several)
    assert html.count('href="#cite-') == len(several) + len(lone)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_the_popover_open(new_tab, base_url, article, scheme):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    page = new_tab(viewport={"width": 390, "height": 800}, has_touch=True, color_scheme=scheme,
                   bypass_csp=True)
    try:
        page.goto(f"{base_url}/{article}")
        open_popover(page, page.locator(".prose .citation a").first)
        results = Axe().run(page, options={"resultTypes": ["violations"],
                                           "rules": {"target-size": {"enabled": True}}})
        violations = results.response["violations"]
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    finally:
        page.close()


@pytest.fixture(scope="module")
def vancouver_url():
    """The theme fixture cited in a style without superscripts: "[1]" in a span."""
    result = shared_build("theme-site", CITATIONS_STYLE="vancouver")
    assert result.ok, result.stdout + result.stderr
    with serve(result.output) as url:
        yield url


def test_in_a_style_without_superscripts_the_popover_opens_and_leads_to_the_list(
        new_tab, vancouver_url):
    page = new_tab(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True,
                   reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{vancouver_url}/ldn-fibromyalgia/")
        link = page.locator("span.citation a").first
        target = link.get_attribute("href")
        open_popover(page, link).get_by_role("link", name="Go to reference list").tap()
        page.wait_for_url(f"**{target}")
        assert page.get_by_role("dialog").is_hidden()
    finally:
        page.close()
    assert errors == []
