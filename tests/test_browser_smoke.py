"""A visitor opens the home page in a real Chromium and follows a link."""

from __future__ import annotations

import pytest

from conftest import shared_build
from site_under_test import serve

pytestmark = pytest.mark.browser


def visible(text: str) -> str:
    """Text as a visitor reads it: typogrify's no-break spaces are spaces."""
    return text.replace("\xa0", " ")


def test_home_page_shows_its_content_and_links_to_the_article(new_tab):
    result = shared_build("basic")
    assert result.ok, result.stderr
    with serve(result.output) as base:
        page = new_tab(viewport={"width": 390, "height": 844})
        try:
            response = page.goto(f"{base}/")
            assert response is not None
            assert response.status == 200
            assert visible(page.locator("h1").first.inner_text()) == "Welcome to the fixture site"
            assert "help@example.org" in page.locator("main").inner_text()
            page.get_by_role("link", name="The first article").first.click()
            page.wait_for_url(f"{base}/first-article/")
            assert visible(page.locator("h1").first.inner_text()) == "The first article"
        finally:
            page.close()
