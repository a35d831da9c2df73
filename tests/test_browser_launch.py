"""The preview banner in a real Chromium, on the site under test (the real content, which is
not ready to launch): visible at the top, never over the header or the text, a labelled
region that is not a live region, styled for light, dark and print, axe-clean.

Screenshots of the home page and an article, 390 and 1280 px, light and dark, go to
tests/artifacts/screenshots/launch/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import pytest
from test_browser_theme import AXE_OPTIONS, SCHEMES, WIDTHS, describe

from conftest import ROOT
from site_under_test import built_site, page_types

pytestmark = pytest.mark.browser

SHOTS = ROOT / "tests" / "artifacts" / "screenshots" / "launch"


@pytest.fixture(scope="module")
def preview_pages():
    kinds = {kind.name: kind.url for kind in page_types(built_site())}
    banner = '<section class="preview"'
    home = (built_site().output / "index.html").read_text(encoding="utf-8")
    if banner not in home:
        pytest.skip("the site under test is ready to launch: it has no preview banner")
    return {"home": kinds["home"], "article": kinds["article"]}


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_banner_is_at_the_top_in_the_flow_and_covers_nothing(
        preview_pages, width, scheme, open_page):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in preview_pages.items():
        # Screenshots for a person: a context of its own, as a first visit shows it.
        page = open_page(url, width, scheme, bypass_csp=True, own_context=True)
        try:
            region = page.get_by_role("region", name="Preview")
            assert region.is_visible()
            assert region.inner_text().startswith("Preview: this site is not open yet.")
            # Read once, in order, like any text: not announced again as a live region.
            assert region.get_attribute("aria-live") is None
            assert region.get_attribute("role") is None
            banner, header = box(page, "section.preview"), box(page, "header.site-header")
            assert banner["y"] == 0
            assert banner["width"] == width
            assert header["y"] >= banner["y"] + banner["height"]  # above the header, not on it
            h1 = box(page, "main h1")
            hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest("
                                "'section.preview') === null",
                                [h1["x"] + 5, h1["y"] + h1["height"] / 2])
            assert hit, "the banner covers the page's heading"
            page.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"))
            # It scrolls away with the page: never fixed over the text.
            page.mouse.wheel(0, 600)
            page.wait_for_function("() => window.scrollY >= 600")
            assert box(page, "section.preview")["y"] < 0
            results = Axe().run(page, context="section.preview", options=AXE_OPTIONS)
            assert not results.response["violations"], describe(
                results.response["violations"])
            # Dark pages keep the banner readable: its colours follow the scheme.
            colours = page.evaluate("() => { const s = getComputedStyle(document.querySelector("
                                    "'section.preview')); return [s.color, s.backgroundColor]; }")
            assert colours[0] != colours[1]
            body_background = page.evaluate(
                "() => getComputedStyle(document.body).backgroundColor")
            assert (body_background == "rgb(255, 255, 255)") == (scheme == "light")
        finally:
            page.context.close()


def test_the_banner_prints_as_a_plain_bordered_box(preview_pages, open_page):
    page = open_page(preview_pages["article"], 1280, bypass_csp=True)
    try:
        page.emulate_media(media="print")
        style = page.evaluate("() => { const s = getComputedStyle(document.querySelector("
                              "'section.preview')); return [s.display, s.backgroundColor, "
                              "s.borderTopStyle, s.color]; }")
        assert style == ["block", "rgba(0, 0, 0, 0)", "solid", "rgb(0, 0, 0)"]
    finally:
        page.close()
