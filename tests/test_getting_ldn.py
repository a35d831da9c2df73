"""The patients' page on getting LDN (content/pages/how-to-get-ldn.md, template
getting-ldn.html): its pharmacy facts come from pharmacy.yaml through the template, never
typed in the Markdown, and an unknown one says what a visitor can do meanwhile."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT, run_build, soup
from site_under_test import REAL_CONTENT, built_site, content_source

PAGE = ROOT / "content" / "pages" / "how-to-get-ldn.md"


def build_real(tmp_path, pharmacy_edit=None):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    if pharmacy_edit:
        path = tmp_path / "content" / "pharmacy.yaml"
        path.write_text(pharmacy_edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_build(tmp_path)
    assert result.ok, result.stdout + result.stderr
    return soup(result, "how-to-get-ldn/")


def card_facts(page) -> dict[str, str]:
    card = page.select_one("section.data-card")
    return {div.dt.get_text(): " ".join(div.dd.get_text().split())
            for div in card.select("dl.facts > div")}


def test_the_markdown_types_no_state_name():
    text = PAGE.read_text(encoding="utf-8")
    for state in ("Michigan", "Ohio", "Indiana", "Illinois", "Wisconsin", "Minnesota", "Florida"):
        assert state not in text, state


@pytest.fixture(scope="module")
def placeholders(tmp_path_factory):
    if content_source() == REAL_CONTENT:  # the real content as it is: the site under test
        return soup(built_site(), "how-to-get-ldn/")
    return build_real(tmp_path_factory.mktemp("getting"))


def test_states_come_from_pharmacy_yaml_and_unknown_facts_say_what_to_do(placeholders):
    facts = card_facts(placeholders)
    assert facts["We ship to"] == ("Michigan, Ohio, Indiana, Illinois, Wisconsin, Minnesota, "
                                   "Florida (where we ship)")
    assert facts["Price"].startswith("Not on this website yet. Until it is, ask us")
    assert facts["Insurance"].startswith("Whether we bill insurance is not on this website yet.")
    assert placeholders.select_one('section.data-card a[href="#step-3-cost-and-insurance"]')
    text = placeholders.get_text()
    assert "PLACEHOLDER" not in text
    # Talking to the doctor, what to bring (our articles and the prescribers' page), the
    # prescription's way to us, cost and insurance.
    headings = [" ".join(h.get_text().split()) for h in placeholders.select(".prose h2")]
    assert headings[:3] == ["Step 1: talk to your doctor", "Step 2: your prescription reaches us",
                            "Step 3: cost and insurance"]
    links = {a["href"] for a in placeholders.select(".prose a[href]")}
    assert {"/send-a-prescription/", "/ldn-side-effects/", "/ldn-research/"} <= links
    assert placeholders.select_one(".review")  # reviewed by, when, next review due


def test_known_facts_replace_the_meanwhile_text(tmp_path):
    def edit(text: str) -> str:
        text = text.replace("ships_to: [MI, OH, IN, IL, WI, MN, FL]", "ships_to: [MI, OH]")
        text = text.replace("ships_to_names: [Michigan, Ohio, Indiana, Illinois, Wisconsin, "
                            "Minnesota, Florida]", "ships_to_names: [Michigan, Ohio]")
        text = text.replace('price: "PLACEHOLDER: the price of compounded LDN, or how it is '
                            'worked out, not yet provided"', "price: Example price text")
        return text.replace('insurance: "PLACEHOLDER: whether the pharmacy bills insurance '
                            'for compounded LDN not yet provided"',
                            "insurance: Example insurance text")
    facts = card_facts(build_real(tmp_path, edit))
    assert facts["We ship to"] == "Michigan, Ohio (where we ship)"
    assert facts["Price"] == "Example price text"
    assert facts["Insurance"] == "Example insurance text"
