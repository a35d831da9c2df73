"""Evidence as data (plugins/evidence): records, labels, tables, checks, condition pages."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, ROOT, build_site, shared_build, soup
from plugins.evidence.directive import find_directives, select
from plugins.evidence.labels import label, strongest_first, work_of
from plugins.evidence.records import parse_studies
from plugins.evidence.summary import untested_conditions
from plugins.evidence.table import row
from plugins.evidence.vocabulary import DESIGNS, DIRECTIONS
from plugins.sources.spans import offset_of
from site_under_test import built_site

SLUGS = {"fibromyalgia": "fibromyalgia", "fibro": "fibromyalgia", "crps": "crps"}


def parse(text):
    return parse_studies(text, SLUGS.get, lambda: list(SLUGS))


def test_every_design_and_direction_parses_and_sorts_strongest_first_then_newest():
    records = "".join(
        f"k{i}:\n  design: {d.slug}\n  direction: {DIRECTIONS[i % 4].text}\n"
        f"  participants: {10 + i} adults\n  conditions: [fibro]\n"
        for i, d in enumerate(reversed(DESIGNS)))
    studies, findings = parse(records)
    assert findings == []
    works = [work_of(s, {"issued": {"date-parts": [[2000 + i]]}, "author": [{"family": f"A{i}"}]})
             for i, s in enumerate(studies.values())]
    ordered = [w.study.design.slug for w in strongest_first(works)]
    assert ordered == [d.slug for d in DESIGNS]
    assert {s.direction.slug for s in studies.values()} == {d.slug for d in DIRECTIONS}
    assert all(s.conditions == ("fibromyalgia",) for s in studies.values())


def test_label_reads_design_people_dose_length_direction():
    studies, _ = parse("b:\n  design: randomized-controlled-trial\n  participants: 99 women\n"
                       "  dose: 6 mg\n  duration: 12 weeks\n  direction: no clear difference\n"
                       "g:\n  design: randomized-controlled-trial\n  ldn: false\n"
                       "  participants: 627\n  direction: not applicable\n"
                       "r:\n  design: meta-analysis\n  studies: 4\n  participants: 222\n"
                       "  direction: mixed\n  outcome: x\nn:\n  outcome: only this\n"
                       "d:\n  details: Double-masked crossover\n  participants: 80\n")
    assert label(studies["b"]) == ("Randomized trial · 99 people · 6 mg · 12 weeks · "
                                   "no clear difference")
    assert label(studies["g"]) == "Randomized trial · 627 people · not about LDN"
    assert label(studies["r"]) == "Meta-analysis · 4 studies · 222 people · mixed"
    # A design not verified is never "Design not verified": the record's own words, or nothing.
    assert label(studies["n"]) == ""
    assert label(studies["d"]) == "Double-masked crossover · 80 people"


def test_each_record_error_is_reported_with_line_column_and_hint():
    _, findings = parse("a:\n  design: randomised-controlled-trial\n  direction: favours\n"
                        "  participants: about fifty\n  conditions: [fibromyalga]\n"
                        "  dose2: 4 mg\n  ldn: maybe\n")
    got = [(f.line, f.col, f.code, f.message, f.hint) for f in findings]
    assert got == [
        (2, 11, "evidence.unknown-design",
         "unknown design 'randomised-controlled-trial' in the record of 'a'",
         "did you mean 'randomized-controlled-trial'?"),
        (3, 14, "evidence.unknown-direction", "unknown direction 'favours' in the record of 'a'",
         "did you mean 'favours-ldn'?"),
        (4, 17, "evidence.bad-participants",
         "participants of 'a' must start with a number, not 'about fifty'",
         "write the number of people first, e.g. 'participants: 99 women aged 18 to 64', "
         "or leave the field out if it is not known"),
        (5, 16, "evidence.unknown-condition",
         "unknown condition 'fibromyalga' in the record of 'a'", "did you mean 'fibromyalgia'?"),
        (6, 3, "evidence.unknown-field", "unknown field 'dose2' in the record of 'a'",
         "did you mean 'dose'?"),
        (7, 8, "evidence.bad-value", "'ldn' of 'a' must be true or false, not 'maybe'",
         "write 'ldn: false' for a work that is not about low-dose naltrexone"),
    ]


def test_directive_options_are_checked_and_select_ldn_records_only():
    body = ("Text\n\n!evidence conditions=fibro,gout designs=studies,trials tone=x\n\n"
            "```\n!evidence\n```\n")
    directives, problems = find_directives(body, SLUGS.get, lambda: list(SLUGS))
    assert len(directives) == 1
    offsets = [offset_of(body, p.line, p.col) for p in problems]
    assert [(body[o:o + 6], p.code) for o, p in zip(offsets, problems, strict=True)] == [
        ("tone=x", "evidence.bad-directive"), ("gout d", "evidence.unknown-condition"),
        ("trials", "evidence.unknown-design")]
    studies, _ = parse("a:\n  design: case-report\n  conditions: [fibro]\n"
                       "b:\n  design: systematic-review\n  conditions: [fibro]\n"
                       "c:\n  design: case-report\n  conditions: [crps]\n"
                       "d:\n  design: case-report\n  ldn: false\n  conditions: [fibro]\n")
    works = [work_of(s, None) for s in studies.values()]
    assert [w.key for w in select(works, directives[0])] == ["a"]


SITE = FIXTURES / "conditions-site"


def evidence_site(studies: str, article: str = "") -> dict[str, str]:
    files = {str(p.relative_to(SITE)): p.read_text() for p in SITE.rglob("*") if p.is_file()}
    files["bibliography.bib"] = (ROOT / "content" / "bibliography.bib").read_text()
    files["studies.yaml"] = studies
    if article:
        files["articles/fibro.md"] = article
    return files


ARTICLE = ("---\ntitle: Fibromyalgia article\nslug: fibro-article\nsummary: About it.\n"
           "audience: both\nconditions: [fibromyalgia]\nreviewed_by: pharmacist\n"
           "last_reviewed: 2026-11-01\nnext_review: 2027-05-01\n---\n"
           "Pain [@smith2011; @bruun2024].\n\n!evidence conditions=fibro\n\n"
           "!evidence designs=reviwes size=2\n")
RECORDS = ("bruun2024:\n  design: randomized-controlled-trial\n  participants: 99 women\n"
           "  conditions: [fibromyalgia]\n  direction: no clear difference\n  outcome: None.\n"
           "bested2023:\n  design: randomized-crossover-trial\n  participants: 58\n"
           "  conditions: [fibromyalgia]\n  direction: no clear difference\n"
           "smith2011:\n  design: randomized-controlled-trial\n  conditions: [multiple-sclerosis]\n"
           "garbutt2005:\n  design: randomized-controlled-trial\n  ldn: false\n"
           "  conditions: [fibromyalgia]\n")


def test_bad_input_lists_every_error_at_once_and_writes_nothing(tmp_path):
    result = build_site(tmp_path, evidence_site(RECORDS + "nobody2020:\n  design: cohort\n",
                                                ARTICLE + "\n!evidence conditions=crps\n"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    ours = [d for d in result.diagnostics if "citations.unused-entry" not in d]
    assert ours == [
        "content/articles/fibro.md:11:7: warning: 'smith2011' is a study of "
        "multiple-sclerosis, none of this page's conditions; check that the citation is the "
        "one meant, or add the condition to the page's conditions: (or to the record in "
        "studies.yaml) [evidence.misplaced-citation]",
        "content/articles/fibro.md:15:19: error: unknown design 'reviwes' in an evidence "
        "table; did you mean 'reviews'? [evidence.unknown-design]",
        "content/articles/fibro.md:15:27: error: unknown option 'size' in an evidence table; "
        "the options are conditions=, designs= and caption= [evidence.bad-directive]",
        # A valid table that selects nothing is a warning; one with an error is not warned
        # about again (line 15).
        "content/articles/fibro.md:17:1: warning: this evidence table lists no study; check "
        "its conditions= and designs=, or add records to studies.yaml [evidence.empty-table]",
        "content/studies.yaml:19:1: error: study record for 'nobody2020', which is not in the "
        "bibliography; add the work to bibliography.bib first, or correct the key "
        "[evidence.unknown-key]",
        "content/studies.yaml:20:11: error: unknown design 'cohort' in the record of "
        "'nobody2020'; use one of: " + ", ".join(d.slug for d in DESIGNS)
        + " [evidence.unknown-design]",
    ]
    assert not result.output.exists() or not any(result.output.iterdir())


@pytest.fixture(scope="module")
def built():
    article = ARTICLE.replace("!evidence designs=reviwes size=2\n", "").replace(
        "[@smith2011; @bruun2024]", "[@bruun2024; @garbutt2005]")
    # Ready to launch (launch-ready laid over it), so that it has a sitemap.
    result = shared_build(evidence_site(RECORDS, article), overlay="launch-ready")
    assert result.ok, result.stderr
    return result


def test_table_rows_labels_and_condition_page(built):
    html = built.html("fibro-article/")
    table = re.search(r'<table class="ev">.*?</table>', html, re.DOTALL).group()
    assert re.findall(r'<th scope="row"><a href="/references/#ref-(\w+)">', table) == [
        "bruun2024", "bested2023"]  # strongest design first; garbutt2005 is not LDN
    assert "<caption>Studies and reviews of LDN in fibromyalgia, strongest design first" in table
    assert '<td><a href="/conditions/fibromyalgia/">Fibromyalgia</a></td>' in table
    assert "<td>Not verified</td>" in table  # bested2023: no dose, no length
    assert "evidence.css" in html
    assert ("<small>Randomized trial · 99 people · no clear difference</small>" in html)
    assert "<small>Randomized trial · not about LDN</small>" in html
    refs = built.html("references/")
    assert "<small>Randomized crossover · 58 people · no clear difference</small>" in refs
    page = built.html("conditions/fibromyalgia/")
    assert "ref-bruun2024" in page
    assert "ref-bested2023" in page
    assert "ref-garbutt2005" not in page
    assert "ref-smith2011" not in page
    index = built.html("conditions/")
    assert "2 studies of LDN · strongest design: randomized controlled trial" in index
    assert "0 reviews" not in index
    assert ("For LDN in fibromyalgia, our sources hold two studies: one randomized controlled "
            "trial and one randomized crossover trial.</p>") in page


def test_only_a_study_or_a_review_of_studies_counts_as_ldn_tested_in_a_condition():
    studies, findings = parse(
        "mention:\n  design: narrative-review\n  conditions: [crps]\n"
        "other:\n  design: randomized-controlled-trial\n  ldn: false\n  conditions: [crps]\n"
        "pooled:\n  design: systematic-review\n  conditions: [fibro]\n")
    assert findings == []
    # A narrative review only mentions; a work not about LDN tests nothing of LDN.
    assert untested_conditions(["fibromyalgia", "crps", "gout"], studies.values()) == [
        "crps", "gout"]
    studies, _ = parse("pilot:\n  conditions: [crps]\n")  # a study of unverified design
    assert untested_conditions(["crps"], studies.values()) == []


def test_a_condition_no_record_names_has_a_redirect_not_a_page_and_no_home_card(built):
    """In the fixture, records name fibromyalgia and MS; none names CRPS."""
    moved = soup(built, "conditions/crps/")
    refresh = moved.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=/conditions/without-trials/#crps"
    assert moved.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert [link["href"] for link in moved.find_all("link", rel="canonical")] == [
        "/conditions/without-trials/"]
    visible = moved.main.find("a", href="/conditions/without-trials/#crps")
    assert visible.get_text() == "Go to Complex regional pain syndrome (CRPS) on that page"
    assert all(script.get("src") for script in moved.find_all("script"))  # CSP: no inline
    assert moved.find(attrs={"data-pagefind-body": True}) is None  # not indexed for search
    assert "conditions/crps/" not in (built.output / "sitemap.xml").read_text()

    shared = soup(built, "conditions/without-trials/")
    assert shared.h1.get_text() == "Conditions without clinical trials"
    sections = shared.select("section.untested-condition")
    assert [section["id"] for section in sections] == ["crps"]
    words = " ".join(sections[0].get_text(" ").split())
    assert words.startswith("Complex regional pain syndrome (CRPS) Fixture summary of CRPS. "
                            "What this means: LDN has not been shown to help this condition.")
    assert sections[0].find("a", href="/pain-article/") is not None  # the article about it
    assert "conditions/without-trials/" in (built.output / "sitemap.xml").read_text()

    # Conditions with records keep their pages; nothing links the retired address.
    assert 'class="article condition"' in built.html("conditions/fibromyalgia/")
    for url in ("", "conditions/", "pain-article/", "search/"):
        html = built.html(url)
        assert 'href="/conditions/crps/"' not in html, url
    for url in ("conditions/", "search/"):  # each links the shared page instead
        assert 'href="/conditions/without-trials/"' in built.html(url), url
    home = soup(built, "")
    cards = [a.get_text() for a in home.select(".condition-grid > li > a")]
    assert cards == ["Fibromyalgia", "Multiple sclerosis (MS)"]
    assert home.find("a", href="/conditions/without-trials/").get_text() == (
        "Conditions without clinical trials")
    article = built.html("pain-article/")
    assert 'href="/conditions/without-trials/#crps" data-pagefind-filter="condition">' in article


def test_a_link_to_a_retired_condition_address_is_a_located_warning(tmp_path):
    article = ARTICLE.replace("!evidence designs=reviwes size=2\n", "").replace(
        "Pain [@smith2011; @bruun2024].",
        "Pain [@bruun2024]. See [CRPS](/conditions/crps/), [fibro](/conditions/fibromyalgia/)"
        " and [all](/conditions/without-trials/#crps).")
    result = build_site(tmp_path, evidence_site(RECORDS, article))
    assert result.ok, result.stderr
    assert [d for d in result.diagnostics if "retired" in d] == [
        "content/articles/fibro.md:11:31: warning: '/conditions/crps/' is not a page: no study "
        "record in studies.yaml shows LDN tested in 'crps', so it is a section of "
        "'/conditions/without-trials/'; link '/conditions/without-trials/#crps' instead "
        "[evidence.retired-condition-link]"]
    assert 'href="/conditions/crps/"' in result.html("fibro-article/")  # still a working link


def test_real_fibromyalgia_page_lists_its_trials_and_not_other_conditions_studies():
    site = built_site()
    page = (site.output / "conditions" / "fibromyalgia" / "index.html").read_text()
    for key in ("bruun2024", "bested2023"):
        item = re.search(rf'<li><a href="[^"]*#ref-{key}">.*?</li>', page, re.DOTALL)
        assert item, key
        assert "no clear difference" in item.group().lower()
    assert "FINAL" not in page  # never explained in our sources: the trial is described
    assert "Bruun 2024" in page
    for key in ("garbutt2005", "smith2007", "smith2011", "cree2010", "clauw2009"):
        assert f"ref-{key}" not in page
    research = (site.output / "ldn-research" / "index.html").read_text()
    assert research.count('<table class="ev">') == 2
    assert "ref-garbutt2005\">" not in re.search(r'<table class="ev">.*</table>', research,
                                                 re.DOTALL).group()


CELLS = """() => ({
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  clipped: [...document.querySelectorAll('.ev tbody th, .ev tbody td, .ev caption')]
    .filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent.slice(0, 40)),
  rows: getComputedStyle(document.querySelector('.ev tbody tr')).display,
  label: getComputedStyle(document.querySelector('.ev td'), '::before').content,
})"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390, 320])
def test_research_tables_fit_read_as_cards_on_phones_and_pass_axe(base_url, new_tab, width,
                                                                  scheme):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    built_site()
    page = new_tab(viewport={"width": width, "height": 900}, color_scheme=scheme,
                   bypass_csp=True)
    try:
        page.goto(f"{base_url}/ldn-research/")
        found = page.evaluate(CELLS)
        assert found["overflow"] <= 0
        assert found["clipped"] == []
        if width < 768:
            assert (found["rows"], found["label"]) == ("block", '"Design"')
        else:
            assert (found["rows"], found["label"]) == ("table-row", "none")
        violations = Axe().run(page, options={"resultTypes": ["violations"]}).response[
            "violations"]
        assert violations == []
    finally:
        page.close()


def test_a_result_leads_with_its_direction_unless_none_applies():
    studies, _ = parse("s:\n  design: pilot-study\n  direction: not applicable\n"
                       "  outcome: A safety study.\n"
                       "f:\n  design: pilot-study\n  direction: favours LDN\n"
                       "  outcome: Less pain.\n")
    cells = {key: re.search(r"<td>([^<]*(?:<b>[^<]*</b>[^<]*)?)</td></tr>$",
                            row(work_of(study, {"author": [{"family": "A"}]}), lambda s: None, ""))
             .group(1) for key, study in studies.items()}
    assert cells == {"s": "A safety study.", "f": "<b>Favors LDN.</b> Less pain."}


EVERY_DESIGN = [  # (key, design) in the order a table must list them
    ("vatvani2024", "meta-analysis"), ("yang2023", "systematic-review"),
    ("bruun2024", "randomized-controlled-trial"), ("smith2011", "randomized-controlled-trial"),
    ("bested2023", "randomized-crossover-trial"), ("smith2007", "open-label-trial"),
    ("younger2009", "pilot-study"), ("metyas2018", "observational-study"),
    ("gironi2008", "case-series"), ("chopra2013", "case-report"),
    ("toljan2018", "narrative-review"), ("li2018", "laboratory-study")]


def test_a_table_of_every_design_and_direction_lists_strongest_first_then_newest(tmp_path):
    directions = [d.text for d in DIRECTIONS] + [None]
    records = "".join(
        f"{key}:\n  design: {design}\n  conditions: [fibromyalgia]\n  outcome: Result {i}.\n"
        + (f"  direction: {directions[i % 5]}\n" if directions[i % 5] else "")
        for i, (key, design) in enumerate(reversed(EVERY_DESIGN)))
    article = ARTICLE.replace("!evidence designs=reviwes size=2\n", "").replace(
        "[@smith2011; @bruun2024]", "[@bruun2024]")
    result = build_site(tmp_path, evidence_site(records, article))
    assert result.ok, result.stderr
    table = re.search(r'<table class="ev">.*?</table>', result.html("fibro-article/"),
                      re.DOTALL).group()
    rows = re.findall(r'<th scope="row"><a href="/references/#ref-(\w+)">[^<]*</a></th> ?'
                      r"<td>([^<]*)</td>.*?<td>((?:<b>[^<]*</b> )?)Result (\d+)\.</td></tr>",
                      table, re.DOTALL)
    names = {d.slug: d.name for d in DESIGNS}
    assert [(key, design) for key, design, _, _ in rows] == [
        (key, names[design]) for key, design in EVERY_DESIGN]
    leads = {"favors LDN": "<b>Favors LDN.</b> ", "no clear difference":
             "<b>No clear difference.</b> ", "mixed": "<b>Mixed.</b> ", "not applicable": "",
             None: "<b>Direction not verified.</b> "}
    assert [lead for _, _, lead, _ in rows] == [
        leads[directions[int(i) % 5]] for _, _, _, i in rows]


def test_a_directive_in_a_list_a_quote_or_indented_is_an_error_not_text():
    body = ("Text\n\n- item\n  !evidence\n\n- !evidence conditions=fibro\n\n> !evidence\n\n"
            "```\n    !evidence\n```\n\n!evidence\n")
    directives, problems = find_directives(body, SLUGS.get, lambda: list(SLUGS))
    assert [body[d.start:d.end] for d in directives] == ["!evidence"]
    assert [(p.line, p.code) for p in problems] == [
        (4, "evidence.nested-directive"), (6, "evidence.nested-directive"),
        (8, "evidence.nested-directive")]
    assert problems[0].message == ("an evidence table cannot go inside a list, a quote or an "
                                   "indented block; it would be shown as text")


def test_a_directive_shown_as_an_example_in_code_before_a_real_one_stays_code(tmp_path):
    article = ARTICLE.replace("!evidence designs=reviwes size=2\n", "").replace(
        "Pain [@smith2011; @bruun2024].\n\n!evidence conditions=fibro\n",
        "Pain [@bruun2024].\n\nWrite:\n\n```\n!evidence conditions=fibro\n```\n\n"
        "!evidence conditions=fibro\n")
    result = build_site(tmp_path, evidence_site(RECORDS, article))
    assert result.ok, result.stderr
    html = result.html("fibro-article/")
    assert "<code>!evidence conditions=fibro\n</code>" in html
    assert html.count('<table class="ev">') == 1
    assert "\x0e" not in html
    assert "\x0f" not in html


def test_counts_in_lists_and_in_sentences_never_say_zero():
    from plugins.evidence.summary import counted, plural  # noqa: PLC0415

    assert counted(6, 6) == "6 studies and 6 reviews"
    assert counted(0, 2) == "2 reviews"
    assert counted(1, 0) == "1 study"
    assert counted(0, 0) == "no studies or reviews"
    assert [plural(n) for n in ("meta-analysis", "pilot study", "case series",
                                "systematic review with meta-analysis",
                                "study whose design we could not check")] == [
        "meta-analyses", "pilot studies", "case series",
        "systematic reviews with meta-analysis", "studies whose design we could not check"]
