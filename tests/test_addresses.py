"""Where pages are written and linked stays inside the site: slug, url, save_as and
template are validated, no two pages share an address, and the sitemap and the feed
escape whatever address gets past the checks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_file_safety import assert_untouched, keep_last_good

from conftest import BuildResult, build_once, run_build, shared_build, write_content
from plugins.frontmatter.addresses import Address, Reserved, collisions

ARTICLES = "content/articles"
EXPECTED = [
    f"{ARTICLES}/evil-url.md:4:6: error: url '/evil.example/x' is not an address inside "
    "this site; write it relative to the site, without a leading '/', '..' or 'https:', "
    "e.g. url: ldn-dosing/ (or leave url out: the page is at /<slug>/) [frontmatter.bad-url]",
    f"{ARTICLES}/markup-slug.md:3:7: error: the slug 'x<script>alert(1)</script>' may hold "
    "only lower-case letters, digits and hyphens; for example slug: x-script-alert-1-script "
    "[frontmatter.bad-slug]",
    f"{ARTICLES}/robots.md:4:10: error: save_as 'robots.txt' is the address of files the "
    "build writes itself (robots.txt); remove save_as (the page is then at /<slug>/), or "
    "choose another address [frontmatter.address-taken]",
    f"{ARTICLES}/same-b.md:3:7: error: the slug 'same-slug' is also the slug of "
    f"{ARTICLES}/same-a.md; two pages cannot share an address; give one of them another "
    "slug [frontmatter.duplicate-slug]",
    f"{ARTICLES}/search.md:3:7: error: this page would be written to 'search/index.html', "
    "the address of files the build writes itself (search/index.html); choose another "
    "slug, or remove save_as and url [frontmatter.address-taken]",
    f"{ARTICLES}/template.md:4:11: error: '../../etc/passwd' is not a page template of the "
    "theme; use one of article, contact, getting-ldn, home, options, page, prescribe "
    "(PAGE_TEMPLATES in pelicanconf.py), or leave template out [frontmatter.bad-template]",
]


@pytest.fixture(scope="module")
def refused() -> BuildResult:
    def make(root: Path) -> BuildResult:
        write_content(root / "content", "addresses")
        keep_last_good(root / "output")
        return run_build(root)
    return build_once("addresses-refused", make)


def test_each_unsafe_address_is_one_located_error(refused: BuildResult) -> None:
    assert refused.returncode == 1
    assert refused.diagnostics == EXPECTED
    assert "Traceback" not in refused.stdout + refused.stderr
    assert "//evil.example" not in refused.stdout + refused.stderr
    assert_untouched(refused.output)


SETTINGS = {"SITEURL": "https://ldn.example.org", "FEED_ALL_ATOM": "feeds/all.atom.xml",
            # A pattern in the settings is not checked like front-matter is.
            "ARTICLE_URL": '{slug}/?a=<script>alert(1)</script>&b="c"'}
HOSTILE = 'https://ldn.example.org/first-article/?a=<script>alert(1)</script>&b="c"'


@pytest.fixture(scope="module")
def hostile_pattern() -> BuildResult:
    # Ready to launch (launch-ready laid over it), so that it has a sitemap.
    return shared_build("basic", overlay="launch-ready", **SETTINGS)


def test_the_sitemap_escapes_every_address(hostile_pattern: BuildResult) -> None:
    assert hostile_pattern.ok, hostile_pattern.stderr
    text = (hostile_pattern.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<script" not in text
    tree = ET.fromstring(text)  # noqa: S314 - our own build output
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert HOSTILE in [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    assert [el.tag.split("}")[1] for el in tree.iter()] == ["urlset"] + [
        "url", "loc", "lastmod", "changefreq", "priority"] * len(tree)


def test_the_feed_escapes_every_address(hostile_pattern: BuildResult) -> None:
    text = (hostile_pattern.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "<script" not in text
    tree = ET.fromstring(text)  # noqa: S314 - our own build output
    links = [link.get("href") for link in tree.iter("{http://www.w3.org/2005/Atom}link")]
    assert any(link.startswith("https://ldn.example.org/first-article/?a=")
               for link in links)


RESERVED = Reserved.from_settings({
    "DIRECT_TEMPLATES": ["404", "search"], "SEARCH_SAVE_AS": "search/index.html",
    "THEME_STATIC_DIR": "theme", "STATIC_PATHS": ["images"],
    "FEED_ALL_ATOM": "feeds/all.atom.xml", "CATEGORY_FEED_ATOM": "topics/{slug}.atom.xml",
    "ARTICLE_SAVE_AS": "{slug}/index.html", "DRAFT_SAVE_AS": "drafts/{slug}/index.html"})


@pytest.mark.parametrize(("path", "owner"), [
    ("404.html", "404.html"), ("robots.txt", "robots.txt"), ("sitemap.xml", "sitemap.xml"),
    ("search/index.html", "search/index.html"), ("search/x.html", "search/"),
    ("theme/css/site.html", "theme/"),
    ("pagefind/index.html", "pagefind/"), ("topics/x.html", "topics/"),
    ("images/a.html", "images/"), ("conditions/x/index.html", "conditions/"),
    ("references/index.html", "references/"), ("feeds/all.atom.xml", "feeds/all.atom.xml"),
    ("feeds/x.atom.xml", "feeds/"),
    ("ldn-dosing/index.html", None), ("drafts/x/index.html", None),
])
def test_reserved_addresses_come_from_the_settings(path: str, owner: str | None) -> None:
    assert RESERVED.owner(path) == owner


def test_a_page_that_claims_another_pages_address_is_the_one_reported() -> None:
    natural = Address("content/articles/z.md", "z", "z/", "z/index.html")
    claimer = Address("content/articles/a.md", "a", "z/", "z/index.html", explicit=True)
    draft = Address("content/articles/d.md", "z", "drafts/z/", "drafts/z/index.html",
                    draft=True)
    assert [(page.source, code) for page, _, code, _ in
            collisions([claimer, natural, draft], RESERVED)] == [
        ("content/articles/a.md", "frontmatter.address-taken")]


DATA = [
    "content/articles/wrong-types.md:3:7: error: 'slug' must be text, not ['wrong', "
    "'types']; for example slug: ldn-fibromyalgia [frontmatter.bad-type]",
    "content/articles/wrong-types.md:4:9: error: 'status' must be one of a fixed set of "
    "words, not 5; for example status: draft [frontmatter.bad-value]",
    "content/articles/wrong-types.md:5:8: error: 'order' must be a whole number, not "
    "'many'; for example order: 1 [frontmatter.bad-type]",
    "content/conditions.yaml:6:11: error: 'name' of condition 'fibromyalgia' must be text, "
    "not a list; write it on one line, in quotes: name: \"...\" [conditions.bad-field]",
    "content/conditions.yaml:8:15: error: 'in_short' of condition 'fibromyalgia' must be "
    "text, not the value 5; write it on one line, in quotes: in_short: \"...\" "
    "[conditions.bad-field]",
    "content/pharmacy.yaml:2:7: error: name must be text, not a list; put the value in "
    "quotes on one line, e.g. name: \"...\" [sitedata.bad-type]",
    "content/pharmacy.yaml:6:11: error: ships_to must be a list of text, not 'MI'; write "
    "it in brackets, e.g. ships_to: [first, second] [sitedata.bad-type]",
    "content/pharmacy.yaml:8:10: error: contact.phone must be text, not the number "
    "5551234567; put the value in quotes on one line, e.g. phone: \"...\" "
    "[sitedata.bad-type]",
    "content/pharmacy.yaml:10:3: error: unknown field 'contact.adress'; did you mean "
    "'address'? [sitedata.unknown-field]",
    "content/pharmacy.yaml:14:11: error: people.pharmacist.name must be text, not a "
    "mapping of fields; put the value in quotes on one line, e.g. name: \"...\" "
    "[sitedata.bad-type]",
    "content/studies.yaml:3:9: error: 'name' of 'younger2013' must be text, not 2013; "
    "write it in words, in quotes: name: \"...\" [evidence.bad-value]",
    "content/studies.yaml:5:9: error: 'dose' of 'younger2013' must be a single value; "
    "write 'dose: ...' with a value, or leave the field out if it is not known "
    "[evidence.bad-value]",
]


def test_wrongly_typed_data_is_one_located_error_each(tmp_path) -> None:
    write_content(tmp_path / "content", "data-types")
    keep_last_good(tmp_path / "output")
    built = run_build(tmp_path)
    assert built.returncode == 1
    assert built.diagnostics == DATA
    assert "Traceback" not in built.stdout + built.stderr
    assert_untouched(built.output)



def test_no_page_carries_the_markup_of_the_address(hostile_pattern: BuildResult) -> None:
    written = [p for p in hostile_pattern.output.rglob("*")
               if p.suffix in {".html", ".xml", ".txt"}]
    assert len(written) > 5
    for path in written:
        assert "<script>alert(1)" not in path.read_text(encoding="utf-8"), path
