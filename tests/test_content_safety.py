"""The safety structure of the real content, checked on the real built site.

A clinical pharmacist's review (issue 20) found safety text that came too late, or was
softer than the naltrexone label; a second review (issue 26) found the same opioid warning
typed by hand on a dozen pages, drifted apart. These tests pin what was fixed: the opioid
warning is one block (content/safety/opioids.md), the same on every page its required_on
names, right after each article's summary, each statement cited; no page says "unless
your prescriber has a plan" or "true at any dose"; the side-effects page has a plain "Do
not take LDN if" list, each item citing the label, and its "Get help right away" list
points at the overdose signs; no condition is named as if LDN were a cancer treatment ("as
an adjunct"); the glossary explains the research terms the site uses. The second review
also added: the liver contraindication beside its reassurance; CRPS said plainly to be of
unknown benefit; articles that teach and never sell, each ending with one standard line to
the pharmacy's pages; and no page of its own for a condition that LDN has not been tested
in.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from pelican.settings import read_settings

from conftest import ROOT, soup
from site_under_test import REAL_CONTENT, built_site, content_source

CONTENT = ROOT / "content"
LABEL = "#ref-naltrexonelabel2024"
SUMMARY_LEADS = ("In short:", "Summary for prescribers:")
# The terms issue 20 lists, as the glossary names them ("cytokines" is the entry "Cytokine").
GLOSSARY_TERMS = ["FIQR", "standardized mean difference", "mean difference", "risk ratio",
                  "trial sequential analysis", "double-masked", "responder", "Cochrane",
                  "HAM-D", "MADRS", "ESR", "cytokine"]


@pytest.fixture(scope="module")
def output() -> Path:
    if content_source() != REAL_CONTENT:
        pytest.skip("these tests check the real content; SITE_UNDER_TEST chose the fixture")
    return built_site().output


def text(node: Tag) -> str:
    """A node's visible text, with typogrify's no-break spaces as plain spaces."""
    return " ".join(unicodedata.normalize("NFKC", node.get_text(" ")).split())


def page(output: Path, url: str) -> BeautifulSoup:
    return soup(output / url / "index.html")


def front_matter(path: Path) -> dict:
    source = path.read_text(encoding="utf-8")
    return yaml.safe_load(source.split("---", 2)[1]) or {}


def condition_articles() -> list[str]:
    """The slug of every article tagged with at least one condition."""
    found = []
    for path in sorted((CONTENT / "articles").glob("*.md")):
        meta = front_matter(path)
        if meta.get("conditions"):
            found.append(meta.get("slug") or path.stem)
    return found


def summary(soup: BeautifulSoup) -> Tag | None:
    """The article's summary: the key-points callout titled 'In short' (or 'Summary for
    prescribers')."""
    for callout in soup.select("div.admonition.key-points[role=note]"):
        title = callout.find("p", class_="admonition-title")
        if title is not None and text(title) + ":" in SUMMARY_LEADS:
            return callout
    return None


def test_there_are_articles_about_conditions():
    assert len(condition_articles()) >= 8


def opioid_pages() -> dict[str, str]:
    """Each page that content/safety/opioids.md says must carry the opioid block, by URL,
    with the folder it is in."""
    rules = front_matter(CONTENT / "safety" / "opioids.md")["required_on"]
    pages = {}
    for kind, slugs in rules.items():
        for path in sorted((CONTENT / kind).glob("*.md")):
            slug = front_matter(path).get("slug") or path.stem
            if slugs == "all" or slug in slugs:
                pages[slug] = kind
    return pages


def test_the_opioid_block_is_required_on_every_article_and_the_pages_on_getting_ldn():
    pages = opioid_pages()
    assert set(condition_articles()) <= set(pages)
    for slug in ("what-is-ldn", "ldn-dosing", "ldn-side-effects", "send-a-prescription",
                 "compounded-ldn-options"):
        assert slug in pages


def opioid_block(soup: BeautifulSoup) -> tuple[str, Tag]:
    """The page's one opioid block (for patients, or the prescribers' variant)."""
    found = soup.select('div.admonition.warning[aria-labelledby^="safety-opioids"]')
    assert len(found) == 1, f"{len(found)} opioid blocks"
    return found[0]["aria-labelledby"], found[0]


def same_everywhere(block: Tag) -> str:
    """The block's HTML with each citation's number replaced by the work it cites and its
    id (cite-<number>-<n>, which follows the page's own citations) left out."""
    html = re.sub(r' id="cite-[^"]+"', "", str(block))
    return re.sub(r'(<a href="#ref-([^"]+)"[^>]*>)[0-9]+</a>', r"\1\2</a>", html)


def test_every_page_that_must_carry_the_opioid_block_renders_the_same_one(output):
    """The same words and the same cited works on every page (the citation numbers are
    each page's own: the block's citations join the page's reference list)."""
    seen: dict[str, set[str]] = {}
    for slug in opioid_pages():
        soup = page(output, slug)
        name, block = opioid_block(soup)
        seen.setdefault(name, set()).add(same_everywhere(block))
        for link in block.select(".citation a"):
            assert soup.find(id=link["href"][1:]) is not None, (slug, link["href"])
    assert {name: len(versions) for name, versions in seen.items()} == {
        "safety-opioids": 1, "safety-opioids-prescriber": 1}


def test_the_patient_block_says_each_thing_once_each_statement_cited(output):
    _, block = opioid_block(page(output, "ldn-fibromyalgia"))
    items = block.find_all("li")
    wording = text(block).lower()
    for fact in ("do not take ldn if you take opioids", "methadone",
                 "buprenorphine", "do not stop an opioid on your own", "slow taper",
                 "tramadol", "7 to 10 days", "deadly overdose", "call 911", "tiny pupils",
                 "slow or shallow breathing", "stay with them", "doctor, dentist and surgeon"):
        assert fact in wording, fact
    cited = [[a["href"] for a in item.select(".citation a")] for item in items]
    assert cited == [[LABEL], ["#ref-fda2019opioidtaper"], [LABEL], [LABEL],
                     ["#ref-cdc2017overdosesigns"], []]
    assert "same as" not in wording
    assert "any dose" not in wording


@pytest.mark.parametrize("slug", [slug for slug, kind in opioid_pages().items()
                                  if kind == "articles"])
def test_every_article_shows_the_opioid_block_right_after_its_summary(output, slug):
    soup = page(output, slug)
    callout = summary(soup)
    assert callout is not None, f"/{slug}/ has no summary callout"
    _, block = opioid_block(soup)
    assert callout.find_next_sibling() == block, f"/{slug}/: the block is not next"
    # Not typed again: the summary no longer carries its own opioid sentence.
    assert "withdrawal" not in text(callout).lower()


def test_no_page_gives_an_exception_to_the_contraindication_or_says_any_dose(output):
    for path in sorted(output.glob("**/index.html")):
        words = text(soup(path))
        where = path.relative_to(output).as_posix()
        assert "unless your prescriber" not in words.lower(), where
        assert "true at any dose" not in words.lower(), where
        assert "at any dose" not in words.lower(), where


def test_the_disclaimer_carries_the_opioid_block(output):
    soup = page(output, "medical-disclaimer")
    name, _ = opioid_block(soup)
    assert name == "safety-opioids"
    assert "has a plan" not in text(soup)


def test_get_help_right_away_points_at_the_overdose_signs(output):
    soup = page(output, "ldn-side-effects")
    heading = next(h for h in soup.find_all("h2") if text(h) == "Get help right away")
    # Someone who has overdosed cannot call for help: the section says what others do.
    after_list = heading.find_next_sibling("ul").find_next_sibling("p")
    assert text(after_list).startswith("If someone may have overdosed on an opioid, call 911 "
                                       "and stay with them.")
    assert "#safety-opioids" in [a["href"] for a in after_list.find_all("a")]
    assert "slow or shallow breathing" in text(soup.find(id="safety-opioids").parent)


def do_not_take_list(soup: BeautifulSoup) -> Tag:
    for paragraph in soup.find_all("p"):
        if text(paragraph).startswith("Do not take LDN if"):
            following = paragraph.find_next_sibling()
            assert following is not None, "'Do not take LDN if' ends the page"
            assert following.name == "ul", "'Do not take LDN if' is not followed by a list"
            return following
    raise AssertionError("the side-effects page has no 'Do not take LDN if' list")


def test_side_effects_page_lists_the_label_contraindications_plainly(output):
    soup = page(output, "ldn-side-effects")
    listed = do_not_take_list(soup)
    # A warning callout, announced as a note named by its title.
    callout = listed.parent
    assert {"admonition", "warning"} <= set(callout["class"]), "not in a warning callout"
    assert callout["role"] == "note"
    assert text(soup.find(id=callout["aria-labelledby"])) == "Do not take LDN if you:"
    items = listed.find_all("li", recursive=False)
    wording = " ".join(text(item).lower() for item in items)
    for fact in ("opioid pain medicine", "methadone", "buprenorphine", "withdrawal"):
        assert fact in wording, f"the 'Do not take LDN if' list does not mention {fact!r}"
    for item in items:
        cited = [a["href"] for a in item.select(".citation a")]
        assert LABEL in cited, f"this item does not cite the naltrexone label: {text(item)!r}"
    assert soup.find(id=LABEL[1:]) is not None, "the label is missing from the reference list"
    assert "unless your prescriber has a specific plan" not in text(soup)


def test_liver_signs_are_a_same_day_call_not_an_emergency(output):
    soup = page(output, "ldn-side-effects")
    headings = {text(h): h for h in soup.find_all("h2")}
    emergency = headings["Get help right away"].find_next_sibling("ul")
    assert "yellow" not in text(emergency).lower()
    today = next(h for name, h in headings.items() if "today" in name.lower())
    advice = text(today.find_next_sibling("p"))
    assert "yellow skin or eyes, or dark urine" in advice
    assert LABEL in [a["href"] for a in today.find_next_sibling("p").select(".citation a")]


def registry() -> dict:
    return yaml.safe_load((CONTENT / "conditions.yaml").read_text(encoding="utf-8"))


def test_no_condition_or_group_name_says_adjunct():
    data = registry()
    names = [c["name"] for c in data["conditions"]] + [g["name"] for g in data["groups"]]
    assert names
    assert [name for name in names if "adjunct" in name.lower()] == []


def test_the_built_condition_pages_never_say_adjunct(output):
    pages = [output / "conditions" / "index.html",
             *sorted((output / "conditions").glob("*/index.html"))]
    assert len(pages) > 1
    for path in pages:
        doc = soup(path)
        assert "adjunct" not in text(doc).lower(), path.relative_to(output).as_posix()


def test_crohns_disease_does_not_claim_every_ibd_and_ibs_is_not_inflammatory():
    data = registry()
    by_slug = {c["slug"]: c for c in data["conditions"]}
    synonyms = [s.lower() for s in by_slug["crohns-disease"].get("synonyms", [])]
    assert "ibd" not in synonyms
    assert "inflammatory bowel disease" not in synonyms
    assert by_slug["irritable-bowel-syndrome"]["group"] != "inflammatory"


def test_fibromyalgia_summaries_say_the_largest_trials_found_no_clear_benefit(output):
    by_slug = {c["slug"]: c for c in registry()["conditions"]}
    assert "no clear benefit" in by_slug["fibromyalgia"]["summary"]
    home = page(output, "")
    line = next(li for li in home.find_all("li") if text(li).startswith("Fibromyalgia"))
    assert "no clear benefit" in text(line)
    assert "mixed" not in text(line)


def glossary(output: Path) -> dict[str, str]:
    """Each glossary term (lower case) and its definition, from the built page's <dl>."""
    entries = {}
    for term in page(output, "glossary").find_all("dt"):
        definition = term.find_next_sibling("dd")
        entries[text(term).lower()] = text(definition) if definition else ""
    return entries


def names_of(term: str) -> set[str]:
    """'Mean difference (MD)' is named both 'mean difference' and 'md'."""
    match = re.fullmatch(r"(.*?)\s*\((.*)\)", term)
    return {match.group(1), match.group(2)} if match else {term}


@pytest.mark.parametrize("term", GLOSSARY_TERMS)
def test_glossary_defines_each_research_term(output, term):
    entries = glossary(output)
    found = [definition for name, definition in entries.items()
             if term.lower() in names_of(name)]
    assert found, f"the glossary has no entry named {term!r}; it has {sorted(entries)}"
    assert len(found[0].split()) >= 5, f"the entry for {term!r} is not a definition"


def test_confidence_interval_entry_names_1_as_no_difference_for_ratios(output):
    entry = next(definition for name, definition in glossary(output).items()
                 if "ci" in names_of(name))
    assert "zero" in entry
    assert re.search(r"\b1 for (a |)ratios?\b", entry), entry


def article_prose(soup: BeautifulSoup) -> str:
    """The article's own words: without the reference list, whose titles are the authors'."""
    body = soup.find("main") or soup
    for references in body.select("section.references"):
        references.decompose()
    return text(body)


def article_slugs() -> list[str]:
    return [front_matter(path).get("slug") or path.stem
            for path in sorted((CONTENT / "articles").glob("*.md"))]


@pytest.mark.parametrize("slug", article_slugs())
def test_no_article_overclaims(output, slug):
    prose = article_prose(page(output, slug))
    for claim in (r"\bcures?\b", r"\bproven\b", r"\bsafe and effective\b"):
        assert not re.search(claim, prose, re.IGNORECASE), f"/{slug}/ says {claim!r}"
    for match in re.finditer(r"FDA[- ]approved", prose):
        before = prose[max(0, match.start() - 30):match.start()].lower().split()
        assert "not" in before[-3:], f"/{slug}/: 'FDA-approved' without 'not': {before}"


def test_pages_for_patients_read_at_grade_8_or_below():
    """bench/readability.py exits 1 when a page for patients (or both) is above grade 8."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "readability.py"),
                           str(CONTENT)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "articles/ldn-side-effects.md" in done.stdout


# --- issue 26: the second clinical review -------------------------------------------------


def test_liver_contraindication_sits_in_do_not_take_with_the_reassurance_beside_it(output):
    soup = page(output, "ldn-side-effects")
    listed = do_not_take_list(soup)
    liver = [item for item in listed.find_all("li", recursive=False)
             if "acute hepatitis" in text(item) and "liver failure" in text(item)]
    assert len(liver) == 1, text(listed)
    assert LABEL in [a["href"] for a in liver[0].select(".citation a")]
    # The label's reassurance is said once, right after the warning that limits it.
    reassurance = "does not seem to harm the liver"
    assert text(soup).count(reassurance) == 1
    beside = listed.parent.find_next_sibling()
    assert reassurance in text(beside), text(beside)
    # The prescribers' page gives the contraindication in the same bullet as the reassurance.
    dosing = page(output, "ldn-dosing")
    bullet = next(li for li in dosing.select(".prose li") if text(li).startswith("Liver."))
    assert "acute hepatitis or liver failure" in text(bullet)
    assert "does not appear to be a hepatotoxin" in text(bullet)
    assert text(dosing).count("hepatotoxin") == 1


def test_crps_page_says_we_do_not_know_whether_ldn_helps(output):
    prose = article_prose(page(output, "ldn-chronic-pain-crps"))
    assert "We do not know whether it helps" in prose
    assert "may help some people" not in prose


def pharmacy_pages() -> list[tuple[str, str]]:
    return [tuple(entry) for entry in
            read_settings(str(ROOT / "pelicanconf.py"))["PHARMACY_PAGES"]]


# What counts as selling in an article's own text (its .prose: the Markdown the editors
# wrote): a link to one of the pharmacy's pages (PHARMACY_PAGES), or words that offer the
# pharmacy's services or vouch for it: accreditation (PCAB), shipping, "we prepare",
# "we compound", "we sell", "we fill", "send us", getting a prescription filled,
# ordering or buying LDN. Advice such as "ask your pharmacist" is not selling.
SELLING = re.compile(
    r"\baccredit|\bPCAB\b|\bwe (?:can )?ship\b|\bships? (?:only )?to\b|"
    r"\b(?:we|ours?) (?:can )?(?:prepare|compound|sell|fill|make)\b|\bsend us\b|"
    r"\bprescription filled\b|\border (?:LDN|it|from us)\b|\bbuy (?:LDN|it from)\b",
    re.IGNORECASE)


def test_the_selling_pattern_finds_the_text_the_review_flagged():
    for flagged in ("How to get a prescription filled", "We ship only to certain states",
                    "Ours is accredited by PCAB", "the forms we prepare",
                    "how to send us a prescription"):
        assert SELLING.search(flagged), flagged
    for advice in ("Ask your pharmacist before you take any new medicine, even one you buy "
                   "without a prescription.", "a compounding pharmacy prepares them"):
        assert not SELLING.search(advice), advice


@pytest.mark.parametrize("slug", article_slugs())
def test_no_article_text_sells_or_links_the_pharmacy_pages(output, slug):
    prose = page(output, slug).select_one("article .prose")
    assert prose is not None
    found = SELLING.search(text(prose))
    assert found is None, f"/{slug}/ sells: {found.group()!r} in its text"
    own = {f"/{url}" for _, url in pharmacy_pages()}
    linked = [a["href"] for a in prose.find_all("a", href=True) if a["href"] in own]
    assert linked == [], f"/{slug}/ links pharmacy pages from its text: {linked}"


def test_every_article_ends_with_the_one_standard_pharmacy_line(output):
    lines = {}
    for slug in article_slugs():
        article = page(output, slug).select_one("main article")
        found = article.select("p.pharmacy-line")
        assert len(found) == 1, f"/{slug}/ has {len(found)} pharmacy lines"
        # The last thing in the article, after the disclaimer (a long one adds "Back to top").
        after = [tag for tag in found[0].find_next_siblings()
                 if "to-top" not in tag.get("class", [])]
        assert after == [], f"/{slug}/: {[tag.name for tag in after]} after the line"
        assert [(a.get_text(), a["href"]) for a in found[0].find_all("a")] == [
            (label, f"/{url}") for label, url in pharmacy_pages()]
        lines[slug] = str(found[0])
    assert len(set(lines.values())) == 1, "the line differs between articles"
    line = text(soup(next(iter(lines.values()))))
    assert line.startswith("Health Dimensions Clinical Pharmacy runs this site and sells "
                           "compounded LDN, which is not FDA-approved.")
    for url in ("about", "contact", "", "conditions/without-trials"):  # not on other pages
        assert page(output, url).select("p.pharmacy-line") == [], url


# The seven conditions issue 26 names: no trial, and no review of trials, in our records.
UNTESTED = {"cancer", "rheumatoid-arthritis", "me-cfs", "irritable-bowel-syndrome",
            "psoriasis", "eczema", "hailey-hailey-disease"}


def test_conditions_without_trials_share_one_page_and_their_addresses_redirect(output):
    pages = {path.parent.name: soup(path)
             for path in (output / "conditions").glob("*/index.html")}
    redirects = {slug for slug, soup in pages.items()
                 if soup.find("meta", attrs={"http-equiv": "refresh"})}
    assert redirects == UNTESTED
    for slug in UNTESTED:
        refresh = pages[slug].find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh == f"0; url=/conditions/without-trials/#{slug}"
    # The moved page names the condition as running text does: "about cancer", not "Cancer".
    assert "What we know about cancer is now on one page" in text(pages["cancer"])
    shared = pages["without-trials"]
    assert text(shared.h1) == "Conditions without clinical trials"
    sections = {section["id"]: section for section in shared.select("section.untested-condition")}
    assert set(sections) == UNTESTED
    by_slug = {c["slug"]: c for c in registry()["conditions"]}
    for slug, section in sections.items():
        assert text(section.h2) == by_slug[slug]["name"]
        assert "LDN has not been shown to help this condition." in text(section)
    # Every other condition keeps its page; no page links a retired address.
    kept = set(by_slug) - UNTESTED
    assert kept == {"fibromyalgia", "crps", "chronic-pain", "multiple-sclerosis",
                    "crohns-disease", "depression"}
    for slug in kept:
        assert pages[slug].select_one("article.condition") is not None, slug
    retired = re.compile(r'href="/conditions/(?:' + "|".join(UNTESTED) + r')/"')
    linking = [path.relative_to(output).as_posix() for path in output.rglob("*.html")
               if retired.search(path.read_text(encoding="utf-8"))]
    assert linking == []
    cards = [text(a) for a in page(output, "").select(".condition-grid > li > a")]
    assert cards == [by_slug[slug]["name"] for slug in by_slug if slug in kept]
