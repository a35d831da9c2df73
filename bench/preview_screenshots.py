"""Screenshots of the editor's preview for a person to look at: an article with the error
dialog (a save with an unknown citation key and a second problem), and with the warnings
strip (a page whose review is overdue), at 390 and 1280 px, light and dark.

    python bench/preview_screenshots.py   (writes tests/artifacts/screenshots/preview/)

Runs the preview (`python -m plugins.preview`, as `invoke livereload` does) on a copy of
the real content/ and drives Debian's chromium.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from preview_server import Preview, running_preview  # noqa: E402

OUT = ROOT / "tests" / "artifacts" / "screenshots" / "preview"
ARTICLE = "articles/ldn-fibromyalgia.md"
URL = "/ldn-fibromyalgia/"
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}


def shoot(preview: Preview, name: str, ready: str) -> list[Path]:
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for width, viewport in SIZES.items():
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                page.goto(preview.base + URL)
                page.locator(ready).first.wait_for()
                page.wait_for_timeout(300)
                path = OUT / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=path)
                taken.append(path)
                page.close()
        browser.close()
    return taken


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="preview-shots-"))
    try:
        shutil.copytree(ROOT / "content", root / "content")
        source = root / "content" / ARTICLE
        good = source.read_text(encoding="utf-8")
        with running_preview(root) as preview:
            generation = preview.state()["generation"]
            broken = re.sub(r"^last_reviewed: .*$", "last_reviewed: 2026-13-01",
                            good.replace("[@parkitny2017", "[@parkitny2071", 1), count=1,
                            flags=re.M)
            source.write_text(broken, encoding="utf-8")
            state = preview.settle(generation)
            print("\n".join(state["errors"]))
            taken = shoot(preview, "error", "dialog[open]")
            overdue = re.sub(r"^last_reviewed: .*\nnext_review: .*$",
                             "last_reviewed: 2025-06-01\nnext_review: 2026-01-01", good,
                             count=1, flags=re.M)
            source.write_text(overdue, encoding="utf-8")
            state = preview.settle(state["generation"])
            print("\n".join(state["errors"] + state["warnings"]))
            taken += shoot(preview, "warnings", ".preview-strip")
        print("\n".join(str(path) for path in taken))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
