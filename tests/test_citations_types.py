"""Entry types and inheritance: each BibTeX/biblatex type as pandoc maps it to CSL, and
its AMA and APA text; crossref and xdata as biblatex resolves them.

pandoc was not available where these fixtures were written: the strings below are our
own output (citeproc-py), checked by hand against the AMA Manual of Style (11th ed.) and
APA (7th ed.) patterns, not pandoc's. Known differences from the manuals, left as
citeproc-py prints them: an edited book names its editors twice in AMA and APA (the
style's substitute for a missing author is not suppressed later), APA writes "eds." for
"Eds." and "(Publication)" for a thesis without a publication number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from plugins.citations.bibliography import load_files
from plugins.citations.formatting import make_formatter

TYPES = FIXTURES / "citations-types" / "types.bib"

EXPECTED = {  # key: (CSL type, AMA, APA)
    "proc2020": (
        "book",
        "Rivera A, Okafor C, eds. Proceedings of the Example Pain Conference. (Rivera A, "
        "Okafor C, eds.). Example Press; 2020.",
        "Rivera, A., & Okafor, C. (eds.). (2020). Proceedings of the Example Pain Conference "
        "(A. Rivera & C. Okafor, eds.). Example Press."),
    "paper2020": (
        "paper-conference",
        "Lindqvist M. A talk about dosing. In: Rivera A, Okafor C, eds. Proceedings of the "
        "Example Pain Conference. Example Press; 2020:10-15.",
        "Lindqvist, M. (2020). A talk about dosing. In A. Rivera & C. Okafor (eds.), "
        "Proceedings of the Example Pain Conference (pp. 10\u201315). Example Press."),
    "coll2019": (
        "book",
        "Nakamura K, ed. Readings in Pain Care. (Nakamura K, ed.). Example Press; 2019.",
        "Nakamura, K. (ed.). (2019). Readings in Pain Care (K. Nakamura, ed.). Example Press."),
    "chap2019": (
        "chapter",
        "Haddad S. Chronic pain in practice. In: Nakamura K, ed. Readings in Pain Care. "
        "Example Press; 2019:1-20.",
        "Haddad, S. (2019). Chronic pain in practice. In K. Nakamura (ed.), Readings in Pain "
        "Care (pp. 1\u201320). Example Press."),
    "thesis2018": (
        "thesis",
        "Kowalski E. Low-dose Opioid Antagonists in Chronic Pain. PhD thesis. Example "
        "University; 2018.",
        "Kowalski, E. (2018). Low-dose opioid antagonists in chronic pain (Publication) "
        "[PhD thesis]. Example University."),
    "web2023": (
        "webpage",
        "Example Pharmacy Board. Compounding guidance. 2023. Accessed January 15, 2024. "
        "https://example.org/guidance",
        "Example Pharmacy Board. (2023). Compounding guidance. https://example.org/guidance"),
    "misc2022": (
        "webpage",
        "Brandt J. Dosing notes. 2022. Accessed February 1, 2024. https://example.org/notes",
        "Brandt, J. (2022). Dosing notes. https://example.org/notes"),
    "report2021": (
        "report",
        "Osei K. Survey of Compounding Pharmacies. Example Institute; 2021.",
        "Osei, K. (2021). Survey of compounding pharmacies (No. 42). Example Institute."),
    "patent2017": (
        "patent",
        "Morel C. Capsule for low doses. Published online 2017:US1234567.",
        "Morel, C. (2017). Capsule for low doses (Patent No. US1234567)."),
    "data2022": (
        "dataset",
        "Singh P. Pain scores from a pilot. Published online 2022. doi:10.5555/example.data",
        "Singh, P. (2022). Pain scores from a pilot [Dataset]. Example Data Archive. "
        "https://doi.org/10.5555/example.data"),
    "soft2024": (
        "software",
        "Dubois L. Dose calculator. Published online 2024. https://example.org/calc",
        "Dubois, L. (2024). Dose calculator (Version 1.2) [Computer software]. "
        "https://example.org/calc"),
    "book2016": (
        "book",
        "Ferreira I. Pharmacy Basics. Example Press; 2016.",
        "Ferreira, I. (2016). Pharmacy Basics. Example Press."),
}


@pytest.fixture(scope="module")
def bib():
    return load_files([TYPES])


@pytest.mark.parametrize("style", ["ama", "apa"])
def test_each_type_maps_and_formats(bib, style: str) -> None:
    assert bib.problems == []
    assert sorted(bib.entries) == sorted(EXPECTED)  # the @xdata entry is not a work
    formatter = make_formatter(style, bib)
    column = 1 if style == "ama" else 2
    for key, expected in EXPECTED.items():
        assert bib.entries[key].csl["type"] == expected[0], key
        assert formatter[key].text == expected[column], key


def test_crossref_inherits_the_container_and_the_child_wins(bib) -> None:
    paper = bib.entries["paper2020"].csl
    assert paper["container-title"] == "Proceedings of the Example Pain Conference"
    assert paper["title"] == "A talk about dosing"  # its own title, not the parent's
    assert [e["family"] for e in paper["editor"]] == ["Rivera", "Okafor"]
    assert paper["issued"] == {"date-parts": [[2020]]}
    assert bib.parents == {"proc2020", "coll2019", "press"}  # not warned as unused


def test_identifiers_are_not_inherited_and_a_missing_parent_names_both(tmp_path: Path) -> None:
    path = tmp_path / "a.bib"
    path.write_text(
        "@book{parent,\n  title = {Parent Book},\n  doi = {10.1000/parent},\n"
        "  publisher = {P},\n  year = {2001}\n}\n"
        "@inbook{child,\n  author = {Doe, Jane},\n  title = {Child},\n  year = {2002},\n"
        "  crossref = {parent}\n}\n"
        "@inbook{orphan,\n  author = {Doe, Jane},\n  title = {Orphan},\n"
        "  crossref = {nosuchbook}\n}\n"
        "@book{loop,\n  title = {Loop},\n  crossref = {loop}\n}\n")
    bib = load_files([path])
    child = bib.entries["child"].csl
    assert child["container-title"] == "Parent Book"
    assert child["issued"] == {"date-parts": [[2002]]}  # its own year wins
    assert child["publisher"] == "P"
    assert "DOI" not in child
    assert [(p.line, p.col, p.code, p.message, p.hint) for p in bib.problems] == [
        (16, 3, "citations.missing-parent",
         "reference 'orphan' takes fields from 'nosuchbook' (crossref), but there is no "
         "entry 'nosuchbook'", "add the entry 'nosuchbook' to a.bib, or correct the "
         "crossref field")]


EXPORTS = FIXTURES / "citations-exports"
YOUNGER = {  # AMA and APA, as the site prints them from the team's own entries
    "ama": [
        "Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: a "
        "pilot study. Pain Med. 2009;10(4):663-672. doi:10.1111/j.1526-4637.2009.00613.x",
        "Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of "
        "fibromyalgia: findings of a small, randomized, double-blind, placebo-controlled, "
        "counterbalanced, crossover trial assessing daily pain levels. Arthritis Rheum. "
        "2013;65(2):529-538. doi:10.1002/art.37734"],
    "apa": [
        "Younger, J., & Mackey, S. (2009). Fibromyalgia symptoms are reduced by low-dose "
        "naltrexone: A pilot study. Pain Medicine, 10(4), 663\u2013672. "
        "https://doi.org/10.1111/j.1526-4637.2009.00613.x",
        "Younger, J., Noor, N., McCue, R., & Mackey, S. (2013). Low-dose naltrexone for the "
        "treatment of fibromyalgia: Findings of a small, randomized, double-blind, "
        "placebo-controlled, counterbalanced, crossover trial assessing daily pain levels. "
        "Arthritis & Rheumatism, 65(2), 529\u2013538. https://doi.org/10.1002/art.37734"],
}


@pytest.mark.parametrize("style", ["ama", "apa"])
@pytest.mark.parametrize("export", ["zotero.bib", "betterbibtex.bib", "jabref.bib",
                                    "zotero.json"])
def test_every_export_of_one_bibliography_reads_the_same(export: str, style: str) -> None:
    bib = load_files([EXPORTS / export])
    assert (bib.problems, bib.unreadable, len(bib.entries)) == ([], [], 2)
    formatter = make_formatter(style, bib)
    assert sorted(formatter[key].text for key in bib.entries) == YOUNGER[style]
    pmids = sorted(str(entry.csl.get("PMID", "")) for entry in bib.entries.values())
    assert pmids == ["", "19453963"]
