"""The theme's HTML: head metadata, navigation, article layout, footer facts, JSON-LD,
security attributes, robots.txt, the feed and the sitemap, on real fixture builds."""

from __future__ import annotations

import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_site, shared_build, soup
from plugins.diagnostics import Build
from plugins.jsonld import page_graph, trail
from plugins.jsonld.graph import medical_web_page
from plugins.jsonld.plugin import share_author
from plugins.pipeline import Page
from plugins.sitedata import Person
from plugins.sources.toc import WORD, words_of

SITEURL = "https://ldn.example.org"
NAV = [("About LDN", "/what-is-ldn/"), ("Conditions", "/conditions/"),
       ("Side effects", "/ldn-side-effects/"), ("Getting LDN", "/how-to-get-ldn/"),
       ("Research", "/ldn-research/"), ("About us", "/about/")]
ACTIONS = [("Contact us", "/contact/"), ("Send a prescription", "/send-a-prescription/")]
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
              "form-action 'self'")


@pytest.fixture(scope="module")
def local():
    result = shared_build("theme-site")
    assert result.ok, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def production():
    result = shared_build("theme-site", settings_file="publishconf.py", SITEURL=SITEURL,
                          FEED_DOMAIN=SITEURL)
    assert result.ok, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def launched():
    """theme-site with every fact known (theme-site-known laid over it): ready to launch."""
    result = shared_build("theme-site", overlay="theme-site-known",
                          settings_file="publishconf.py", SITEURL=SITEURL, FEED_DOMAIN=SITEURL,
                          LAUNCH=True)
    assert result.ok, result.stdout + result.stderr
    return result


def jsonld(page: BeautifulSoup) -> dict:
    (script,) = page.find_all("script", type="application/ld+json")
    return {node["@type"]: node for node in json.loads(script.string)["@graph"]}


def all_pages(result) -> list[str]:
    return [p.relative_to(result.output).as_posix() for p in result.output.rglob("*.html")]


# ---- Everywhere ---------------------------------------------------------------------

def test_every_page_has_a_strict_csp_and_no_executable_inline_script(local):
    for name in all_pages(local):
        html = (local.output / name).read_text(encoding="utf-8")
        page = soup(html)
        (csp,) = page.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        policy = csp["content"]
        if name == "search/index.html":  # Pagefind's WebAssembly; nothing else is added
            assert "script-src 'self' 'wasm-unsafe-eval';" in policy
            policy = policy.replace(" 'wasm-unsafe-eval'", "")
        assert policy == STRICT_CSP, name
        assert "unsafe" not in policy
        for script in page.find_all("script"):
            if script.get("src"):  # the theme's own deferred scripts, nothing inline
                assert re.fullmatch(r"/theme/js/[\w-]+\.js", script["src"]), name
                assert script.has_attr("defer"), name
                assert not script.string, name
            else:
                assert script.get("type") == "application/ld+json", name
        assert not page.find_all(style=True), f"{name}: inline style attribute"
        assert not page.find_all("style"), f"{name}: <style> element"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"{name}: inline event handler"


def test_head_has_description_icon_og_and_one_stylesheet(local):
    page = soup(local, "what-is-ldn/")
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.replace("\xa0", " ") == (
        "What LDN is, how it differs from standard naltrexone, and why it is compounded.")
    assert page.find("link", rel="icon")["href"] == "/theme/favicon.svg"
    assert (local.output / "theme" / "favicon.svg").is_file()
    assert page.find("meta", property="og:type")["content"] == "article"
    assert page.find("meta", property="og:title")["content"].startswith("What is low-dose")
    assert [link["href"] for link in page.find_all("link", rel="stylesheet")] == [
        "/theme/css/site.css", "/theme/css/citations.css"]
    # The condition pages' own rules load only there.
    for url in ("conditions/", "conditions/fibromyalgia/"):
        assert [link["href"] for link in soup(local, url).find_all("link", rel="stylesheet")] \
            == ["/theme/css/site.css", "/theme/css/citations.css", "/theme/css/conditions.css"]
    assert page.find("link", rel="canonical") is None  # no absolute SITEURL locally


def test_production_pages_have_absolute_canonical_and_og_urls(production):
    page = soup(production, "what-is-ldn/")
    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/what-is-ldn/"
    assert page.find("meta", property="og:url")["content"] == f"{SITEURL}/what-is-ldn/"
    assert soup(production, "").find("link", rel="canonical")["href"] == f"{SITEURL}/"


def test_header_names_the_pharmacy_links_the_sections_and_two_calls_to_action(local):
    for name in all_pages(local):
        page = soup(local.output / name)
        header = page.find("header", class_="site-header")
        assert header.select_one(".site-name").get_text(strip=True) == \
            "Example Compounding Pharmacy", name
        nav = header.find("nav", attrs={"aria-label": "Main"})
        assert nav.find_parent("details") is not None  # the phone menu needs no JavaScript
        assert [(a.get_text(), a["href"]) for a in nav.find_all("a")] == NAV, name
        # The calls to action are outside the menu, and no page is linked twice.
        actions = header.select_one("ul.actions")
        assert actions.find_parent("details") is None
        assert [(a.get_text(), a["href"]) for a in actions.find_all("a")] == ACTIONS, name
        hrefs = [a["href"] for a in header.find_all("a")]
        assert len(hrefs) == len(set(hrefs)), name
        assert "tel:" not in str(header)  # the fixture's phone is not known


def test_the_real_wordmark_is_the_name_in_two_parts():
    import yaml  # noqa: PLC0415

    pharmacy = yaml.safe_load((ROOT / "content" / "pharmacy.yaml").read_text(encoding="utf-8"))
    assert " ".join(pharmacy["wordmark"]) == pharmacy["name"]


def test_the_current_section_is_marked_in_the_navigation(local):
    nav = soup(local, "about/").find("nav", attrs={"aria-label": "Main"})
    assert [a.get_text() for a in nav.find_all("a", attrs={"aria-current": "page"})] == [
        "About us"]
    actions = soup(local, "contact/").select_one("ul.actions")
    assert [a.get_text() for a in actions.find_all("a", attrs={"aria-current": "page"})] == [
        "Contact us"]
    # The header is rendered once for each page it links and once for all the others
    # (plugins/sources/fixed.py): each gets its own mark, and no other page any.
    marked = {}
    for url in ("what-is-ldn/", "ldn-research/", "send-a-prescription/",
                "ldn-fibromyalgia/", "privacy/", "references/"):
        header = soup(local, url).find("header", class_="site-header")
        marked[url] = [a.get_text() for a in header.find_all("a", attrs={"aria-current": True})]
    assert marked == {"what-is-ldn/": ["About LDN"], "ldn-research/": ["Research"],
                      "send-a-prescription/": ["Send a prescription"],
                      "ldn-fibromyalgia/": [], "privacy/": [], "references/": []}


def test_skip_link_is_the_first_link_and_targets_main(local):
    page = soup(local, "ldn-fibromyalgia/")
    first = page.body.find("a")
    assert first["href"] == "#main"
    assert "skip" in first["class"][0]
    assert page.find("main")["id"] == "main"


def test_footer_shows_the_known_pharmacy_facts_and_leaves_out_the_rest(local):
    html = local.html("")
    footer = soup(html).find("footer")
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in footer.find_all("dt")}
    # Phone, email, address and hours are PLACEHOLDERs in the fixture: not shown at all.
    assert facts == {
        "Located in": "Michigan", "Accreditation": "PCAB", "Ships to": "Michigan, Ohio",
    }
    assert "to be confirmed" not in footer.get_text()
    links = {a.get_text(): a["href"] for a in footer.find_all("a")}
    assert links["Privacy"] == "/privacy/"
    assert links["Disclaimer"] == "/medical-disclaimer/"


def test_no_built_file_shows_a_placeholder(local):
    # Unknown facts in pharmacy.yaml are PLACEHOLDER values: none may reach a visitor, in
    # text, attributes, JSON-LD, the sitemap or the search index.
    shown = [path for path in local.output.rglob("*") if path.is_file()
             and b"PLACEHOLDER" in path.read_bytes().upper()]
    assert shown == []


def test_links_to_other_sites_are_plain_links(local):
    # Nothing opens a new window (no target), so no rel is needed: browsers imply noopener.
    page = soup(local, "what-is-ldn/")
    external = page.find("a", href="https://www.accessdata.fda.gov/")
    assert external.get("target") is None
    assert all(a.get("target") is None for name in all_pages(local)
               for a in soup(local.output / name).find_all("a"))


# ---- Article layout -----------------------------------------------------------------

def test_article_parts_come_in_reading_order(local):
    article = soup(local, "ldn-fibromyalgia/").find("article")
    order = [article.find("h1"), article.select_one(".lead"),
             article.select_one(".prose"), article.select_one(".disclaimer")]
    assert all(order), order
    positions = [list(article.descendants).index(part) for part in order]
    assert positions == sorted(positions)
    assert "not medical advice" in article.select_one(".disclaimer").get_text()


def test_words_of_running_text_leave_out_tables_code_and_citation_numbers():
    html = ('<p>One two&nbsp;three, don\u2019t.<sup class="citation"><a href="#ref-a">1</a></sup>'
            "</p><table><tr><td>not counted</td></tr></table><pre>x y</pre><p>LDN 4.5 mg</p>")
    assert words_of(html) == 7


def test_a_word_is_a_run_of_word_characters_and_inner_punctuation_holding_a_letter():
    # Runs of punctuation or underscores alone are no words; an em dash parts two.
    html = "<p>One end. -- x_ __ 'quoted' a-b-c. 4.5 don\u2019t _y &amp; \u00e9t\u00e9\u2014fin</p>"
    assert words_of(html) == 11


def test_words_are_counted_as_the_word_pattern_finds_them_whatever_the_characters():
    # words_of counts a run of letters and digits without the pattern (toc.py): each
    # character up to the general punctuation and letterlike symbols (Latin, Greek,
    # Cyrillic, Arabic digits, combining marks, every kind of space), and a few beyond
    # (a lone surrogate too: the runs are cut from the text's bytes), alone, inside and
    # beside a word, after an underscore and doubled after a dot, counts as WORD.findall
    # counts it.
    for c in map(chr, [*range(0x2150), 0x3000, 0x3042, 0xD800, 0xFF11, 0x1D7CE]):
        if c in "<>":
            continue
        for text in (c, f"a{c}", f"{c}a", f"_{c}b", f"a{c}b", f".{c}{c}", f"x {c}\u2019y"):
            assert words_of(text) == len(WORD.findall(text)), (hex(ord(c)), text)


def test_long_articles_get_a_toc_of_their_sections_and_short_pages_none(local, tmp_path):
    # The fixture's pages are short: a low threshold makes what-is-ldn long.
    short = soup(local, "what-is-ldn/")
    assert short.select_one("nav.toc") is None
    assert "long" not in short.find("article")["class"]
    assert short.find("link", href="/theme/css/long.css") is None
    long = build_site(tmp_path, "theme-site", TOC_MIN_WORDS=50)
    assert long.ok, long.stdout + long.stderr
    page = soup(long, "what-is-ldn/")
    assert "long" in page.find("article")["class"]
    assert page.find("link", href="/theme/css/long.css") is not None
    assert page.select_one("nav.toc details > summary").get_text() == "On this page"
    assert [a["href"] for a in page.select(".to-top a, nav.toc details > a")] == ["#main"] * 2
    local = long
    toc = page.select_one("nav.toc ol")
    assert [(a.get_text(), a["href"]) for a in toc.find_all("a")] == [
        ("Naltrexone at its usual dose", "#naltrexone-at-its-usual-dose"),
        ("What counts as \u201clow dose\u201d", "#what-counts-as-low-dose"),
        ("Why it is compounded", "#why-it-is-compounded"),
        ("Questions to ask your prescriber", "#questions-to-ask-your-prescriber"),
    ]
    assert soup(local, "about/").select_one("nav.toc") is None  # one section only


def test_breadcrumbs_lead_home_and_mark_the_current_page(local):
    crumbs = soup(local, "what-is-ldn/").find("nav", attrs={"aria-label": "Breadcrumb"})
    # The current page is named, not linked: a link to where the reader already is.
    assert [(a.get_text(), a["href"]) for a in crumbs.find_all("a")] == [("Home", "/")]
    (current,) = crumbs.select('[aria-current="page"]')
    assert (current.name, current.get_text()) == ("span", "What is low-dose naltrexone?")
    assert soup(local, "").find("nav", attrs={"aria-label": "Breadcrumb"}) is None


# ---- JSON-LD -------------------------------------------------------------------------

def test_article_jsonld_is_a_medical_web_page_with_pharmacy_and_breadcrumbs(launched):
    nodes = jsonld(soup(launched, "what-is-ldn/"))
    assert set(nodes) == {"Pharmacy", "MedicalWebPage", "BreadcrumbList"}
    page = nodes["MedicalWebPage"]
    assert page["url"] == f"{SITEURL}/what-is-ldn/"
    assert page["name"] == "What is low-dose naltrexone?"
    assert page["lastReviewed"] == "2026-11-01"
    assert page["publisher"] == {"@id": f"{SITEURL}/#pharmacy"}
    assert page["audience"] == [{"@type": "MedicalAudience", "audienceType": "Patient"}]
    # An article names the Pharmacy by its @id; its facts are on the other pages' node.
    assert nodes["Pharmacy"] == {"@type": "Pharmacy", "@id": f"{SITEURL}/#pharmacy",
                                 "name": "Example Compounding Pharmacy", "url": f"{SITEURL}/"}
    pharmacy = jsonld(soup(launched, "about/"))["Pharmacy"]
    assert pharmacy["@id"] == f"{SITEURL}/#pharmacy"
    assert pharmacy["name"] == "Example Compounding Pharmacy"
    assert pharmacy["areaServed"] == ["Michigan", "Ohio"]
    assert pharmacy["telephone"] == "(517) 555-0100"
    assert pharmacy["email"] == "rx@example.org"
    assert [item["item"] for item in nodes["BreadcrumbList"]["itemListElement"]] == [
        f"{SITEURL}/", f"{SITEURL}/what-is-ldn/"]


def test_pages_get_a_web_page_and_the_home_page_no_breadcrumbs(launched):
    assert set(jsonld(soup(launched, "about/"))) == {"Pharmacy", "WebPage", "BreadcrumbList"}
    assert set(jsonld(soup(launched, ""))) == {"Pharmacy", "WebPage"}
    assert set(jsonld(soup(launched.output / "404.html"))) == {"Pharmacy"}


def test_a_preview_presents_the_pharmacy_as_publisher_only_not_a_business(production):
    """theme-site is not ready to launch: no Pharmacy, no address, area or contact point."""
    for url in ("", "what-is-ldn/", "about/", "contact/"):
        nodes = jsonld(soup(production, url))
        assert "Pharmacy" not in nodes
        assert nodes["Organization"] == {
            "@type": "Organization", "@id": f"{SITEURL}/#pharmacy",
            "name": "Example Compounding Pharmacy", "url": f"{SITEURL}/"}


def test_medical_web_page_takes_conditions_citations_and_review_from_the_plugins():
    record = SimpleNamespace(name="Fibromyalgia", url="conditions/fibromyalgia/",
                             synonyms=["FMS"], code="M79.7")
    jane = Person("pharmacist", role="Licensed pharmacist", name="Jane Example",
                  credentials="PharmD")
    review = SimpleNamespace(reviewer=jane, writer=None, audience="both",
                             last_reviewed=__import__("datetime").date(2026, 11, 2))
    work = {"@type": "ScholarlyArticle", "@id": "https://doi.org/10.1/x", "name": "T",
            "sameAs": "https://doi.org/10.1/x", "author": [{"@type": "Person", "name": "A"}]}
    obj = SimpleNamespace(url="a/", title="A <em>title</em>", summary="<p>Sum</p>",
                          condition_records=[record], references=[SimpleNamespace(jsonld=work)],
                          review=review)
    node = medical_web_page(obj, SITEURL, f"{SITEURL}/#pharmacy", "editorial-policy/")
    assert node["name"] == "A title"
    assert node["description"] == "Sum"
    assert node["about"] == [{
        "@type": "MedicalCondition", "name": "Fibromyalgia",
        "url": f"{SITEURL}/conditions/fibromyalgia/",  # synonyms: on the condition's page
        "code": {"@type": "MedicalCode", "codeValue": "M79.7", "codingSystem": "ICD-10"}}]
    assert node["citation"] == [  # the DOI names the work: title and year are in the list
        {"@type": "ScholarlyArticle", "@id": "https://doi.org/10.1/x"}]
    assert node["lastReviewed"] == "2026-11-02"
    assert node["reviewedBy"] == {
        "@type": "Person", "name": "Jane Example", "honorificSuffix": "PharmD",
        "jobTitle": "Licensed pharmacist",
        "url": f"{SITEURL}/editorial-policy/#person-pharmacist",
        "worksFor": {"@id": f"{SITEURL}/#pharmacy"}}
    assert "author" not in node  # no writer named: the publisher (the pharmacy) stands
    assert [a["audienceType"] for a in node["audience"]] == ["Patient", "Clinician"]
    review.writer = jane
    assert medical_web_page(obj, SITEURL, "#p")["author"]["name"] == "Jane Example"
    review.reviewer = review.writer = Person("pharmacist", role="Licensed pharmacist")
    unnamed = medical_web_page(obj, SITEURL, "#p")  # no name yet: no Person at all
    assert "reviewedBy" not in unnamed
    assert "author" not in unnamed


def test_breadcrumb_trail_names_parent_folders_from_the_menu():
    obj = SimpleNamespace(url="conditions/crps/", title="CRPS")
    crumbs = trail(obj, SITEURL, [("Conditions", "conditions/")], {})
    assert [(c.name, c.href) for c in crumbs] == [
        ("Home", f"{SITEURL}/"), ("Conditions", f"{SITEURL}/conditions/"),
        ("CRPS", f"{SITEURL}/conditions/crps/")]
    graph = page_graph(obj, crumbs, None, SITEURL)["@graph"]
    assert [node["@type"] for node in graph] == ["WebPage", "BreadcrumbList"]


def test_every_page_shares_one_author_list():
    build = Build.new({"AUTHOR": "Example Pharmacy", "SITE_DATA": {}})  # no data files
    first, second, own = {}, {}, {"author": "A guest author"}
    for metadata in (first, second, own):
        assert share_author(Page("a.md", None, metadata), build) == []
    assert first["authors"] is second["authors"]
    assert [author.name for author in first["authors"]] == ["Example Pharmacy"]
    assert "authors" not in own  # a page's own author stays its own


def test_jsonld_text_cannot_close_its_script_element(local):
    from plugins.jsonld.graph import script_tag  # noqa: PLC0415

    tag = str(script_tag({"name": "</script><script>alert(1)</script> & co"}))
    assert tag.count("</script>") == 1
    assert "<script>" not in tag
    assert json.loads(tag.split(">", 1)[1].rsplit("<", 1)[0])["name"].startswith("</script>")


def test_robots_txt_points_to_the_sitemap_once_launched_and_a_preview_disallows_all(
        local, production, launched):
    assert (launched.output / "robots.txt").read_text().split() == [
        "User-agent:", "*", "Allow:", "/", "Sitemap:", f"{SITEURL}/sitemap.xml"]
    for preview in (production, local):  # theme-site is not ready to launch
        assert (preview.output / "robots.txt").read_text().split() == [
            "User-agent:", "*", "Disallow:", "/"]
    ready_locally = shared_build("theme-site", overlay="theme-site-known")
    assert (ready_locally.output / "robots.txt").read_text().split() == [
        "User-agent:", "*", "Allow:", "/"]  # no SITEURL: no sitemap line


def test_sitemap_lists_pages_but_not_404_search_or_robots(launched, production):
    assert not (production.output / "sitemap.xml").exists()  # a preview has none
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(launched.output / "sitemap.xml")  # noqa: S314 - our own build output
    urls = {loc.text for loc in tree.findall(".//s:loc", ns)}
    assert {f"{SITEURL}/", f"{SITEURL}/what-is-ldn/", f"{SITEURL}/contact/"} <= urls
    assert not any(re.search(r"404|/search/|robots", url) for url in urls)


def test_atom_feed_entries_link_to_built_articles(production):
    feed = production.output / "feeds" / "all.atom.xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    tree = ET.parse(feed)  # noqa: S314 - our own build output
    links = [link.get("href") for link in tree.findall("a:entry/a:link", ns)]
    assert sorted(links) == [f"{SITEURL}/ldn-fibromyalgia/", f"{SITEURL}/what-is-ldn/"]
    for link in links:
        assert (production.output / link.removeprefix(SITEURL + "/") / "index.html").is_file()
    names = {name.text for name in tree.findall("a:entry/a:author/a:name", ns)}
    assert names == {"Example Compounding Pharmacy"}
    alternate = soup(production, "").find("link", rel="alternate", type="application/atom+xml")
    assert alternate["href"] == f"{SITEURL}/feeds/all.atom.xml"


def test_search_page_works_as_a_plain_form_and_lists_everything(local):
    page = soup(local, "search/")
    form = page.find("form", id="search-form")
    assert form["role"] == "search"
    assert form["action"] == "/search/"
    assert form["method"] == "get"
    assert page.find("input", id="search-input")["name"] == "q"
    assert page.find("label", attrs={"for": "search-input"})
    assert page.find(id="search-results") is not None
    assert "needs JavaScript" in page.find("noscript").get_text()
    listed = {a["href"] for a in page.select(".search-fallback a")}
    assert {"/what-is-ldn/", "/ldn-fibromyalgia/", "/conditions/", "/conditions/fibromyalgia/",
            "/conditions/crps/"} <= listed


def test_every_page_has_a_header_search_box_that_opens_the_search_page(local):
    for name in all_pages(local):
        page = soup(local.output / name)
        form = page.select_one("header.site-header form[role=search]")
        assert form is not None, name
        assert (form["action"], form.get("method", "get"), form["aria-label"]) == (
            "/search/", "get", "Site")
        field = form.find("input", attrs={"name": "q"})
        assert page.find("label", attrs={"for": field["id"]}).get_text() == "Search this site"
        assert form.find("button").get_text() == "Search"  # a form's button submits it
        assert not page.find_all("script", src=re.compile("search")) or name.startswith("search/")


def pagefind(page: BeautifulSoup, attribute: str) -> list[str]:
    """Each element's Pagefind attribute; a bare filter name is the element's text."""
    return [element[attribute] if ":" in element[attribute] else
            f"{element[attribute]}:{element.get_text()}"
            for element in page.find_all(attrs={attribute: True})]


def test_search_indexes_only_the_main_text_of_articles_pages_and_conditions(local):
    article = soup(local, "ldn-fibromyalgia/")
    (body,) = article.find_all(attrs={"data-pagefind-body": True})
    assert body.name == "article"
    assert body.find("h1") is not None
    assert body.find_parent("main") is not None
    ignored = {tuple(element.get("class") or [element.name])
               for element in body.find_all(attrs={"data-pagefind-ignore": True})}
    assert {("review",), ("references",), ("related",), ("disclaimer",)} <= ignored
    assert sorted(pagefind(article, "data-pagefind-filter")) == [
        "audience:Patients", "condition:Complex regional pain syndrome (CRPS)",
        "condition:Fibromyalgia", "type:Article"]
    # The conditions' names and other names, searched like the title, shown nowhere.
    assert sorted(pagefind(article, "data-pagefind-meta")) == [
        "conditions:Fibromyalgia, fibro, FMS; Complex regional pain syndrome (CRPS), CRPS",
        "type:Article"]
    condition = soup(local, "conditions/fibromyalgia/")
    assert condition.find(attrs={"data-pagefind-body": True}).find("h1").get_text() == \
        "Fibromyalgia"
    assert sorted(pagefind(condition, "data-pagefind-filter")) == [
        "condition:Fibromyalgia", "type:Condition"]
    both = soup(local, "contact/")  # audience: both
    assert sorted(pagefind(both, "data-pagefind-filter")) == [
        "audience:Patients", "audience:Prescribers", "type:Page"]
    for url in ("search/", "references/"):  # listings of other pages: not indexed
        assert not soup(local, url).find_all(attrs={"data-pagefind-body": True}), url
    for url in all_pages(local):  # the header, breadcrumbs and footer never are
        page = soup(local.output / url)
        for body in page.find_all(attrs={"data-pagefind-body": True}):
            assert body.find_parent("main") is not None, url


def test_404_page_is_not_indexed_and_offers_the_sections(local):
    page = soup(local.output / "404.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert {"/", "/conditions/", "/search/"} <= {a["href"] for a in page.find("main")("a")}


# ---- Weight -------------------------------------------------------------------------

def test_an_article_page_with_its_css_and_js_is_at_most_50_kb(local):
    spec = importlib.util.spec_from_file_location("page_weight", ROOT / "bench" / "page_weight.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    weight = module.page_weight(local.output, "ldn-fibromyalgia/")
    assert "/theme/css/site.css" in weight.assets
    assert weight.total <= 50 * 1024, weight
