"""plugins/assets: the CSS minifier (pure) and the theme's CSS minified in a real build."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from plugins.assets import minify_css, minify_js
from site_under_test import built_site

THEME_CSS = sorted((ROOT / "theme" / "static" / "css").glob("*.css"))
THEME_JS = sorted((ROOT / "theme" / "static" / "js").glob("*.js"))


@pytest.mark.parametrize(("source", "expected"), [
    ("a {\n  color: red;\n}\n", "a{color:red}"),
    ("a { color: red ; ; }", "a{color:red;}"),  # only the last semicolon goes
    ("p { margin: 0.5rem -0.25em 10.5px 0; x: calc(1px*0.5); }",
     "p{margin:.5rem -.25em 10.5px 0;x:calc(1px*.5)}"),
    ("h2 { x: y }  .p0.5 { content: \"0.5\" }", 'h2{x:y}.p0.5{content:"0.5"}'),
    ("/* note */\nh1 , h2 { margin : 0 }", "h1,h2{margin :0}"),
    (".x::after { content: \", \"; }", '.x::after{content:", "}'),
    (".x::after { content: '  /* not a comment */  '; }",
     ".x::after{content:'  /* not a comment */  '}"),
    ('a::after { content: " (" attr(href) ")"; }', 'a::after{content:" (" attr(href) ")"}'),
    (".m::after { content: \"\\25BE\"; }", '.m::after{content:"\\25BE"}'),
    ("p { width: calc(1rem + 2px); }", "p{width:calc(1rem + 2px)}"),
    ("p { max-width: min(30rem, calc(100vw - 1rem)); }",
     "p{max-width:min(30rem,calc(100vw - 1rem))}"),
    ("li + li, .a > .b, .c ~ d { margin: 0 }", "li + li,.a>.b,.c~d{margin:0}"),
    ("a/**/b { x: y }", "a b{x:y}"),  # a comment separates like whitespace
    (".a\\ b { x: y }", ".a\\ b{x:y}"),  # an escaped space is part of the name
    ('p { content: "a\\"  b"; }', 'p{content:"a\\"  b"}'),
    ("@media (min-width: 40rem) {\n  a { b: c; }\n}\n", "@media (min-width:40rem){a{b:c}}"),
    ("p { shadow: 0 0 1px rgb(0 0 0 / 20%) }", "p{shadow:0 0 1px rgb(0 0 0 / 20%)}"),
    # A space before a colon is a descendant combinator, and stays.
    ("nav :is(a, b):hover { x: y }", "nav :is(a,b):hover{x:y}"),
    # A leading zero goes; other zeros, and a ";" inside a string, stay.
    ("p { margin: 0 0 0.75rem; width: 10.5px; x: a0.5 }",
     "p{margin:0 0 .75rem;width:10.5px;x:a0.5}"),
    ('p { content: "0.5;}" }', 'p{content:"0.5;}"}'),
    ("", ""),
    ("/* only a comment */", ""),
])
def test_minify_css(source: str, expected: str) -> None:
    assert minify_css(source) == expected


@pytest.mark.parametrize("path", THEME_CSS, ids=lambda p: p.name)
def test_theme_css_minifies_once_and_keeps_every_string(path) -> None:
    source = path.read_text(encoding="utf-8")
    small = minify_css(source)
    assert minify_css(small) == small
    assert "/*" not in small
    strings = re.findall(r'"(?:[^"\\]|\\.)*"', re.sub(r"/\*.*?\*/", "", source, flags=re.S))
    assert strings == re.findall(r'"(?:[^"\\]|\\.)*"', small)
    assert len(small) < 0.85 * len(source)


def test_the_build_writes_minified_theme_css() -> None:
    output = built_site().output / "theme" / "css"
    for path in THEME_CSS:
        assert (output / path.name).read_text(encoding="utf-8") == \
            minify_css(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("source", "expected"), [
    ("// why\n{\n  const a = 1; // kept: not a whole line\n\n  go(a);\n}\n",
     "{\nconst a = 1; // kept: not a whole line\ngo(a);\n}\n"),
    ("/* one\n   two */\nrun();\n", "run();\n"),
    ("/* a */ run();\n", "/* a */ run();\n"),  # code after a comment: left alone
    ("const s = `a\n  b`;\n", "const s = `a\n  b`;\n"),  # a template literal's text
    ("", ""),
])
def test_minify_js_drops_comment_lines_and_indentation_only(source: str, expected: str) -> None:
    assert minify_js(source) == expected


@pytest.mark.parametrize("path", THEME_JS, ids=lambda p: p.name)
def test_theme_js_shrinks_and_keeps_every_line_of_code(path) -> None:
    source = path.read_text(encoding="utf-8")
    small = minify_js(source)
    assert minify_js(small) == small
    assert len(small) < 0.9 * len(source)
    code = [line.strip() for line in source.splitlines()
            if line.strip() and not line.strip().startswith(("//", "/*", "*"))]
    assert small.splitlines() == code


def test_the_build_writes_shrunk_theme_js() -> None:
    output = built_site().output / "theme" / "js"
    for path in THEME_JS:
        assert (output / path.name).read_text(encoding="utf-8") == \
            minify_js(path.read_text(encoding="utf-8"))
