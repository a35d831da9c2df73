"""The raw-HTML lint and the static-file rule fail the build, each at its place."""

from __future__ import annotations

import pytest

from conftest import DIAGNOSTIC, shared_build
from plugins.editorial.htmllint import lint_html

ARTICLE = "content/articles/hostile-body.md"
EXPECTED = [
    (ARTICLE, 18, 1, "html.forbidden-tag"),  # <script>, not the one in a code span or block
    (ARTICLE, 19, 1, "html.forbidden-tag"),  # <iframe>
    (ARTICLE, 20, 1, "html.forbidden-tag"),  # <object>
    (ARTICLE, 20, 32, "html.forbidden-tag"),  # <embed>
    (ARTICLE, 21, 1, "html.forbidden-tag"),  # <form>
    (ARTICLE, 21, 37, "html.not-allowed"),  # <input>
    (ARTICLE, 22, 1, "html.forbidden-tag"),  # <meta http-equiv="refresh">
    (ARTICLE, 23, 1, "html.forbidden-tag"),  # <base>
    (ARTICLE, 23, 36, "html.forbidden-tag"),  # <link>
    (ARTICLE, 23, 73, "html.forbidden-tag"),  # <style>
    (ARTICLE, 24, 17, "html.event-attribute"),  # onclick=
    (ARTICLE, 24, 57, "html.not-allowed"),  # <div>
    (ARTICLE, 25, 21, "html.bad-url"),  # [..](javascript:..)
    (ARTICLE, 25, 60, "html.bad-url"),  # [..](data:text/html,..)
    (ARTICLE, 26, 17, "html.bad-url"),  # a data: image: only http(s), mailto, tel, relative
    (ARTICLE, 26, 58, "html.bad-url"),  # <JaVaScRiPt:...> autolink
    (ARTICLE, 27, 16, "html.not-allowed"),  # style= on an allowed tag
    (ARTICLE, 27, 59, "html.bad-url"),  # &#106;avascript: in disguise
    ("content/images/evil.js", 1, 1, "static.file-type"),
    ("content/images/scripted.svg", 1, 41, "static.svg-script"),  # at the <script>
    ("content/pages/raw.html", 1, 1, "static.file-type"),
]


@pytest.fixture(scope="module")
def failed():
    return shared_build("raw-html")


def test_every_rule_fails_the_build_at_its_place(failed):
    assert failed.returncode == 1
    found = []
    for line in failed.diagnostics:
        match = DIAGNOSTIC.match(line)
        found.append((match["path"], int(match["line"]), int(match["col"]), match["code"]))
    assert found == EXPECTED
    assert "Traceback" not in failed.stderr
    assert not (failed.output / "hostile-body").exists()
    assert not (failed.output / "images" / "evil.js").exists()


def test_messages_say_what_and_how_to_fix(failed):
    assert (
        f"{ARTICLE}:18:1: error: <script> is not allowed in content: it can run code, load "
        "another page or change the page's head; remove it; for a video or a form, ask a "
        "developer to add it to the theme [html.forbidden-tag]") in failed.diagnostics
    assert (
        f"{ARTICLE}:24:17: error: the attribute 'onclick' runs a script; remove it: content "
        "cannot run scripts [html.event-attribute]") in failed.diagnostics
    assert (
        "content/images/evil.js:1:1: error: a .js file in content/ would be published as code "
        "from this site; remove it; images (.avif, .gif, .jpeg, .jpg, .pdf, .png, .webp, .svg) "
        "go under content/images/, Markdown under articles/ or pages/ [static.file-type]"
    ) in failed.diagnostics


@pytest.mark.parametrize("body", [
    'An <abbr title="low-dose naltrexone">LDN</abbr> dose of 10<sup>3</sup> <kbd>x</kbd><br>',
    "`<script>` in a code span, <!-- <script> in a comment -->",
    "```\n<iframe></iframe>\n```",
    "![an image](images/dot.png) and <https://example.org/>",
])
def test_allowed_html_and_code_pass(body):
    assert lint_html(body) == []
