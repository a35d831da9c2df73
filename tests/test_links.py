"""Every internal link and #anchor on the built site leads somewhere that exists."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from site_under_test import built_site, site_urls


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        for attr in ("href", "src"):
            if tag in {"a", "link", "img", "script", "source", "form"} and values.get(attr):
                self.links.append(values[attr] or "")
        if tag == "form" and values.get("action"):
            self.links.append(values["action"] or "")


def parse(path: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(output: Path, page_url: str, href: str) -> Path | None:
    """The file a same-site href points to, or None for links that leave the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return output / page_url / "index.html" if page_url.endswith("/") or not page_url \
            else output / page_url
    base = "/" + page_url.rsplit("/", 1)[0] + "/" if "/" in page_url else "/"
    absolute = path if path.startswith("/") else base + path
    target = output / absolute.lstrip("/")
    return target / "index.html" if absolute.endswith("/") else target


@pytest.fixture(scope="module")
def site():
    return built_site()


def test_every_internal_link_and_anchor_resolves(site):
    output = site.output
    pages = {url: parse(output / (url + "index.html" if url.endswith("/") or not url else url))
             for url in site_urls(output)}
    broken: list[str] = []
    checked = 0
    for url, page in pages.items():
        for href in page.links:
            if href.startswith(("mailto:", "tel:", "data:")):
                continue
            target = target_file(output, url, href)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(f"/{url}: {href} (no file {target.relative_to(output)})")
                continue
            fragment = urldefrag(href).fragment
            if fragment and target.suffix == ".html":
                ids = parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"/{url}: {href} (no id '{fragment}' on that page)")
    assert checked > 50, f"only {checked} internal links found: is the site built?"
    assert not broken, "broken internal links:\n" + "\n".join(sorted(set(broken)))


def test_the_link_checker_finds_a_broken_link_and_anchor(tmp_path):
    """The check above can fail: a missing page and a missing id are both reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<p id="here"><a href="/a/#here">ok</a> <a href="/gone/">x</a> '
        '<a href="#nowhere">y</a> <a href="https://example.org/">out</a></p>',
        encoding="utf-8",
    )
    page = parse(tmp_path / "a" / "index.html")
    results = {href: target_file(tmp_path, "a/", href) for href in page.links}
    assert results["https://example.org/"] is None
    assert results["/a/#here"].is_file()
    assert not results["/gone/"].is_file()
    assert "nowhere" not in parse(results["#nowhere"]).ids
    assert "here" in page.ids
