"""Screenshots of the integrity marks for a person to look at: the fixture site of
tests/test_integrity.py with an acknowledged retraction, a PubMed-only retraction and a
correction, its reference list and an open citation preview, at 390 and 1280 px, light
and dark.

    python bench/integrity_screenshots.py   (writes tests/artifacts/screenshots/integrity/)

The data file is the one the tests' audit writes from the synthetic responses of
tests/fixtures/integrity-api/ (invented works and notices), plus two acknowledgements.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from lighthouse import CHROME, ROOT, QuietHandler, free_port
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(ROOT))
from plugins.integrity.data import IntegrityData, Notice, Work
from plugins.integrity.store import dump

OUT = ROOT / "tests" / "artifacts" / "screenshots" / "integrity"
FIXTURE = ROOT / "tests" / "fixtures" / "integrity-site"
CHECKED = "2026-12-07"
WORKS = {
    "retracted2020": Work("retracted2020", CHECKED, "10.5555/fixture.retracted", "99999001", (
        Notice("retraction", "10.5555/fixture.notice.r", "99999101", "2021-05-04",
               "retraction-watch"),), "The page discusses the retraction."),
    "pubmedonly2019": Work("pubmedonly2019", CHECKED, "", "99999002",
                           (Notice("retraction", source="pubmed"),), "Listed as an example."),
    "corrected2021": Work("corrected2021", CHECKED, "10.5555/fixture.corrected", "", (
        Notice("correction", "10.5555/fixture.notice.c", "", "2022-03-15", "publisher"),)),
    "sound2022": Work("sound2022", CHECKED, "10.5555/fixture.sound", "99999004"),
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary)
        shutil.copytree(FIXTURE, site / "content")
        (site / "content" / "integrity.yaml").write_text(dump(IntegrityData(WORKS)))
        subprocess.run([sys.executable, "-m", "pelican", str(site / "content"), "-s",
                        str(ROOT / "pelicanconf.py"), "-o", str(site / "output"), "-e",
                        f'CACHE_PATH="{site / "cache"}"'], cwd=ROOT, check=True)
        port = free_port()
        handler = functools.partial(QuietHandler, directory=str(site / "output"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROME)
                for width in (390, 1280):
                    for scheme in ("light", "dark"):
                        phone = width < 600
                        context = browser.new_context(
                            viewport={"width": width, "height": 900}, color_scheme=scheme,
                            has_touch=phone, is_mobile=phone)
                        page = context.new_page()
                        page.goto(base + "/fibro-article/")
                        page.locator(".references").last.scroll_into_view_if_needed()
                        page.screenshot(path=OUT / f"references-{width}-{scheme}.png",
                                        full_page=True)
                        citation = page.locator(".citation a").first
                        citation.scroll_into_view_if_needed()
                        citation.tap() if phone else citation.click()
                        page.wait_for_timeout(300)
                        page.screenshot(path=OUT / f"popover-{width}-{scheme}.png")
                        context.close()
                browser.close()
        finally:
            server.shutdown()
    print(f"written: {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
