"""Inputs that used to hang the build or flood its log now give one short message."""

from __future__ import annotations

import time

import pytest

from conftest import DIAGNOSTIC, FIXTURES, build_site
from plugins.sources.frontmatter import SourceError, parse_front_matter

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


def test_an_alias_bomb_is_one_error_in_milliseconds():
    started = time.perf_counter()
    with pytest.raises(SourceError) as raised:
        parse_front_matter(BOMB)
    assert time.perf_counter() - started < 0.1
    assert raised.value.finding.code == "sources.yaml-too-large"
    assert raised.value.finding.position == (4, 8)  # the first alias, *a, on the file's line 4


def test_an_alias_bomb_fails_the_build_with_one_short_line(tmp_path):
    started = time.perf_counter()
    result = build_site(tmp_path, {"articles/bomb.md": f"---\n{BOMB}---\nBody.\n",
                                   "pharmacy.yaml": PHARMACY}, command="check")
    assert time.perf_counter() - started < 30  # a whole Pelican run; it used to hang
    assert result.returncode == 1
    assert result.diagnostics == [
        "content/articles/bomb.md:4:8: error: front-matter expands to more than 10000 values "
        "through YAML aliases (*name), or an alias contains itself; write the values out "
        "instead of using YAML anchors (&name) and aliases (*name) [sources.yaml-too-large]"]
    assert len(result.stdout + result.stderr) < 1000


def test_a_self_containing_alias_is_the_same_error():
    with pytest.raises(SourceError) as raised:
        parse_front_matter("title: x\nconditions: &a [*a]\n")
    assert raised.value.finding.code == "sources.yaml-too-large"


def test_small_aliases_still_work():
    data = parse_front_matter("title: x\ncitations: &c [a, b]\nother: *c\n").data
    assert data["other"] == ["a", "b"]


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


def test_an_alias_bomb_in_a_data_file_is_one_error(tmp_path):
    # ships_to is printed in every page's footer: expanded, it would never finish.
    pharmacy = PHARMACY.replace("ships_to: [MI, OH]", "\n".join(LEVELS) + "\nships_to: *i")
    result = build_site(tmp_path, {"articles/a.md": page("title: A\n"),
                                   "pharmacy.yaml": pharmacy}, command="check")
    assert result.returncode == 1
    assert [line for line in result.diagnostics if "yaml-too-large" in line] == [
        "content/pharmacy.yaml:7:8: error: pharmacy.yaml expands to more than 10000 values "
        "through YAML aliases (*name), or an alias contains itself; write the values out "
        "instead of using YAML anchors (&name) and aliases (*name) [sitedata.yaml-too-large]"]
