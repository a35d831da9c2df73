"""Inputs that used to hang the build or flood its log now give one short message."""

from __future__ import annotations

import time

import pytest

from conftest import DIAGNOSTIC, FIXTURES, build_site
from plugins.sources import yamldoc
from plugins.sources.document import parse_front_matter
from plugins.sources.yamldoc import MAX_DEPTH, SourceError, compose

PHARMACY = (FIXTURES / "basic" / "pharmacy.yaml").read_text(encoding="utf-8")
# Nine levels of nine aliases each: 9**9 (387 million) values once expanded.
LEVELS = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
    f"{name}: &{name} [" + ", ".join([f"*{before}"] * 9) + "]"
    for before, name in zip("abcdefgh", "bcdefghi", strict=True)
]
BOMB = "title: Bomb\n" + "\n".join(LEVELS) + "\nconditions: *i\n"


def page(front_matter: str) -> str:
    return (f"---\n{front_matter}audience: patients\nreviewed_by: pharmacist\n"
            "last_reviewed: 2026-11-01\nnext_review: 2027-05-01\n---\nBody.\n")


ALIAS_ERROR = ("content/articles/bomb.md:2:7: error: front-matter uses the YAML anchor '&a', "
               "which this site does not allow; write the value out in full wherever it is "
               "needed [sources.yaml-alias]")


def test_an_alias_bomb_is_one_error_at_its_first_anchor_in_microseconds():
    started = time.perf_counter()
    with pytest.raises(SourceError) as raised:
        parse_front_matter(BOMB)
    assert time.perf_counter() - started < 0.1
    assert raised.value.code == "sources.yaml-alias"
    assert tuple(raised.value.position) == (3, 4)  # &a, on the file's line 3


def test_an_alias_bomb_fails_the_build_with_one_short_line(tmp_path):
    started = time.perf_counter()
    result = build_site(tmp_path, {"articles/bomb.md": f"---\ntitle: x\n{BOMB[12:]}---\nBody.\n",
                                   "pharmacy.yaml": PHARMACY}, command="check")
    assert time.perf_counter() - started < 30  # a whole Pelican run; it used to hang
    assert result.returncode == 1
    assert result.diagnostics == [ALIAS_ERROR.replace(":2:7:", ":3:4:")]
    assert len(result.stdout + result.stderr) < 1000


@pytest.mark.parametrize(("text", "where", "what"), [
    ("title: x\nconditions: &a [*a]\n", (2, 13), "anchor '&a'"),
    ("title: x\ncitations: &c [a, b]\nother: *c\n", (2, 12), "anchor '&c'"),  # small or not
    ("title: x\nother: *c\n", (2, 8), "alias '*c'"),
    ("title: x\nbase: &b {a: 1}\nmore: {<<: *b}\n", (2, 7), "anchor '&b'"),
])
def test_every_anchor_and_alias_is_refused_where_it_is(text, where, what):
    with pytest.raises(SourceError) as raised:
        parse_front_matter(text, first_line=1)
    assert (raised.value.code, tuple(raised.value.position)) == ("sources.yaml-alias", where)
    assert what in raised.value.message


def test_deep_nesting_is_refused_before_libyaml_recurses():
    # 100,000 levels ended the process in LibYAML's composer (a segmentation fault).
    text = "title: " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(SourceError) as raised:
        parse_front_matter(text, first_line=1)
    assert raised.value.code == "sources.yaml-too-large"
    assert raised.value.message == ("front-matter nests lists and mappings more than "
                                    f"{MAX_DEPTH} levels deep")
    assert tuple(raised.value.position) == (1, 8 + MAX_DEPTH - 1)  # the root is a level


def test_too_many_values_are_refused_where_the_limit_is_passed(monkeypatch):
    monkeypatch.setattr(yamldoc, "MAX_NODES", 1_000)  # the same code; a shorter test
    items = ["a"] * (1_000 - 3)  # with the mapping, its key and the list
    assert compose(f"citations: [{', '.join(items)}]\n", "studies.yaml", "evidence")
    with pytest.raises(SourceError) as raised:
        compose(f"citations: [{', '.join([*items, 'b'])}]\n", "studies.yaml", "evidence")
    assert raised.value.code == "evidence.yaml-too-large"
    assert raised.value.message == "studies.yaml holds more than 1,000 values"
    assert tuple(raised.value.position) == (1, 13 + 3 * len(items))  # the 'b'


def test_a_character_yaml_refuses_is_located():
    with pytest.raises(SourceError) as raised:
        compose("name: x\nphone: 555\x01\n", "pharmacy.yaml", "sitedata")
    assert (raised.value.code, tuple(raised.value.position)) == ("sitedata.bad-yaml", (2, 11))
    assert raised.value.message == ("pharmacy.yaml is not valid YAML: character U+0001: "
                                    "control characters are not allowed")


def test_messages_quote_at_most_a_few_hundred_characters(tmp_path):
    huge = "x" * 20_000
    items = ", ".join(["[1, 2]"] * 1_000)
    result = build_site(tmp_path, {
        "articles/long.md": page(f"title: Long\nstatus: {huge}\ncitations: [{items}]\n"
                                 f"slug: [{huge}]\n"),
        "pharmacy.yaml": PHARMACY}, command="check")
    assert result.returncode == 1
    assert len(result.diagnostics) >= 3
    for line in result.diagnostics:
        assert DIAGNOSTIC.match(line), line
        assert len(line) < 800, line[:200]


def test_an_alias_in_each_data_file_is_one_located_error(tmp_path):
    pharmacy = PHARMACY.replace("ships_to: [MI, OH]", "\n".join(LEVELS) + "\nships_to: *i")
    content = {"articles/a.md": page("title: A\n"), "pharmacy.yaml": pharmacy,
               "conditions.yaml": "groups: &g []\nconditions: []\n",
               "studies.yaml": "younger2009: &y\n  name: x\n",
               "integrity.yaml": "works: {}\nnew_evidence: *n\n"}
    result = build_site(tmp_path, content, command="check")
    assert result.returncode == 1
    assert [line for line in result.diagnostics if "yaml-alias" in line] == [
        "content/conditions.yaml:1:9: error: conditions registry uses the YAML anchor '&g', "
        "which this site does not allow; write the value out in full wherever it is needed "
        "[conditions.yaml-alias]",
        "content/integrity.yaml:2:15: error: the integrity data file uses the YAML alias '*n', "
        "which this site does not allow; write the value out in full wherever it is needed "
        "[integrity.yaml-alias]",
        "content/pharmacy.yaml:6:4: error: pharmacy.yaml uses the YAML anchor '&a', which "
        "this site does not allow; write the value out in full wherever it is needed "
        "[sitedata.yaml-alias]",
        "content/studies.yaml:1:14: error: studies.yaml uses the YAML anchor '&y', which this "
        "site does not allow; write the value out in full wherever it is needed "
        "[evidence.yaml-alias]"]


def test_a_control_character_in_the_registry_or_studies_is_a_finding_not_a_traceback():
    from plugins.conditions.registry import parse_registry  # noqa: PLC0415
    from plugins.evidence.records import parse_studies  # noqa: PLC0415

    _, findings = parse_registry("groups: []\nconditions: [\x01]\n")
    assert [(tuple(f.position), f.code) for f in findings] == [((2, 14), "conditions.bad-yaml")]
    _, findings = parse_studies("a:\n  name: \x02\n", lambda name: None, list)
    assert [(tuple(f.position), f.code) for f in findings] == [((2, 9), "evidence.bad-yaml")]
