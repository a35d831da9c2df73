"""The citation parser on its own: pandoc syntax, what is not a citation, random text."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.citations.syntax import CiteItem, find_citations


def keys(text: str) -> list[list[str]]:
    return [[item.key for item in c.items] for c in find_citations(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("LDN [@younger2009].", [["younger2009"]]),
    ("[@a; @b]", [["a", "b"]]),
    ("[@a;@b; @c]", [["a", "b", "c"]]),
    ("[@WHO2020]", [["WHO2020"]]),
    ("[@doe_2020-a:b.c]", [["doe_2020-a:b.c"]]),
    ("[@smith2007.]", [["smith2007"]]),  # trailing punctuation is not part of the key
    ("[@smith2007-]", [["smith2007"]]),
    ("two [@a]\nand [@b]", [["a"], ["b"]]),
    ("wrapped [@a;\n@b]", [["a", "b"]]),
    ("[@a]( is not a link", [["a"]]),
])
def test_finds_citations(text: str, expected: list[list[str]]) -> None:
    assert keys(text) == expected


def test_prefix_locator_and_offsets() -> None:
    text = "See [see @a, p. 4; @b, pp. 33-35] here."
    (citation,) = find_citations(text)
    assert text[citation.start:citation.end] == "[see @a, p. 4; @b, pp. 33-35]"
    assert citation.items == (
        CiteItem("a", text.index("@a"), "see", ", p. 4"),
        CiteItem("b", text.index("@b"), "", ", pp. 33-35"),
    )


@pytest.mark.parametrize("text", [
    "Write to info@example.com.",
    "[write to info@example.com]",
    "[info@example.com]",
    "\\[@escaped]",
    "`[@incode]`",
    "`` a ` [@incode] ``",
    "```\n[@infence]\n```",
    "~~~~ python\n[@infence]\n~~~~",
    "[@link](https://example.org)",
    "[@ref][1]",
    "[@a; not a key]",
    "[@a\n\n@b]",
    "[@]",
    "[@-a]",
    "[ @ a]",
    "[see@a]",
])
def test_not_citations(text: str) -> None:
    assert find_citations(text) == []


def test_unclosed_fence_hides_the_rest() -> None:
    assert keys("[@a]\n```\n[@b]") == [["a"]]


def test_text_after_a_code_span_is_read() -> None:
    assert keys("`code` then [@a] and `more`") == [["a"]]


def test_double_backslash_is_not_an_escape() -> None:
    assert keys("\\\\[@a]") == [["a"]]


key_text = st.from_regex(r"[A-Za-z0-9_]([A-Za-z0-9_:.\-]{0,8}[A-Za-z0-9_])?", fullmatch=True)
# Prose that cannot form a citation by itself: no brackets, no '@' after a space.
prose = st.text(alphabet=string.ascii_letters + string.digits + " .,;:-_\n'\"()@", max_size=40) \
    .map(lambda s: s.replace(" @", " a").replace("\n@", "\na").lstrip("@"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text: str) -> None:
    for citation in find_citations(text):
        assert text[citation.start] == "["
        assert text[citation.end - 1] == "]"
        for item in citation.items:
            assert text[item.offset] == "@"
            assert text.startswith(item.key, item.offset + 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(prose, st.lists(key_text, min_size=1, max_size=3)), max_size=6), prose)
def test_only_real_citations_are_found(chunks: list[tuple[str, list[str]]], tail: str) -> None:
    text = ""
    expected = []
    for before, cited in chunks:
        # The space keeps "(" in the prose from making the previous citation a link.
        text += " " + before + " [" + "; ".join(f"@{k}" for k in cited) + "]"
        expected.append(cited)
    text += " " + tail
    assert keys(text) == expected
