"""The claims lint: each rule flags its phrase, and leaves negations, cited results,
quotations, code, reference lists and suppressed lines alone."""

from __future__ import annotations

import dataclasses
import re

import pytest
import yaml

from conftest import DIAGNOSTIC, FIXTURES, ROOT, build_site, run_build, shared_build
from plugins.editorial.claims import lint_claims, match_starts
from plugins.editorial.rules import CODES, RULES

POSITIVES = "content/articles/positives.md"
EXPECTED = [
    (10, 8, "error", "claims.fda-approved"),
    (12, 27, "error", "claims.same-as"),
    (14, 8, "error", "claims.proven"),
    (16, 5, "error", "claims.cure"),
    (18, 11, "error", "claims.guarantee"),
    (20, 33, "error", "claims.safety"),
    (22, 13, "warning", "claims.uncited-result"),
    (24, 13, "error", "claims.disease-list"),
    (26, 1, "error", "lint.no-reason"),  # and so the next line is not silenced:
    (27, 1, "error", "claims.proven"),
    (29, 1, "warning", "lint.unused-suppression"),
    (32, 1, "error", "lint.unknown-code"),
]


def found(result) -> list[tuple[str, int, int, str, str]]:
    rows = []
    for line in result.diagnostics:
        match = DIAGNOSTIC.match(line)
        rows.append((match["path"], int(match["line"]), int(match["col"]), match["severity"],
                     match["code"]))
    return rows


@pytest.fixture(scope="module")
def checked():
    return shared_build("claims-lint", command="check")


def test_each_rule_flags_its_phrase_and_nothing_in_the_negatives(checked):
    assert checked.returncode == 1
    assert found(checked) == [(POSITIVES, *row) for row in EXPECTED]  # negatives.md: none


def test_messages_say_why_and_what_to_write_instead(checked):
    assert (
        f"{POSITIVES}:10:8: error: LDN and compounded medicines are not FDA-approved; saying "
        "so is the claim FDA warning letters to compounders cite; write that it is not "
        "FDA-approved for this use, or name the approved product (naltrexone 50 mg tablets) "
        "and its approved use [claims.fda-approved]") in checked.diagnostics
    assert (
        f"{POSITIVES}:26:1: error: a suppression of claims.proven needs a reason; add why, in "
        'double quotes: <!-- lint: allow claims.proven "quoting the label" --> '
        "[lint.no-reason]") in checked.diagnostics


def test_severities_are_settings(tmp_path):
    result = build_site(tmp_path, "claims-lint", command="check", CLAIMS_SEVERITY={
        "claims.uncited-result": "error", "claims.cure": "off"})
    rows = [(line, col, severity, code) for _, line, col, severity, code in found(result)]
    assert (22, 13, "error", "claims.uncited-result") in rows
    assert not [row for row in rows if row[3] == "claims.cure"]
    assert (29, 1, "warning", "lint.unused-suppression") in rows


def test_a_wrong_severity_setting_is_an_error(tmp_path):
    result = build_site(tmp_path, "basic", command="check",
                        CLAIMS_SEVERITY={"claims.proved": "error", "claims.cure": "loud"})
    assert result.returncode == 1
    assert result.diagnostics == [
        "pelicanconf.py:1:1: error: CLAIMS_SEVERITY names an unknown code 'claims.proved'; "
        "fix CLAIMS_SEVERITY in pelicanconf.py [editorial.bad-setting]",
        "pelicanconf.py:1:1: error: CLAIMS_SEVERITY['claims.cure'] must be 'error', "
        "'warning' or 'off', not 'loud'; fix CLAIMS_SEVERITY in pelicanconf.py "
        "[editorial.bad-setting]"]


@pytest.mark.parametrize(("sentence", "code"), [
    ("LDN has not been approved by the FDA.", None),
    ("LDN is approved by the FDA.", "claims.fda-approved"),
    ("Naltrexone 50 mg is not the same as LDN, but compounded LDN is equivalent to Revia.",
     "claims.same-as"),
    ("LDN reverses fibromyalgia.", "claims.cure"),
    ("LDN can not reverse fibromyalgia.", None),
    ("The trial is risk-free.", "claims.guarantee"),
    ("Improved in 3 of 10 people [@key].", None),
    ("Improved in 3 of 10 people.\n\nA new paragraph [@key].", "claims.uncited-result"),
    ("It may give reduced relief.", None),
    ("LDN may help some cancers, early research suggests [@key].", None),
    ("LDN may help some cancers, early research suggests.", "claims.disease-list"),
    ("Never start LDN while taking opioids unless your prescriber has a plan.",
     "claims.contraindication-exception"),
    ("Do not take LDN with tramadol, except when your doctor says so.",
     "claims.contraindication-exception"),
    ("Do not take LDN if you take an opioid medicine.", None),
    ("Do not stop LDN unless your prescriber says so.", None),  # no opioid: no exception
    ('```\nLDN cures cancer.\n```', None),
    ('```\n<!-- lint: allow claims.proven -->\n```', None),  # an example, not a suppression
])
def test_rules_on_single_sentences(sentence, code):
    codes = [hit.code for hit in lint_claims(sentence)]
    assert codes == ([code] if code else [])


OTHER_CODES = ("lint.no-reason", "lint.unknown-code", "lint.bad-suppression",
               "lint.unused-suppression", "html.forbidden-tag", "html.event-attribute",
               "html.bad-url", "html.not-allowed", "static.file-type", "static.svg-script",
               "readability.grade", "editorial.bad-setting", "sources.yaml-too-large",
               "sitedata.yaml-too-large", "sources.yaml-alias", "sitedata.yaml-alias",
               "conditions.yaml-alias", "evidence.yaml-alias", "integrity.yaml-alias",
               "integrity.bad-yaml")


def test_every_code_is_documented():
    guide = (ROOT / "docs" / "editorial.md").read_text(encoding="utf-8")
    for code in (*CODES, *OTHER_CODES):
        assert f"`{code}`" in guide, code


def test_the_real_content_has_no_errors(tmp_path):
    result = run_build(ROOT, command="check", output=tmp_path / "unused",
                       REVIEW_TODAY="2026-12-06", PROJECT_ROOT=str(ROOT),
                       CACHE_PATH=str(tmp_path / "cache"))
    errors = [line for line in result.diagnostics if ": error: " in line]
    assert result.returncode == 0, errors
    assert errors == []


def test_triggers_skip_nothing_a_rule_would_flag():
    """Rules are only searched for in text holding one of their triggers: without the
    triggers, every page and fixture gives exactly the same hits."""
    untriggered = [dataclasses.replace(rule, triggers=()) for rule in RULES]
    paths = [*sorted((ROOT / "content").glob("*/*.md")),
             *sorted((FIXTURES / "claims-lint" / "articles").glob("*.md")),
             *sorted((FIXTURES / "github-annotations" / "articles").glob("*.md"))]
    assert len(paths) > 20
    for path in paths:
        body = path.read_text(encoding="utf-8")
        assert lint_claims(body) == lint_claims(body, untriggered), path


# Each alternative of each rule's pattern, for the test below.
PHRASES = {
    "claims.fda-approved": ["FDA-approved", "FDA cleared", "approved by the FDA",
                            "cleared with the U.S. Food and Drug Administration",
                            "registered by the US FDA"],
    "claims.same-as": ["the same drug as", "same medicine as", "same as", "equivalent to",
                       "identical to", "generic version of"],
    "claims.proven": ["clinically proven", "scientifically proved", "medically proven",
                      "proven", "studies show that", "study confirms that",
                      "research proves that", "proof that"],
    "claims.cure": ["cures", "reversing", "eliminates", "prevented", "eradicate", "heals"],
    "claims.guarantee": ["guaranteed", "works for everyone", "works for all", "risk-free",
                         "100% safe", "always works", "miracle"],
    "claims.safety": ["safe and effective", "no side effects", "side-effect-free",
                      "non-toxic", "completely safe", "perfectly safe", "totally safe",
                      "harmless", "without any side effects"],
    "claims.contraindication-exception": ["unless your prescriber", "unless you have a plan",
                                          "except when the doctor"],
    "claims.uncited-result": [*(f"{digit}5%" for digit in "0123456789"), "3.5 %", "per cent",
                              "reduced", "improved", "decreased", "increased", "lowered",
                              "fell", "rose", "dropped", "halved", "doubled", "significantly",
                              "better than placebo", "worse than the placebo",
                              "response rate", "remission"],
    "claims.disease-list": ["cancer", "tumours", "malignancy", "carcinoma", "leukaemia",
                            "lymphomas", "melanoma", "oncology", "metastases"],
}


def test_rules_are_tried_only_where_their_matches_can_start():
    """In an ASCII text a rule's pattern is tried only where one of its ``starts`` is:
    the same matches as searching everywhere, for every alternative of every rule, in
    any case, and every start is needed (without it, some phrase would be missed)."""
    assert set(PHRASES) == set(CODES)

    def starts(rule, text):
        return [match.start() for match in rule.pattern.finditer(text)]

    for rule in RULES:
        assert rule.starts, rule.code
        assert all(start == start.lower() for start in rule.starts), rule.code
        texts = []
        for phrase in PHRASES[rule.code]:
            assert rule.pattern.fullmatch(phrase), (rule.code, phrase)
            for written in (phrase, phrase.upper(), phrase.capitalize()):
                texts += [written, f"It said {written}.", f"x{written} {written}, then "
                          f"({written}) and {written}{written}."]
        text = " ".join(texts)
        assert text.isascii()
        assert match_starts(rule, text, text.lower()) == starts(rule, text), rule.code
        for missing in rule.starts:
            fewer = dataclasses.replace(rule, starts=tuple(s for s in rule.starts
                                                           if s != missing))
            assert match_starts(fewer, text, text.lower()) != starts(rule, text), missing
    paths = [*sorted((ROOT / "content").glob("*/*.md")),
             *sorted((FIXTURES / "claims-lint" / "articles").glob("*.md"))]
    searched_everywhere = [dataclasses.replace(rule, starts=()) for rule in RULES]
    for path in paths:
        body = path.read_text(encoding="utf-8")
        assert lint_claims(body) == lint_claims(body, searched_everywhere), path


def test_the_pre_commit_hook_runs_the_lints_on_content():
    """The hook runs `invoke check` on content changes; the check loads PLUGINS, which
    include the editorial plugin (claims and raw-HTML lints)."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(h for repo in config["repos"] for h in repo["hooks"]
                if h["entry"] == "invoke check")
    assert re.search(hook["files"], "content/articles/ldn-cancer.md")
    assert "plugins.editorial" in (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
