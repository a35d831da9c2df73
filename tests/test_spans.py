"""The one reading of code and comments in Markdown (plugins/sources/spans.py), tested
directly, and against what Python-Markdown itself prints as code."""

from __future__ import annotations

import re

import markdown
import pytest

from plugins.citations.syntax import find_citations
from plugins.editorial import suppress
from plugins.editorial.text import without_code
from plugins.evidence.directive import directive_spans
from plugins.safety.directive import find_directives
from plugins.sources.spans import blank, holds, inside, parse


def found(text: str) -> list[tuple[str, str]]:
    spans = parse(text)
    return [(text[s.start:s.end], s.kind) for s in spans.blocks + spans.inline]


def printed_as_code(text: str) -> list[str]:
    """What Python-Markdown, with the site's ``extra``, prints in <code>."""
    html = markdown.markdown(text, extensions=["extra"])
    return [m.group(1) for m in re.finditer(r"<code[^>]*>(.*?)</code>", html, re.DOTALL)]


def cited(text: str) -> list[str]:
    return [item.key for citation in find_citations(text) for item in citation.items]


@pytest.mark.parametrize(("text", "expected"), [
    ("```\n[@a]\n```\n", [("```\n[@a]\n```", "fence")]),
    ("~~~~ python\n[@a]\n~~~~\n", [("~~~~ python\n[@a]\n~~~~", "fence")]),
    # A tilde fence is not closed by backticks, nor a backtick fence by tildes.
    ("~~~\n[@a]\n```\nmore\n~~~\n", [("~~~\n[@a]\n```\nmore\n~~~", "fence")]),
    # Python-Markdown closes a fence only with the same fence: a longer one is code.
    ("```\n[@a]\n````\nmore\n```\n", [("```\n[@a]\n````\nmore\n```", "fence")]),
    ("```{.python}\ncode\n```  \n", [("```{.python}\ncode\n```  ", "fence")]),
])
def test_fenced_blocks(text, expected):
    assert found(text) == expected
    assert printed_as_code(text)


def test_an_unclosed_fence_is_text_as_markdown_prints_it():
    text = "Text.\n\n```\n[@a] and <b>bold</b>\n"
    assert found(text) == []
    assert printed_as_code(text) == []
    assert cited(text) == ["a"]


def test_a_fence_in_a_list_is_no_fence_but_its_backticks_are_a_code_span():
    text = "- item\n\n    ```\n    [@a]\n    ```\n"
    assert found(text) == [("```\n    [@a]\n    ```", "code")]
    assert printed_as_code(text) == ["[@a]"]
    assert cited(text) == []
    tildes = "- item\n\n    ~~~\n    [@a]\n    ~~~\n"
    assert found(tildes) == []
    assert printed_as_code(tildes) == []
    assert cited(tildes) == ["a"]


def test_an_indented_fence_outside_a_list_is_no_fence():
    text = "  ~~~\n  [@a]\n  ~~~\n"
    assert found(text) == []
    assert printed_as_code(text) == []


def test_indented_code_and_indentation_in_a_list():
    text = "Para.\n\n    code [@a]\n\n- item\n\n    more [@b]\n\n        deeper [@c]\n"
    assert found(text) == [("    code [@a]", "indented"), ("        deeper [@c]", "indented")]
    assert printed_as_code(text) == ["code [@a]\n", "deeper [@c]\n"]
    assert cited(text) == ["b"]


def test_an_indented_line_that_continues_a_paragraph_is_text():
    text = "Para\n    not code [@a]\n"
    assert found(text) == []
    assert cited(text) == ["a"]


@pytest.mark.parametrize(("text", "code"), [
    ("`[@a]`", ["`[@a]`"]),
    ("`` a ` [@x] `` then", ["`` a ` [@x] ``"]),
    # Python-Markdown's fallback: no run of three closes, so the longest shorter one does.
    ("```b`` c", ["```b``"]),
    ("\\`[@a]` x `y`", ["` x `"]),
    ("\\\\`[@a]`", ["`[@a]`"]),
    # A code span ends with its block: a blank line.
    ("`open\n\n[@a]`", []),
])
def test_code_spans(text, code):
    assert [t for t, kind in found(text) if kind == "code"] == code
    assert len(printed_as_code(text)) == len(code)


@pytest.mark.parametrize(("text", "comment"), [
    ("a <!-- [@a] --> b", "<!-- [@a] -->"),
    ("a <!-- [@a] --!> b", "<!-- [@a] --!>"),
    ("a <!--> [@a]", "<!-->"),
    ("a <!---> [@a]", "<!--->"),
    ("a <!-- [@a]\n\nstill in it", "<!-- [@a]\n\nstill in it"),
])
def test_comments_end_where_a_browser_ends_them(text, comment):
    assert found(text) == [(comment, "comment")]


def test_a_citation_in_a_comment_or_in_code_is_none():
    assert cited("<!-- see [@a] -->") == []
    assert cited("<!--> [@a]") == ["a"]
    assert cited("`[@a]` and [@b]") == ["b"]


def test_whichever_of_a_comment_and_a_code_span_opens_first_wins():
    assert found("<!-- `x --> `[@a]`") == [("<!-- `x -->", "comment"), ("`[@a]`", "code")]
    assert found("`<!--` [@a]") == [("`<!--`", "code")]
    assert cited("`<!--` [@a]") == ["a"]


def test_every_check_reads_the_same_code():
    body = ("<!-- [@a]\n!evidence\n!safety opioids -->\n\n```\n!evidence\n!safety opioids\n"
            "[@b]\n```\n\n!evidence\n!safety opioids\n[@c]\n")
    assert cited(body) == ["c"]
    assert [body[s:e] for s, e in directive_spans(body)] == ["!evidence"]
    assert [d.name for d in find_directives(body, {"opioids"})[0]] == ["opioids"]
    assert without_code(body).split() == ["!evidence", "!safety", "opioids", "[@c]"]


def test_blank_and_inside_keep_offsets():
    text = "a `b\nc` d"
    spans = parse(text)
    assert blank(text, spans.code) == "a   \n   d"
    assert [inside(i, spans.code) for i in range(len(text))] == [
        False, False, True, True, True, True, True, False, False]


def test_a_suppression_comment_is_a_comment_as_the_spans_read_it():
    allowed, problems = suppress.parse('<!-- lint: allow claims.cure "quoted" --!>\n'
                                       '`<!-- lint: allow claims.proven "shown" -->`\n')
    assert [(s.line, s.codes) for s in allowed] == [(1, ("claims.cure",))]
    assert problems == []


@pytest.mark.parametrize("text", ["", "<", "!", "a <!-- b", "<!-", "!!! x", "!!", "```", "``"])
def test_holds_is_in(text):
    for marker in ("<!--", "!!!", "```", "!safety"):
        assert holds(text, marker) == (marker in text)
