"""The citation parser on its own: pandoc syntax, what is not a citation, random text."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.citations.syntax import (
    CiteItem,
    find_citations,
    parse_group,
    read_group,
    read_key,
    scan,
    written,
)
from plugins.diagnostics import Finding, Severity
from plugins.sources.spans import offset_of


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
    # Pandoc's grammar: Unicode, internal punctuation, "://" in URLs, braced keys.
    ("[@müller2020]", [["müller2020"]]),
    ("[@Ørsted_2021; @张2019]", [["Ørsted_2021", "张2019"]]),
    ("[@DBLP:conf/chi/Smith13]", [["DBLP:conf/chi/Smith13"]]),
    ("[@a#b$c%d&e-f+g?h<i>j~k/l]", [["a#b$c%d&e-f+g?h<i>j~k/l"]]),
    ("[@http://example.org/x]", [["http://example.org/x"]]),
    ("[@{https://example.org/bib?name=foo&date=2000}]",
     [["https://example.org/bib?name=foo&date=2000"]]),
    ("[@{a{b}c}]", [["a{b}c"]]),
    ("[@_x]", [["_x"]]),
    ("[@Foo_bar.baz:]", [["Foo_bar.baz"]]),  # trailing punctuation: not the key's
    ("[@Foo_bar--baz]", [["Foo_bar"]]),  # doubled punctuation ends the key, as in pandoc
    ("[-@smith04, p. 3]", [["smith04"]]),
    ("[chapter 3; see @smith]", [["smith"]]),  # pandoc: ';' may be in a prefix
    ("[see (@a)]", [["a"]]),
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
    "[@a\n\n@b]",
    "[ @ a]",
    "[see@a]",
    "[x.@a]",
    "[contact us @ the pharmacy]",
])
def test_not_citations(text: str) -> None:
    assert scan(text) == ([], [])


KEY_HINT = ("a key starts with a letter, digit or _ and may have : . # $ % & - + ? < > ~ / "
            "between letters or digits, as in [@smith2020]; write any other key in braces, "
            "as in [@{DBLP:conf/chi/Smith13}]")
ITEM_HINT = ("each part of a citation between ';' needs its own @key, as in "
             "[see @a; also @b, p. 3]; move other text out of the brackets")
BRACE_HINT = ("a key in braces needs its closing '}' and cannot be empty or contain spaces, "
              "as in [@{DBLP:conf/chi/Smith13}]")


@pytest.mark.parametrize(("text", "found", "problems"), [
    # A bad item is reported as itself; the rest of the group is still read.
    ("[@smith2020; @.2024]", ["smith2020"],
     [(13, "expected a citation key after '@', found '.2024'", KEY_HINT)]),
    ("[@a; not a key]", ["a"], [(5, "expected a citation key ('@key') in 'not a key'", ITEM_HINT)]),
    ("[@a; x; @b]", ["a", "b"], [(5, "expected a citation key ('@key') in 'x'", ITEM_HINT)]),
    ("[x; @b]", ["b"], [(1, "expected a citation key ('@key') in 'x'", ITEM_HINT)]),
    ("[@]", [], [(1, "expected a citation key after '@', found nothing", KEY_HINT)]),
    ("[@-a]", [], [(1, "expected a citation key after '@', found '-a'", KEY_HINT)]),
    ("[see @ ; @.x]", [], [(9, "expected a citation key after '@', found '.x'", KEY_HINT)]),
    ("[@{}]", [], [(1, "expected a citation key after '@', found '{}'", BRACE_HINT)]),
    ("[@{a b}]", [], [(1, "expected a citation key after '@', found '{a b}'", BRACE_HINT)]),
    ("[@{open]", [], [(1, "expected a citation key after '@', found '{open'", BRACE_HINT)]),
    ("[@a;]", ["a"], [(3, "expected a citation key after ';'",
                       "remove the extra ';' or add @key next to it")]),
    ("[; @a]", ["a"], [(1, "expected a citation key before ';'",
                        "remove the extra ';' or add @key next to it")]),
    ("[@a, p. 3 @b]", ["a"], [(10, "expected ';' before '@b'",
                               "separate the citations in one bracket with ';', as in [@a; @b]")]),
])
def test_what_does_not_parse_is_reported(text: str, found: list[str],
                                         problems: list[tuple[int, str, str]]) -> None:
    result = scan(text)
    assert [item.key for c in result.citations for item in c.items] == found
    assert [(offset_of(text, p.line, p.col), p.message, p.hint)
            for p in result.problems] == problems
    assert all(p.code == "citations.bad-citation" and p.severity is Severity.ERROR
               for p in result.problems)


def test_trailing_punctuation_is_a_warning_and_left_out() -> None:
    (citation,), (problem,) = scan("LDN [@smith2007.] helps.")
    assert citation.items == (CiteItem("smith2007", 5, "", ""),)
    assert problem == Finding.at(
        (1, 16), "citations.stray-punctuation",
        "'.' after the key 'smith2007' is not part of it and is left out",
        "write [@smith2007] and put any punctuation outside the brackets", Severity.WARNING)


def test_each_item_keeps_its_prefix_and_suffix() -> None:
    text = "[see @a; also @b, p. 3; -@c]"
    (citation,) = find_citations(text)
    assert [(i.prefix, i.key, i.suffix, i.suppress) for i in citation.items] == [
        ("see", "a", "", False), ("also", "b", ", p. 3", False), ("", "c", "", True)]
    # The full reading (a key in braces) gives the same.
    (braced,) = find_citations("[see @{a}; also @b, p. 3; -@c]")
    assert [i[2:] for i in braced.items] == [i[2:] for i in citation.items]


@pytest.mark.parametrize(("key", "as_written"), [
    ("smith2020", "smith2020"), ("müller2020", "müller2020"),
    ("DBLP:conf/chi/Smith13", "DBLP:conf/chi/Smith13"), ("smith2020.", "{smith2020.}"),
    ("a--b", "{a--b}"), (".x", "{.x}"),
])
def test_keys_are_written_back_in_the_same_grammar(key: str, as_written: str) -> None:
    assert written(key) == as_written
    assert read_key(f"@{as_written}]", 1) == (key, len(as_written) + 1)


def test_an_unclosed_fence_is_text_as_markdown_prints_it() -> None:
    assert keys("[@a]\n```\n[@b]") == [["a"], ["b"]]


def test_text_after_a_code_span_is_read() -> None:
    assert keys("`code` then [@a] and `more`") == [["a"]]


def test_double_backslash_is_not_an_escape() -> None:
    assert keys("\\\\[@a]") == [["a"]]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text: str) -> None:
    for citation in find_citations(text):
        assert text[citation.start] == "["
        assert text[citation.end - 1] == "]"
        for item in citation.items:
            assert text[item.offset] == "@"
            assert text.startswith(item.key, item.offset + 1)


# Keys as pandoc's grammar makes them: a word character, then words joined by single
# punctuation (Unicode letters included), or anything without spaces in braces.
WORD = st.text(alphabet="abzAZ09_üßéЖ张", min_size=1, max_size=4)
simple_key = st.builds(
    lambda first, parts: first + "".join(p + w for p, w in parts),
    WORD, st.lists(st.tuples(st.sampled_from(":.#$%&-+?<>~/"), WORD), max_size=3))
braced_key = st.text(alphabet="ab:;/?=&.,-!", min_size=1, max_size=8)
prose = st.text(alphabet=string.ascii_letters + " .,:'\"()", max_size=20)
locator = st.sampled_from(["", ", p. 3", ", pp. 33-35", " and elsewhere"])
bad_key = st.sampled_from(["@.2024", "@", "@{}", "@{a b}", "@-x"])


@st.composite
def group(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    """A bracketed group: its text, the keys it cites, and whether an item is bad."""
    parts, keys, bad = [], [], False
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(bad_key))
            bad = True
            continue
        prefix = draw(st.sampled_from(["", "see ", "also ", "e.g., "]))
        dash = draw(st.sampled_from(["", "-"]))
        if draw(st.booleans()):
            key = draw(simple_key)
            parts.append(f"{prefix}{dash}@{key}{draw(locator)}")
        else:
            key = draw(braced_key)
            parts.append(f"{prefix}{dash}@{{{key}}}{draw(locator)}")
        keys.append(key)
    if draw(st.integers(0, 4)) == 0:
        # A last part without a key. (Before another part it would be that part's
        # prefix, as pandoc reads "[@a; not a key; see @b]".)
        parts.append("not a key")
        bad = True
    return "[" + "; ".join(parts) + "]", keys, bad


# What is provably not a citation, and must come out as text without a problem.
not_a_citation = st.sampled_from([
    "write to info@example.com", "[write to info@example.com]", "`[@incode]`",
    "\\[@escaped]", "[@handle](https://example.org)", "x.@text", "[contact us @ noon]"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(group(), not_a_citation, prose), max_size=8))
def test_every_key_is_read_reported_or_provably_text(pieces: list) -> None:
    """Every '@' in generated citation text is a cited key (whose existence the check
    then settles), part of a reported problem, or provably not a citation: code, an
    e-mail address, an escaped bracket, a link. Never literal text without a word."""
    # One line that starts with a word: four leading spaces would make it an indented
    # code block (plugins/sources/spans.py), where nothing is a citation.
    text, expected, spans = "Text", [], []
    for piece in pieces:
        text += " "
        if isinstance(piece, tuple):
            written_text, cited, bad = piece
            spans.append((len(text), len(text) + len(written_text), bad))
            expected.extend(cited)
            text += written_text
        else:
            text += piece
    result = scan(text)
    assert [item.key for c in result.citations for item in c.items] == expected
    for start, end, bad in spans:
        inside = [p for p in result.problems if start <= offset_of(text, p.line, p.col) < end]
        assert bool(inside) == bad, (text, result.problems)
    assert all(any(s <= offset_of(text, p.line, p.col) < e for s, e, _ in spans)
               for p in result.problems)
    for citation in result.citations:
        for item in citation.items:
            assert text[item.offset] == "@"
            assert read_key(text, item.offset + 1)[0] == item.key


@settings(max_examples=300, deadline=None)
@given(group())
def test_the_plain_reading_agrees_with_the_full_one(generated: tuple[str, list[str], bool]) -> None:
    inner = generated[0][1:-1]
    assert parse_group(inner, 7) == read_group(inner, 7)
