"""plugins.finalize: every page's canonical URL, worked out once, is where the page is written,
drafts and future-dated articles included."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, run_build, soup

SITEURL = "https://ldn.example.org"
ARTICLE = ("---\ntitle: {title}\nslug: {slug}\nsummary: S.\naudience: patients\n"
           "conditions: []\nreviewed_by: pharmacist\nlast_reviewed: 2026-11-01\n"
           "next_review: 2027-05-01\n{extra}---\nText.\n")


def test_canonical_url_of_every_page_is_where_it_is_written(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    articles = tmp_path / "content" / "articles"
    (articles / "draft.md").write_text(
        ARTICLE.format(title="A draft", slug="a-draft", extra="status: draft\n"))
    (articles / "future.md").write_text(
        ARTICLE.format(title="Later", slug="later", extra="date: 2099-01-01\n"))
    result = run_build(tmp_path, SITEURL=SITEURL, RELATIVE_URLS=False, WITH_FUTURE_DATES=False)
    assert result.ok, result.stderr
    written = {}
    for path in result.output.rglob("index.html"):
        canonical = soup(path).select_one(
            'link[rel="canonical"]')
        if canonical is not None:
            written[str(path.parent.relative_to(result.output))] = canonical["href"]
    assert written["drafts/a-draft"] == f"{SITEURL}/drafts/a-draft/"
    assert written["drafts/later"] == f"{SITEURL}/drafts/later/"  # a future date: a draft
    assert written["first-article"] == f"{SITEURL}/first-article/"
    for folder, url in written.items():
        assert url == f"{SITEURL}/" + ("" if folder == "." else f"{folder}/")
