"""Page weight: a page's HTML plus the CSS and JS it loads, uncompressed, in bytes.

    python bench/page_weight.py [OUTPUT_DIR] [URL ...]      (default: output/, every article)

Fonts and images are left out: the text needs neither. Exits 1 when an article page is
over the budget (52 KB; 50 KB before the header search box, issue 16).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NamedTuple

BUDGET = 52 * 1024
ASSET = re.compile(
    r"""<link\b[^>]*\brel=["']?stylesheet["']?[^>]*\bhref=["']([^"']+)["']"""
    r"""|<script\b[^>]*\bsrc=["']([^"']+)["']""",
    re.IGNORECASE,
)


class Weight(NamedTuple):
    url: str
    html: int
    assets: dict[str, int]

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())


def page_file(output: Path, url: str) -> Path:
    return output / url / "index.html" if url.endswith("/") or not url else output / url


def page_weight(output: Path, url: str) -> Weight:
    html = page_file(output, url).read_bytes()
    assets: dict[str, int] = {}
    for match in ASSET.finditer(html.decode("utf-8")):
        href = (match.group(1) or match.group(2)).split("?")[0].split("#")[0]
        if re.match(r"^[a-z]+:", href):  # another origin: the site has none; count it as huge
            assets[href] = BUDGET
            continue
        path = href.split("://", 1)[-1]
        assets[href] = (output / path.lstrip("/")).stat().st_size
    return Weight(url, len(html), assets)


def article_urls(output: Path) -> list[str]:
    marker = 'property="og:type" content="article"'
    return sorted(path.parent.relative_to(output).as_posix() + "/"
                  for path in output.glob("*/index.html")
                  if marker in path.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else Path("output")
    urls = argv[1:] or article_urls(output)
    over = 0
    for url in urls:
        weight = page_weight(output, url)
        flag = "OVER" if weight.total > BUDGET else "ok"
        over += weight.total > BUDGET
        print(f"{flag:4} {weight.total / 1024:6.1f} KB  /{url}  (HTML {weight.html / 1024:.1f} KB, "
              + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in weight.assets.items()) + ")")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
