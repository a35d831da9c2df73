"""People, the header's calls to action, the home page and the contact and prescriber
pages, built from pharmacy.yaml: once with every contact fact and the reviewer's name
unknown (tests/fixtures/theme-site), once with all of them known (theme-site-known laid
over it)."""

from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, build_once, run_build, shared_build, soup

SITEURL = "https://ldn.example.org"


def build_known(root):
    """theme-site with every fact known, and a writer besides the reviewer."""
    shutil.copytree(FIXTURES / "theme-site", root / "content")
    shutil.copytree(FIXTURES / "theme-site-known", root / "content", dirs_exist_ok=True)
    article = root / "content" / "articles" / "what-is-ldn.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "reviewed_by: pharmacist\n", "reviewed_by: pharmacist\nwritten_by: writer\n"),
        encoding="utf-8")
    return run_build(root, SITEURL=SITEURL)


@pytest.fixture(scope="module")
def unknown():
    result = shared_build("theme-site", SITEURL=SITEURL)
    assert result.ok, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def known():
    result = build_once("people-pages-known", build_known)
    assert result.ok, result.stdout + result.stderr
    return result


def text(element) -> str:
    return " ".join(element.get_text(" ").replace("\xa0", " ").split())


def pages(result) -> list[str]:
    return sorted(path.relative_to(result.output).parent.as_posix() + "/"
                  for path in result.output.glob("*/index.html")
                  if path.parent.name not in ("search", "conditions", "references"))


def medical_page(page: BeautifulSoup) -> dict:
    (script,) = page.find_all("script", type="application/ld+json")
    return next(node for node in json.loads(script.string)["@graph"]
                if node["@type"] == "MedicalWebPage")


# ---- People ----------------------------------------------------------------------------

def test_every_review_line_links_to_the_reviewer_entry_on_the_people_page(unknown):
    people = soup(unknown, "editorial-policy/")
    entry = people.find(id="person-pharmacist")
    assert entry is not None
    assert entry.find_parent("main") is not None
    assert text(entry.find("h3")) == (
        "Licensed pharmacist at Example Compounding Pharmacy (name to be confirmed)")
    assert text(entry).endswith("Reviews each health page before it is published.")
    assert entry.find("img") is None  # no photo supplied: none is shown
    for url in pages(unknown):
        review = soup(unknown, url).select_one("p.review")
        assert review is not None, url
        assert text(review).startswith(
            "Reviewed by a licensed pharmacist at Example Compounding Pharmacy "
            "(name to be confirmed) on "), url
        (link,) = review.find_all("a")
        assert link["href"] == f"{SITEURL}/editorial-policy/#person-pharmacist", url
        assert "Written by" not in text(review)


def test_an_unnamed_reviewer_is_no_person_in_the_json_ld(unknown):
    node = medical_page(soup(unknown, "what-is-ldn/"))
    assert "reviewedBy" not in node
    assert "author" not in node


def test_a_known_person_is_named_linked_to_the_bio_and_a_person_in_the_json_ld(known):
    page = soup(known, "what-is-ldn/")
    review = page.select_one("p.review")
    assert text(review).startswith(
        "Written by Sam Example (Medical writer). Reviewed by Jane Example, PharmD "
        "(Licensed pharmacist) on November 1, 2026")
    assert [a["href"] for a in review.find_all("a")] == [
        f"{SITEURL}/editorial-policy/#person-writer",
        f"{SITEURL}/editorial-policy/#person-pharmacist"]
    node = medical_page(page)
    assert node["reviewedBy"] == {
        "@type": "Person", "name": "Jane Example", "honorificSuffix": "PharmD",
        "jobTitle": "Licensed pharmacist",
        "url": f"{SITEURL}/editorial-policy/#person-pharmacist",
        "worksFor": {"@id": f"{SITEURL}/#pharmacy"}}
    assert node["author"]["name"] == "Sam Example"
    entry = soup(known, "editorial-policy/").find(id="person-pharmacist")
    assert text(entry.find("h3")) == "Jane Example, PharmD"
    assert text(entry.select_one(".person-role")) == "Licensed pharmacist, licensed in Michigan"
    assert "Jane reviews every health page on this fixture site." in text(entry)
    photo = entry.find("img")
    assert photo["src"] == f"{SITEURL}/images/jane-example.svg"
    assert (known.output / "images" / "jane-example.svg").is_file()


# ---- Header -----------------------------------------------------------------------------

def test_a_known_phone_becomes_a_call_link_in_the_header_and_an_unknown_one_none(unknown, known):
    for url in pages(unknown):
        assert "tel:" not in unknown.html(url), url
    for url in pages(known):
        actions = soup(known, url).select_one("header ul.actions")
        assert "has-tel" in actions["class"], url
        call = actions.select_one(".act-tel a")
        assert call["href"] == "tel:5175550100"
        assert text(call) == "Call us at (517) 555-0100"
        assert [a["href"] for a in actions.find_all("a")] == [
            f"{SITEURL}/contact/", "tel:5175550100", f"{SITEURL}/send-a-prescription/"]
    wordmark = soup(known, "").select_one(".site-name")
    assert [span.get_text() for span in wordmark.find_all("span")] == [
        "Example Compounding", "Pharmacy"]


# ---- Contact and prescriber pages ----------------------------------------------------

def test_contact_page_says_what_to_do_while_contact_facts_are_unknown(unknown):
    card = soup(unknown, "contact/").select_one(".data-card")
    assert text(card.find("h2")) == "What you can do now"
    words = text(card)
    assert "Our phone number and email address are not on this website yet." in words
    assert "We ship to patients in Michigan, Ohio." in words
    assert "to be confirmed" not in words
    assert not card.select('a[href^="tel:"], a[href^="mailto:"], address')
    assert f"{SITEURL}/send-a-prescription/" in [a["href"] for a in card.find_all("a")]


def test_contact_page_shows_every_known_fact_in_its_own_form(known):
    page = soup(known, "contact/")
    card = page.select_one(".data-card")
    assert text(card.find("h2")) == "How to reach us"
    facts = {text(div.dt): div.dd for div in card.select(".facts > div")}
    assert list(facts) == ["Phone", "Email", "Address", "Hours"]
    assert facts["Phone"].a["href"] == "tel:5175550100"
    assert facts["Email"].a["href"] == "mailto:rx@example.org"
    assert text(facts["Address"].address) == (
        "Example Compounding Pharmacy 1 Example Street, Lansing, MI 48900")
    assert text(facts["Hours"]) == "Monday to Friday, 9 am to 5 pm"
    footer = {text(dt): text(dt.find_next_sibling("dd")) for dt in page.footer.find_all("dt")}
    assert footer["Phone"] == "(517) 555-0100"
    assert footer["Hours"] == "Monday to Friday, 9 am to 5 pm"


def test_prescriber_page_leads_with_the_channels_or_what_to_do_now(unknown, known):
    card = soup(unknown, "send-a-prescription/").select_one(".data-card")
    words = text(card)
    assert "The ways we accept prescriptions, such as e-prescribing or fax, are not on this " \
        "website yet." in words
    assert "We ship only to patients who live in Michigan, Ohio" in words
    assert {a["href"] for a in card.find_all("a") if a["href"].startswith("#")} == {
        "#what-to-include", "#before-you-prescribe"}
    page = soup(unknown, "send-a-prescription/")
    for anchor in ("what-to-include", "before-you-prescribe"):
        assert page.find(id=anchor) is not None
    card = soup(known, "send-a-prescription/").select_one(".data-card")
    facts = {text(div.dt): text(div.dd) for div in card.select(".facts > div")}
    assert facts == {"We accept": "E-prescribing; Fax; Phone", "Fax": "(517) 555-0101",
                     "Phone": "(517) 555-0100"}


# ---- Home --------------------------------------------------------------------------------

def path_of(href: str) -> str:
    return urlsplit(href).path


def test_home_has_two_paths_a_trust_strip_conditions_and_the_latest_reviews(unknown):
    page = soup(unknown, "")
    patients, prescribers = page.select(".paths > .path")
    assert text(patients.h2) == "New to LDN? Start here"
    assert patients.select_one("a.path-go")["href"] == f"{SITEURL}/what-is-ldn/"
    assert text(prescribers.h2) == (
        "For prescribers: dosing, evidence, how to send a prescription")
    assert f"{SITEURL}/send-a-prescription/" in [a["href"] for a in prescribers("a")]
    trust = [" ".join(li.get_text().split()) for li in page.select("ul.trust > li")]
    # The reviewer's name is not known: the strip promises no review by a pharmacist.
    assert trust == ["Accredited by PCAB", "Ships to Michigan, Ohio (where we ship)"]
    grid = page.select(".condition-grid > li")
    assert [(text(li.a), li.a["href"]) for li in grid] == [
        ("Fibromyalgia", f"{SITEURL}/conditions/fibromyalgia/"),
        ("Complex regional pain syndrome (CRPS)", f"{SITEURL}/conditions/crps/")]
    # Never a name alone: the registry's in_short, else its summary, says what is known.
    assert text(grid[1].select_one(".in-short")).startswith(
        "A painful condition that usually affects one arm or leg")
    assert not page.select(".study-count")  # no study records in this site: no counts
    latest = page.select(".latest li a")
    # what-is-ldn/ is the patients' path already; each page once.
    assert [path_of(a["href"]) for a in latest] == ["/ldn-fibromyalgia/"]


def test_the_conditions_grid_counts_each_conditions_studies_from_the_records(known):
    grid = soup(known, "").select(".condition-grid > li")
    assert [text(li.select_one(".study-count")) for li in grid] == ["3 studies", "1 study"]


def test_no_page_is_linked_twice_in_the_home_page_main_text(unknown):
    main = soup(unknown, "").find("main")
    paths = [path_of(a["href"]) for a in main.find_all("a")
             if not a["href"].startswith("#") and path_of(a["href"]).startswith("/")]
    assert paths
    assert len(paths) == len(set(paths)), sorted(p for p in paths if paths.count(p) > 1)


def test_the_trust_strip_names_only_the_roles_that_review_articles(known):
    # The known fixture has a writer too (written_by: writer); writers review nothing.
    trust = [text(li) for li in soup(known, "").select("ul.trust > li")]
    assert "Every article reviewed by a licensed pharmacist" in trust


def test_a_person_with_no_role_yet_is_shown_without_a_raw_none(tmp_path):
    shutil.copytree(FIXTURES / "theme-site", tmp_path / "content")
    data = tmp_path / "content" / "pharmacy.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "  helper:\n    bio: Checks links.\n",
                    encoding="utf-8")
    result = run_build(tmp_path)
    assert result.ok, result.stdout + result.stderr
    entry = soup(result, "editorial-policy/").select_one("#person-helper")
    assert text(entry.h3).startswith("A member of our team at ")
    assert "None" not in text(entry)


@pytest.mark.parametrize("photo", ["/evil.example/x.jpg", '"\\\\evil.example/x.jpg"',
                                   "images/../secret.png", "https://example.org/a.png"])
def test_a_photo_is_an_image_under_content_images_or_a_located_error(photo):
    """It is printed as <img src>: '/evil.example/x.jpg' loaded from another site."""
    import yaml  # noqa: PLC0415

    from plugins.sitedata.schema import PHARMACY, check_shape  # noqa: PLC0415

    node = yaml.compose(f"people:\n  pharmacist:\n    photo: {photo}\n")
    problems = check_shape(node, PHARMACY, "pharmacy.yaml")
    assert [(p.field, p.finding.position, p.finding.code) for p in problems] == [
        (("people", "pharmacist", "photo"), (3, 12), "sitedata.bad-image")]
    clean = yaml.compose("people:\n  pharmacist:\n    photo: images/jane-example.jpg\n")
    assert check_shape(clean, PHARMACY, "pharmacy.yaml") == []
