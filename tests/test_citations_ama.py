"""AMA as journals print it: NLM journal abbreviations, sentence-case article titles
(APA's capital after a colon), superscripts after the full stop, typographic
apostrophes. The parsers and rules on their own; the real builds are in
test_citations_site.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plugins.citations.bibliography import load_files
from plugins.citations.formatting import make_formatter, typographic_apostrophes
from plugins.citations.journals import normalized, table
from plugins.citations.placeholders import insert
from plugins.citations.render import ArticleCitations, replace_citations
from plugins.citations.syntax import find_citations
from plugins.citations.titles import capitalize_subtitle, sentence_case


@pytest.mark.parametrize(("raw", "expected"), [
    ("Reduced Pro-Inflammatory Cytokines after Eight Weeks of Low-Dose Naltrexone",
     "Reduced pro-inflammatory cytokines after eight weeks of low-dose naltrexone"),
    ("Low-Dose Naltrexone ({LDN})---Review of Therapeutic Utilization",
     "Low-dose naltrexone ({LDN})---review of therapeutic utilization"),
    ("Healing in Active {Crohn's} Disease", "Healing in active {Crohn's} disease"),
    ("The Role of IL-6 and mRNA in ME/CFS", "The role of IL-6 and mRNA in ME/CFS"),
    ("Fatigue in Bye-M{\\o}ller's Cohort", "Fatigue in Bye-M{\\o}ller's cohort"),
    ("{FDA} Approves a Drug", "{FDA} approves a drug"),
    ("Fibromyalgia: An Overview", "Fibromyalgia: an overview"),
    ("already in sentence case", "already in sentence case"),
])
def test_sentence_case_keeps_what_braces_protect(raw: str, expected: str) -> None:
    assert sentence_case(raw) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Fibromyalgia: an overview", "Fibromyalgia: An overview"),
    ("Review: mRNA and pain", "Review: mRNA and pain"),  # never "MRNA"
    ("No colon here", "No colon here"),
])
def test_apa_capitalizes_after_a_colon(title: str, expected: str) -> None:
    assert capitalize_subtitle(title) == expected


def test_the_bundled_abbreviations_are_the_nlm_ones() -> None:
    abbreviations = table()
    assert abbreviations[normalized("Pain Medicine")] == "Pain Med"
    assert abbreviations[normalized("Arthritis & Rheumatism")] == "Arthritis Rheum"
    assert abbreviations[normalized("Korean Journal of Pain")] == "Korean J Pain"  # "The" off
    assert abbreviations[normalized("Medical Sciences (MDPI, Basel)")] == "Med Sci (Basel)"
    assert normalized("Medical Sciences") not in abbreviations  # ambiguous: never guessed


BIB = r"""@article{tc,
  author  = {Doe, Jane},
  title   = {Fibromyalgia in {Crohn's} Disease: An Overview},
  journal = {Pain Medicine},
  year    = {2020}
}
@article{own,
  author       = {Doe, Jane},
  title        = {Own abbreviation},
  journal      = {Pain Medicine},
  shortjournal = {Pain Med (Own)},
  year         = {2020}
}
"""


@pytest.mark.parametrize(("style", "expected"), [
    ("ama", "Doe J. Fibromyalgia in Crohn\u2019s disease: an overview. Pain Med. "
            "Published online 2020."),
    ("apa", "Doe, J. (2020). Fibromyalgia in Crohn\u2019s disease: An overview. "
            "Pain Medicine."),
])
def test_an_article_as_the_style_prints_it(tmp_path: Path, style: str, expected: str) -> None:
    path = tmp_path / "a.bib"
    path.write_text(BIB, encoding="utf-8")
    formatter = make_formatter(style, load_files([path]))
    assert formatter["tc"].text == expected
    if style == "ama":  # the entry's own abbreviation wins over the bundled one
        assert formatter["own"].text == ("Doe J. Own abbreviation. Pain Med (Own). "
                                         "Published online 2020.")


def test_typographic_apostrophes_leave_addresses_alone() -> None:
    assert typographic_apostrophes(
        "O'Malley SS. Patients' view. doi:10.1/a'b https://x.org/a'b <a title=\"x'y\">") == (
        "O\u2019Malley SS. Patients\u2019 view. doi:10.1/a'b https://x.org/a'b "
        "<a title=\"x'y\">")


class Numbers:
    mode = "superscript"

    def __contains__(self, key: object) -> bool:
        return True

    def label(self, key: str) -> str:
        return key


@pytest.mark.parametrize(("after", "body", "expected"), [
    (True, "Pain [@a]. More [@b], less [@c]: end [@d]... [see @e].",
     "Pain.1 More,2 less3: end4... see5."),
    (False, "Pain [@a]. More [@b], less [@c].", "Pain1. More2, less3."),
])
def test_superscripts_after_punctuation(after: bool, body: str, expected: str) -> None:
    renderer = ArticleCitations(Numbers(), after_punctuation=after)
    html = insert(*replace_citations(body, find_citations(body), renderer))
    assert re.sub(r"<[^>]+>", "", html) == expected


ORGANISATIONS = r"""@misc{label,
  title     = {Naltrexone hydrochloride tablet, film coated: prescribing information},
  publisher = {DailyMed, U.S. National Library of Medicine},
  year = {2024}, month = oct, day = {15},
  url = {https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid=74087d2f&x=1}
}
@misc{release,
  author = {{U.S. Food and Drug Administration}},
  title = {{FDA} approves first drug for treating fibromyalgia},
  howpublished = {News release}, year = {2007}, month = jun, day = {21}
}
@misc{cdc,
  author = {{Centers for Disease Control and Prevention}},
  title = {Overdose prevention: recognizing an opioid overdose},
  howpublished = {Web page, National Center for Injury Prevention and Control},
  year = {2017}, month = aug, day = {31},
  url = {https://www.cdc.gov/drugoverdose/prevention/index.html}
}
@article{anonymous,
  title = {Efficacy and safety of low-dose naltrexone ({LDN}) in fibromyalgia: a meta-analysis},
  journal = {Annals of Medicine and Surgery}, year = {2025}, volume = {87}, pages = {1--9}
}
"""


def test_organisations_labels_and_anonymous_works_read_as_a_journal_prints_them(
        tmp_path: Path) -> None:
    path = tmp_path / "o.bib"
    path.write_text(ORGANISATIONS, encoding="utf-8")
    formatter = make_formatter("ama", load_files([path]))
    label = formatter["label"].html
    assert label == (
        "Naltrexone hydrochloride tablet, film coated: prescribing information. DailyMed, "
        "U.S. National Library of Medicine. October 15, 2024. "
        '<a href="https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid=74087d2f&amp;x=1">'
        "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid=74087d2f&amp;x=1</a>")
    assert formatter["release"].text == ("U.S. Food and Drug Administration. FDA approves "
                                         "first drug for treating fibromyalgia. News release. "
                                         "June 21, 2007.")
    cdc = formatter["cdc"]
    assert cdc.text.startswith("Centers for Disease Control and Prevention. Overdose "
                               "prevention: recognizing an opioid overdose. Web page, "
                               "National Center for Injury Prevention and Control. "
                               "August 31, 2017. https://www.cdc.gov/")
    assert '<a href="https://www.cdc.gov/drugoverdose/prevention/index.html">' in cdc.html
    anonymous = formatter["anonymous"].text
    assert anonymous.startswith("Efficacy and safety of low-dose naltrexone (LDN) in "
                                "fibromyalgia: a meta-analysis. Ann Med Surg (Lond). 2025;87")
    for entry in ("label", "release", "cdc", "anonymous"):
        assert "No authors listed" not in formatter[entry].html


def test_a_work_without_authors_is_named_by_its_title_not_its_journal(tmp_path: Path) -> None:
    from plugins.evidence.labels import work_of  # noqa: PLC0415
    from plugins.evidence.records import Study  # noqa: PLC0415

    path = tmp_path / "o.bib"
    path.write_text(ORGANISATIONS, encoding="utf-8")
    entries = load_files([path]).entries
    assert work_of(Study("anonymous", 1, 1), entries["anonymous"].csl).name == (
        "Efficacy and safety of low-dose naltrexone (LDN) in fibromyalgia, 2025")
    assert work_of(Study("release", 1, 1), entries["release"].csl).name == (
        "U.S. Food and Drug Administration 2007")


@pytest.mark.parametrize("style", ["ama", "apa", "vancouver"])
def test_formatting_leaves_the_parsed_style_as_it_was(tmp_path: Path, style: str) -> None:
    """citeproc-py adds an element to a <names> without <name> on every entry it formats;
    left there, a 20,000-entry bibliography took time quadratic in entries
    (bench/bibliography_bench.py). Given the empty <name/> CSL implies, the style stays
    as it is while the entries are formatted."""
    from citeproc import CitationStylesStyle  # noqa: PLC0415

    from plugins.citations.engine import bibliography, name_every_names  # noqa: PLC0415
    from plugins.citations.formatting import for_citeproc, resolve_style  # noqa: PLC0415

    path = tmp_path / "a.bib"
    path.write_text("".join(
        f"@article{{k{i},\n  author = {{Doe{i}, Jane and Roe, Ann}},\n  title = {{T{i}}},\n"
        f"  journal = {{Pain Medicine}},\n  year = {{2020}}\n}}\n" for i in range(30)),
        encoding="utf-8")
    entries = load_files([path]).entries
    parsed = CitationStylesStyle(str(resolve_style(style)[0]), validate=False)
    name_every_names(parsed)
    size = sum(1 for _ in parsed.root.iter())
    texts = bibliography(parsed, [for_citeproc(e) for e in entries.values()])
    assert sum(1 for _ in parsed.root.iter()) == size
    texts = [re.sub(r"^\d+\.", "", text) for text in texts]  # citeproc's numbers 1 to 30
    assert texts[29] == texts[0].replace("Doe0", "Doe29").replace("T0", "T29")
