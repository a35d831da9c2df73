"""The editor's preview in a real Chromium: a saved sentence appears on the open page by
itself; a broken citation shows an accessible dialog listing the diagnostic exactly as the
terminal prints it, over the last good page; the fix takes the dialog away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from preview_server import preview_fixture, running_preview

pytestmark = pytest.mark.browser

ARTICLE = "content/articles/what-is-ldn.md"
OLD = "Naltrexone blocks opioid receptors."
NEW = "Naltrexone blocks the body's opioid receptors for a while."
BROKEN = "Naltrexone blocks the body's opioid receptors for a while [@nosuchkey]."
DIAGNOSTIC = re.compile(
    r"^content/articles/what-is-ldn\.md:\d+:\d+: error: unknown citation key 'nosuchkey'; "
    r".* \[citations\.unknown-key\]$")


def visible(text: str) -> str:
    return text.replace("\xa0", " ")


def test_preview_reloads_an_edit_and_shows_a_broken_save_over_the_last_good_page(
        tmp_path, browser):
    preview_fixture(tmp_path)
    source = tmp_path / ARTICLE
    with running_preview(tmp_path) as preview:
        page = browser.new_page(viewport={"width": 1280, "height": 500})
        problems: list[str] = []
        page.on("console", lambda message: problems.append(message.text)
                if message.type in ("error", "warning") else None)
        try:
            page.goto(f"{preview.base}/what-is-ldn/")
            page.locator("html[data-preview=live]").wait_for(state="attached")
            page.evaluate("window.scrollTo(0, 300)")
            page.evaluate("window.__samePage = true")  # gone if the page is loaded again
            generation = preview.state()["generation"]

            source.write_text(source.read_text().replace(OLD, NEW))
            page.wait_for_function(
                "text => document.querySelector('main').innerText.includes(text)",
                arg="opioid receptors for a while", timeout=30_000)
            assert page.evaluate("window.__samePage") is None  # it was reloaded, by itself
            assert page.evaluate("window.scrollY") == 300
            preview.wait(lambda s: s["generation"] > generation)

            source.write_text(source.read_text().replace(NEW, BROKEN))
            dialog = page.get_by_role("alertdialog")
            dialog.wait_for(timeout=30_000)
            lines = dialog.locator("li code").all_inner_texts()
            assert len(lines) == 1, lines
            assert DIAGNOSTIC.match(lines[0]), lines
            # Exactly the terminal's line (the server's log is the terminal here).
            assert lines[0] in preview.log.read_text().splitlines()
            assert dialog.get_attribute("aria-labelledby") == "preview-dialog-title"
            assert "1 error" in dialog.get_by_role("heading").inner_text()
            focused = page.evaluate("document.activeElement.closest('dialog') !== null")
            assert focused, "the dialog takes the focus"
            # The page below is still the last good one.
            main = visible(page.locator("main").inner_text())
            assert "opioid receptors for a while" in main
            assert "nosuchkey" not in main

            page.keyboard.press("Escape")  # hidden until the next save, a strip remains
            assert page.get_by_role("alertdialog").count() == 0
            strip = page.get_by_role("region", name="Build errors")
            assert "1 error in the last save" in strip.inner_text()
            strip.get_by_role("button", name="Show problems").click()
            assert page.get_by_role("alertdialog").count() == 1

            source.write_text(source.read_text().replace(BROKEN, NEW))
            page.get_by_role("alertdialog").wait_for(state="detached", timeout=30_000)
            assert page.get_by_role("region", name="Build errors").count() == 0
            assert not [p for p in problems if "Content Security Policy" in p], problems
        finally:
            page.close()


@contextmanager
def phone_page(browser, scheme: str, url: str) -> Iterator:
    """A 390 px page in the colour scheme, open at url; closed after the block."""
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  color_scheme=scheme, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


def axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    results = Axe().run(page, options={"resultTypes": ["violations"],
                                       "rules": {"target-size": {"enabled": True}}})
    return [(v["id"], [n["target"] for n in v["nodes"]])
            for v in results.response["violations"]]


def test_axe_finds_nothing_in_the_error_dialog_and_the_warnings_strip(tmp_path, browser):
    """Light and dark, at a phone's width: the dialog, the error strip it leaves when
    hidden, and the warnings strip (a review that is overdue)."""
    preview_fixture(tmp_path)
    source = tmp_path / ARTICLE
    good = source.read_text()
    with running_preview(tmp_path) as preview:
        generation = preview.state()["generation"]
        source.write_text(good.replace(OLD, BROKEN))
        preview.settle(generation)
        for scheme in ("light", "dark"):
            with phone_page(browser, scheme, f"{preview.base}/what-is-ldn/") as page:
                page.get_by_role("alertdialog").wait_for()
                assert axe_violations(page) == []
                page.keyboard.press("Escape")
                page.get_by_role("region", name="Build errors").wait_for()
                assert axe_violations(page) == []
        generation = preview.state()["generation"]
        source.write_text(re.sub(r"^last_reviewed: .*\nnext_review: .*$",
                                 "last_reviewed: 2025-06-01\nnext_review: 2025-12-01", good,
                                 count=1, flags=re.M))
        state = preview.settle(generation)
        assert [w for w in state["warnings"] if w.endswith("[review.overdue]")], state
        for scheme in ("light", "dark"):
            with phone_page(browser, scheme, f"{preview.base}/what-is-ldn/") as page:
                strip = page.get_by_role("region", name="Build warnings")
                strip.wait_for()
                assert axe_violations(page) == []
                strip.get_by_role("button", name="Dismiss").click()
                assert strip.count() == 0
                page.reload()  # dismissed until the warnings change
                page.locator("html[data-preview=live]").wait_for(state="attached")
                assert page.get_by_role("region", name="Build warnings").count() == 0
