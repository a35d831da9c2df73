"""The claims lint reads text as a visitor reads it (every spelling of a claim folds to
the same words) and reads every text a visitor sees: titles, summaries, callout titles
and the data files, each hit at its own line and column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import build_site
from plugins.editorial.claims import lint_claims
from plugins.editorial.normalize import HIDDEN_CHARS, fold, hidden_characters
from plugins.editorial.visible import locate
from plugins.sources.spans import line_col

FDA = ("error: LDN and compounded medicines are not FDA-approved; saying so is the claim "
       "FDA warning letters to compounders cite; write that it is not FDA-approved for this "
       "use, or name the approved product (naltrexone 50 mg tablets) and its approved use "
       "[claims.fda-approved]")
ARTICLE = "content/articles/spellings.md"


def test_every_spelling_and_every_visible_text_is_flagged_where_it_was_written(tmp_path):
    result = build_site(tmp_path, "claims-visible", command="check", REVIEW_TODAY="2026-12-01")
    assert result.returncode == 1
    assert result.diagnostics == [
        f"{ARTICLE}:2:19: {FDA}",  # title: Why LDN is F.D.A. approved
        f"{ARTICLE}:4:18: error: saying a medicine cures, reverses, eliminates or prevents a "
        "disease is a drug claim no LDN trial supports; describe the measured result and its "
        "size ('pain scores fell by …'), or leave the claim out [claims.cure]",  # summary
        f"{ARTICLE}:11:8: {FDA}",  # F.D.A. approved
        f"{ARTICLE}:13:12: {FDA}",  # FDA, U+2011, approved
        f"{ARTICLE}:15:8: {FDA}",  # a Cyrillic A (U+0410) in FDA
        f"{ARTICLE}:17:8: {FDA}",  # FDA&#8209;approved
        # line 19 negates both spellings: nothing
        f"{ARTICLE}:21:32: {FDA}",  # a callout's title
        f"content/conditions.yaml:7:37: {FDA}",  # in_short, "FDA\u2011approved" escaped
        "content/pharmacy.yaml:18:25: error: no medicine works for everyone or is free of "
        "risk; a guarantee is a claim no evidence can back; say how many people in a study "
        "improved, and that others did not [claims.guarantee]",  # a bio, folded block
        "content/studies.yaml:9:30: error: 'proven' says more than the evidence does; the FTC "
        "asks for randomized trials behind every health claim; say what a named study found, "
        "with its size, and cite it: 'a trial of 31 women found … [@key]' "
        "[claims.proven]",  # a study outcome
    ]


@pytest.mark.parametrize(("written", "read"), [
    ("F.D.A. approved", "FDA approved"),
    ("FDA\u2011approved", "FDA-approved"),
    ("FDA\u2010approved \u2012 \u2013 \u2015 \u2212", "FDA-approved - - - -"),
    ("FD\u0410-appr\u043eved", "FDA-approved"),  # Cyrillic A and o
    ("FDA&#8209;approved, FDA&#x2011;approved", "FDA-approved, FDA-approved"),
    ("F\u200bDA-ap\u00adproved\u2060", "FDA-approved"),  # zero-width space, soft hyphen, WJ
    ("FDA&shy;-approved&nbsp;now", "FDA-approved now"),
    ("\uff26\uff24\uff21 approved", "FDA approved"),  # full-width, by NFKC
    ("\u0391\u0392\u039f \u03bf\u03bd", "ABO ov"),  # Greek look-alikes
    ("l\u0301ow-dose", "l\u0301ow-dose"),  # a combining mark is not a look-alike letter
    ("plain text, 4.5 mg, e.g. this", "plain text, 4.5 mg, eg this"),
    ("**FDA**-approved, F**DA**-*approved*, __pro__ven", "FDA-approved, FDA-approved, proven"),
    ("FDA-<em>approved</em>, <span class='x'>FD</span>A ~~old~~", "FDA-approved, FDA old"),
    ("&lt;em&gt; is text, <br> is not inline", "<em> is text, <br> is not inline"),
])
def test_folding(written: str, read: str) -> None:
    assert fold(written).text == read


def test_each_folded_offset_maps_back_to_what_was_written() -> None:
    written = "Is F.D.A.\u00a0approved &amp; FD\u0410&#8209;approved \u2014 x"
    folded = fold(written)
    assert folded.text == "Is FDA approved & FDA-approved - x"
    assert folded.clauses == "Is FDA approved & FDA-approved \u2014 x"  # the em dash ends a clause
    second = folded.text.index("FDA", 5)
    assert [written[folded.source(i)] for i in (3, 4, 5, 6, second, second + 2)] == [
        "F", "D", "A", "\u00a0", "F", "\u0410"]
    assert written[folded.source(folded.text.index("-approved"))] == "&"
    assert written[folded.source(folded.text.index("x"))] == "x"


@pytest.mark.parametrize(("body", "code", "column"), [
    ("LDN is **FDA**-approved.\n", "claims.fda-approved", 10),  # at the F, past the stars
    ("LDN is FDA-<em>approved</em>.\n", "claims.fda-approved", 8),
    ("Our LDN *cures* pain.\n", "claims.cure", 10),
    ("LDN is a pro*ven* treatment.\n", "claims.proven", 10),
])
def test_a_claim_split_by_inline_markup_is_still_a_claim(body: str, code: str,
                                                         column: int) -> None:
    assert [(h.code, h.position) for h in lint_claims(body)] == [(code, (1, column))]


def test_an_em_dash_still_ends_the_clause_a_negation_covers() -> None:
    assert [h.code for h in lint_claims("LDN is not a cure\u2014it is FDA-approved.\n")] == [
        "claims.fda-approved"]
    assert lint_claims("LDN is not FDA\u2011approved.\n") == []
    assert lint_claims("LDN is not **FDA**-approved.\n") == []


@pytest.mark.parametrize(("source", "value", "offset", "expected"), [
    ("t: Why LDN is F.D.A. approved\n", "Why LDN is F.D.A. approved", 11, 14),
    ('t: "Say \\"it\\" is FDA-approved"\n', 'Say "it" is FDA-approved', 12, 18),
    ("t: >-\n  One two\n  three four\n", "One two three four", 8, 18),
])
def test_locate_finds_a_value_offset_in_its_yaml(source, value, offset, expected) -> None:
    assert locate(source, 3, value, offset) == expected


@pytest.mark.parametrize(("body", "offset"), [
    ('!!! warning "LDN is FDA-approved"\n    Text.\n', 20),
    ('!!!note extra "Our "LDN" is FDA-approved"\n', 28),  # two kinds, quotes in the title
    ('Text "LDN is FDA-approved" quoted.\n', None),  # a quotation is still not read
    ('!evidence conditions=fibromyalgia caption="LDN is FDA-approved"\n', 50),
    ('!evidence caption="Trials of LDN" designs=trials\nLDN is FDA-approved.\n', 56),
])
def test_a_callout_title_or_table_caption_is_read_as_text(body: str, offset: int | None) -> None:
    assert [h.position for h in lint_claims(body)] == ([line_col(body, offset)] if offset else [])


PIECES = st.sampled_from(["FDA", "F.D.A.", "&#8209;", "&shy;", "&amp;", "\u2011", "\u2014",
                          "**", "_", "<em>", "</em>", "~~",
                          "\u200b", "\u0410", "\uff26", "e\u0301", " ", "\n", ".", "x"])


@given(st.lists(PIECES, max_size=30).map("".join))
def test_every_folded_offset_maps_into_the_source_in_order(written: str) -> None:
    folded = fold(written)
    assert len(folded.clauses) == len(folded.text)
    sources = [folded.source(i) for i in range(len(folded.text) + 1)]
    assert sources == sorted(sources)
    assert all(0 <= s <= len(written) for s in sources)
    assert sources[-1] == len(written)


HIDDEN = ("error: the text holds an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE) that "
          "can make it read otherwise than it is written, or hide words from this check; "
          "delete it (retype the sentence if you cannot see it) [claims.hidden-text]")


def test_a_bidirectional_override_that_shows_a_claim_backwards_is_an_error(tmp_path):
    """'devorppa-ADF' between a right-to-left override and its pop reads 'FDA-approved' on
    screen: the override is refused wherever it is written, raw or as a reference."""
    front = ('---\ntitle: "LDN \u202edevorppa-ADF\u202c"\nsummary: A test page.\n'
             "audience: patients\nconditions: []\nreviewed_by: pharmacist\n"
             "last_reviewed: 2026-11-01\nnext_review: 2027-05-01\n---\n")
    body = ("LDN is \u202edevorppa-ADF\u202c for fibromyalgia.\n\n"
            "LDN is &#x202E;devorppa-ADF&#x202C; for fibromyalgia.\n")
    result = build_site(tmp_path, {"articles/bidi.md": front + body}, command="check",
                        REVIEW_TODAY="2026-12-01")
    assert result.returncode == 1
    path = "content/articles/bidi.md"
    assert f"{path}:2:13: {HIDDEN}" in result.diagnostics  # the title
    assert f"{path}:10:8: {HIDDEN}" in result.diagnostics  # raw, in the body
    assert f"{path}:12:8: {HIDDEN}" in result.diagnostics  # as a character reference
    assert not any("lint: allow" in line for line in result.diagnostics)


@pytest.mark.parametrize("text", ["tab\tand newline\n", "A &amp; B, &#8209; &nbsp; é ü"])
def test_ordinary_whitespace_and_references_are_not_hidden_text(text):
    assert [hit for hit in lint_claims(text) if hit.code == "claims.hidden-text"] == []


def test_every_ascii_control_character_is_found_in_plain_text():
    """A text of printable ASCII is passed without a search; any control character but a
    tab or line break in it, or a character reference, is still found."""
    for code in range(128):
        char = chr(code)
        found = hidden_characters(f"plain text\nwith {char} in it")
        assert [name[:6] for _, name in found] == (
            [f"U+{code:04X}"] if char in HIDDEN_CHARS else []), code
    assert hidden_characters("plain &#x202E;text") == [(6, "U+202E RIGHT-TO-LEFT OVERRIDE")]
