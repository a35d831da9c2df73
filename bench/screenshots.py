"""Screenshots of the real site for a person to look at: every kind of page, and an
article with an open citation popover, at 390 and 1280 px, light and dark; and the first
screen of the pages whose opioid safety block must show there (docs/safety.md).

    python bench/screenshots.py        (writes tests/artifacts/screenshots/site/ and
                                        .../safety/, git-ignored)

Builds `content/` into a temporary folder, indexes it for search as `invoke build` does,
serves it on 127.0.0.1 and drives Debian's
chromium. Pictures are for eyes, not assertions (the browser tests assert); it still
exits 1 when a page scrolls sideways, since that shows in no picture of the full page.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from lighthouse import CHROME, ROOT, QuietHandler, build, free_port
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(ROOT))
from tasks import index_site

OUT = ROOT / "tests" / "artifacts" / "screenshots" / "site"
PAGES = {"home": "/", "article": "/ldn-fibromyalgia/", "research": "/ldn-research/",
         "dosing": "/ldn-dosing/", "condition": "/conditions/fibromyalgia/",
         "conditions": "/conditions/", "untested": "/conditions/without-trials/",
         "contact": "/contact/",
         "prescribe": "/send-a-prescription/", "people": "/editorial-policy/",
         "getting-ldn": "/how-to-get-ldn/", "glossary": "/glossary/",
         "references": "/references/", "search": "/search/?q=fibromyalgia"}
POPOVER = "/ldn-side-effects/"  # a callout, and a citation to open
# What a visitor sees before scrolling (a phone's 390 x 844, a laptop's 1280 x 800): the
# summary, then the opioid block.
FIRST_SCREENS = OUT.parent / "safety"
FIRST_SCREEN = {"fibromyalgia": "/ldn-fibromyalgia/", "side-effects": "/ldn-side-effects/",
                "dosing": "/ldn-dosing/"}


def shoot(base: str) -> list[str]:
    overflowing = []
    OUT.mkdir(parents=True, exist_ok=True)
    FIRST_SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME)
        for width in (390, 1280):
            for scheme in ("light", "dark"):
                phone = width < 600
                context = browser.new_context(viewport={"width": width, "height": 900},
                                              color_scheme=scheme, has_touch=phone,
                                              is_mobile=phone)
                page = context.new_page()
                for name, url in PAGES.items():
                    page.goto(base + url)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=OUT / f"{name}-{width}-{scheme}.png", full_page=True)
                    if page.evaluate("document.documentElement.scrollWidth") > width:
                        overflowing.append(f"{url} at {width} px")
                page.goto(base + POPOVER)
                citation = page.locator(".citation a").first
                citation.scroll_into_view_if_needed()
                citation.tap() if phone else citation.click()
                page.wait_for_timeout(300)
                page.screenshot(path=OUT / f"popover-{width}-{scheme}.png")
                page.set_viewport_size({"width": width, "height": 844 if phone else 800})
                for name, url in FIRST_SCREEN.items():
                    page.goto(base + url)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=FIRST_SCREENS / f"{name}-{width}-{scheme}.png")
                    # And one screen from the summary down: the block must follow it.
                    page.evaluate("window.scrollTo(0, document.querySelector("
                                  "'.admonition.key-points').getBoundingClientRect().top"
                                  " + window.scrollY - 8)")
                    page.screenshot(path=FIRST_SCREENS / f"{name}-{width}-{scheme}-summary.png")
                context.close()
        browser.close()
    return overflowing


def main() -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
    try:
        build(work / "site", base)
        if index_site(work / "site").returncode:
            print("search index failed; /search/ shows its no-search listing")
        handler = functools.partial(QuietHandler, directory=str(work / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            overflowing = shoot(base)
        finally:
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {OUT.relative_to(ROOT)}")
    for problem in overflowing:
        print(f"scrolls sideways: {problem}")
    return 1 if overflowing else 0


if __name__ == "__main__":
    sys.exit(main())
