"""Citation previews in a real Chromium, under the site's own Content-Security-Policy.

theme/js/citations.js shows a citation's reference on hover and on keyboard focus
(WCAG 1.4.13: dismissible with Escape, hoverable, persistent); without it the link jumps.
"""

from __future__ import annotations

import pytest

from site_under_test import built_site, page_types

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.fixture(scope="module")
def article(site) -> str:
    return next(kind.url for kind in page_types(site) if kind.name == "article")


@pytest.fixture(params=[390, 1280], ids=["phone", "desktop"])
def page(request, browser, base_url, article):
    # No bypass_csp: the script must run under script-src 'self'.
    context = browser.new_context(viewport={"width": request.param, "height": 800},
                                  reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(f"{base_url}/{article}")
    page.wait_for_load_state("load")
    yield page
    context.close()
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


def test_without_javascript_the_link_jumps_to_the_reference(browser, base_url, article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{base_url}/{article}")
        link = page.locator(".prose .citation a").first
        target = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"**{target}")
        assert page.locator(target).is_visible()
        assert tooltip(page).count() == 0
    finally:
        context.close()
