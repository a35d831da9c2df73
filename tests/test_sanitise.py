"""The security boundary: what a page publishes passes one sanitiser (plugins/sanitise).

Each class of attack from issue 25 ends in one located error and leaves the last good
output as it was; harmless re-serialisation is not a change; and random Markdown and
HTML either fails the build or publishes nothing outside the allow-list, as a browser
parses it (html5lib).
"""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import html5lib.serializer
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from typogrify.filters import typogrify

from conftest import DIAGNOSTIC, ROOT, BuildResult, build_once, build_site, run_build, write_content
from plugins.editorial.claims import lint_claims
from plugins.editorial.htmllint import lint_html
from plugins.sanitise.allowlist import ATTRIBUTES, TAGS, URL_SCHEMES
from plugins.sanitise.clean import canonical, sanitise

ARTICLES = "content/articles"
UNSAFE = ("which is not allowed; remove it, or write it in Markdown; docs/editorial.md "
          "lists the tags, attributes and kinds of links a page may hold [html.unsafe]")
ATTR_LIST = ("; write {: #name } or {: .name }, or remove the braces; attributes such as "
             "onclick, style or href cannot be set from content [html.attr-list]")
FORBIDDEN = ("is not allowed in content: it can run code, load another page or change the "
             "page's head; remove it; for a video or a form, ask a developer to add it to the "
             "theme [html.forbidden-tag]")
JAVASCRIPT_LINK = "would publish a 'javascript:' address in href= on <a>, "
EXPECTED = [
    f"{ARTICLES}/attr-href.md:11:31: error: an attribute list may set only an id and "
    f"classes, not 'href'{ATTR_LIST}",
    f"{ARTICLES}/attr-onclick.md:13:14: error: an attribute list may set only an id and "
    f"classes, not 'onclick'{ATTR_LIST}",
    f"{ARTICLES}/attr-srcdoc.md:12:1: error: an attribute list may set only an id and "
    f"classes, not 'srcdoc'{ATTR_LIST}",
    f"{ARTICLES}/attr-style.md:12:1: error: an attribute list may set only an id and "
    f"classes, not 'style'{ATTR_LIST}",
    # The lint reads comments as a browser does, so its message comes first; the sanitiser
    # removes the same (test_a_page_keeps_only_what_the_sanitiser_kept...).
    f"{ARTICLES}/comment-meta.md:13:12: error: <meta> {FORBIDDEN}",
    f"{ARTICLES}/comment-script.md:13:6: error: <script> {FORBIDDEN}",
    f"{ARTICLES}/hostile-summary.md:4:10: error: the page's summary {JAVASCRIPT_LINK}{UNSAFE}",
    f"{ARTICLES}/nested-brackets.md:13:13: error: the page's text {JAVASCRIPT_LINK}{UNSAFE}",
    f"{ARTICLES}/refdef-callout.md:14:10: error: the page's text {JAVASCRIPT_LINK}{UNSAFE}",
    f"{ARTICLES}/refdef-list.md:13:8: error: the page's text {JAVASCRIPT_LINK}{UNSAFE}",
    f"{ARTICLES}/refdef-quote.md:13:8: error: the page's text {JAVASCRIPT_LINK}{UNSAFE}",
    f"{ARTICLES}/summary-attr-list.md:4:10: error: an attribute list may set only an id and "
    f"classes, not 'onclick'{ATTR_LIST}",
    # The suppression comment itself silences nothing: that is a warning of its own.
    f"{ARTICLES}/suppression-trick.md:13:2: warning: this suppression of claims.cure "
    "silences nothing; remove it, or move it to the line before the claim "
    "[lint.unused-suppression]",
    f"{ARTICLES}/suppression-trick.md:13:78: error: the page's text would publish a "
    f"</script> end tag that closes nothing open, {UNSAFE}",
    # Python-Markdown prints a fence without its closing line as text, so the lint reads
    # the <script> after it (and `invoke check` reports it too), not only the sanitiser.
    f"{ARTICLES}/unclosed-fence.md:14:1: error: <script> {FORBIDDEN}",
]
LAST_GOOD = "<!doctype html><title>last good build</title>"


@pytest.fixture(scope="module")
def hostile():
    def make(root: Path) -> BuildResult:
        (root / "output").mkdir()
        (root / "output" / "index.html").write_text(LAST_GOOD, encoding="utf-8")
        return build_site(root, "hostile-html", REVIEW_TODAY="2026-11-25")
    return build_once("hostile-html-after-a-good-build", make)


def test_each_attack_is_one_located_error(hostile):
    assert hostile.returncode == 1
    assert hostile.diagnostics == EXPECTED
    assert "Traceback" not in hostile.stderr + hostile.stdout


def test_a_failed_build_leaves_the_last_good_output(hostile):
    assert [p.name for p in hostile.output.iterdir()] == ["index.html"]
    assert (hostile.output / "index.html").read_text(encoding="utf-8") == LAST_GOOD


@pytest.mark.parametrize("code", ["html.forbidden-tag", "html.unsafe", "static.file-type"])
def test_a_suppression_comment_never_silences_html_or_static_codes(code):
    body = f'<!-- lint: allow {code} "trust me" -->\n<script>alert(1)</script>\n'
    hits = [(hit.code, hit.message) for hit in lint_claims(body)]
    assert hits == [("lint.unknown-code", f"'{code}' cannot be silenced: a suppression "
                     "comment applies to claims lint codes only")]
    assert [f.code for f in lint_html(body)] == ["html.forbidden-tag"]


KEEP_PAGES = """
import json, sys
from pelican import Pelican, signals
from pelican.settings import read_settings
root = sys.argv[1]
settings = read_settings(sys.argv[2], override={
    "PATH": root + "/content", "OUTPUT_PATH": root + "/output", "CACHE_PATH": root + "/cache",
    "PROJECT_ROOT": root, "REVIEW_TODAY": "2026-11-25"})
# Before the plugins connect theirs: asks for every page's HTML before the site checks
# (the sanitiser last) ran, which Pelican memoises.
signals.all_generators_finalized.connect(
    lambda generators: [(a.content, a.summary) for g in generators
                        for a in getattr(g, "articles", ())], weak=False)
pelican = Pelican(settings)  # connects the plugins
generators = []
signals.article_generator_finalized.connect(generators.append, weak=False)
try:
    pelican.run()
except SystemExit:
    pass
# What anything later would read of each page, once the collect phase is over.
seen = {a.slug: [a.content, a.summary] for g in generators for a in g.articles}
print(json.dumps(seen))
"""


def test_a_page_keeps_only_what_the_sanitiser_kept_even_when_the_build_fails(tmp_path):
    """The page objects, once the collect phase is over, give the sanitiser's output (even
    when something asked for their HTML before); the build then fails, but nothing later
    (a preview, a template) sees the hostile HTML."""
    import json  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    write_content(tmp_path / "content", "hostile-html")
    done = subprocess.run(
        [sys.executable, "-c", KEEP_PAGES, str(tmp_path), str(ROOT / "pelicanconf.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    pages = json.loads(done.stdout.splitlines()[-1])
    script = pages["comment-script"][0]
    assert script.startswith("<p>The lint reads one comment here;")
    assert script.endswith("</p>\n\u2014&gt;")  # the comment and script gone; typogrify's dash
    meta = pages["comment-meta"][0]
    assert "<meta" not in meta
    assert "<!--" not in meta
    assert pages["hostile-summary"][1] == "<p>A <a>summary</a> that&nbsp;links.</p>"
    assert "onclick" not in pages["attr-onclick"][0]
    assert not (tmp_path / "output").exists()


# --- the sanitiser, directly ---------------------------------------------------------

@pytest.mark.parametrize("html", [
    '<p>Some &#8220;quotes&#8221; &ndash; and a&nbsp;dash.</p>',
    '<p>A <a href="/x/" id="cite-a-1">link</a><br />and <abbr title="x">LDN</abbr></p>',
    "<p>a &amp; b &lt; c &gt; d &quot;e&quot;</p>",
    '<div class="admonition warning" role="note" aria-labelledby="callout-1">'
    '<p class="admonition-title" id="callout-1">Title</p></div>',
    '<table class="ev"><caption>C</caption><thead><tr><th scope="col">A</th></tr></thead>'
    "<tbody><tr><td><b>x.</b> y<br><small>z</small></td></tr></tbody></table>",
    "<p>mailto: <a href='mailto:a@example.org'>a</a> and <a href=\"tel:+15550100\">t</a></p>",
])
def test_harmless_re_serialisation_is_no_change(html):
    assert sanitise(html).changed is False


@pytest.mark.parametrize(("html", "kept"), [
    ("<p>x<script>alert(1)</script></p>", "<p>x</p>"),
    ('<!--><script src="/x.js"></script>-->', "--&gt;"),
    ('<!-- a --!><meta http-equiv="refresh" content="0; url=https://evil.example/">', ""),
    ('<p><a href="jav&#x61;script:alert(1)">x</a></p>', "<p><a>x</a></p>"),
    ('<p onclick="alert(1)" style="color:red">x</p>', "<p>x</p>"),
    ('<img src="data:image/png;base64,AAAA" alt="x">', '<img alt="x">'),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', ""),
    ("<!-- a note -->", ""),
    ('<a href="/x/">left open', '<a href="/x/">left open</a>'),
    ("<p>x</p></div><p>y</p>", "<p>x</p><p>y</p>"),
    # A reference where a browser does not read it is no mere spelling (the quick path).
    ("<sp&#97;n>x</span>", "x"),
    ("<textarea>&#8220;<b></textarea>", "“&lt;b&gt;"),
    ("<p title='x&#39;y' onclick=1>&#8220;</p>", '<p title="x\'y">“</p>'),
])
def test_anything_removed_or_mended_is_a_change(html, kept):
    result = sanitise(html)
    assert result.changed is True
    assert result.html == kept


@pytest.mark.parametrize("html", [
    "<p>a <!-- b --> c</p>", "a < b", '<a href="x" href="y">z</a>', "<a href=x/>", "<span/>",
    "<a\u00a0onclick=x>", '<p title="a"b>', "</p>",
])
def test_the_canonical_form_refuses_what_it_cannot_read_plainly(html):
    assert canonical(html) is None


# --- the property: fail, or publish only what the allow-list holds ---------------------

PIECES = [
    "<script>alert(1)</script>", "<script", "</script>", "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>", "<math><mi xlink:href='javascript:x'>",
    "<iframe srcdoc='<script>x</script>'>", '<a href="javascript:alert(1)">', "</a>",
    "<a href='jav&#x09;ascript:x'>", "<a href=\"  JAVASCRIPT:x\">", '<a href="data:x">',
    "<p style='x'>", "<span onclick=x>", "<b>", "</b>", "<i>", "<div>", "</div>", "<table>",
    "<td>", "<template>", "<noscript>", "<textarea>", "<title>", "<xmp>", "<plaintext>",
    "<style>", "<meta http-equiv=refresh content='0;url=//e'>", "<base href=//e>",
    "<form action=x>", "<button formaction=javascript:x>", "<object data=x>", "<embed>",
    "<!--", "-->", "--!>", "<!-->", "<!--->", "<!", "<?x", "]]>", "<![CDATA[", "<",
    ">", "&lt;", "&#60;", "&#8220;", "&#39;", "&quot;", "&nbsp;", "&#160;", "&#x27;",
    "&#x3C;", "&lt", "&amp;", "&#106;", "&colon;", "&",
    "[", "]", "(", ")", "[a](javascript:alert(1))", "[a[b[c]]](javascript:x)",
    "[x]: javascript:alert(1)", "[x]", "![i](javascript:x)", "<javascript:alert(1)>",
    "{: onclick=x }", "{: #id .cls }", '{: href="javascript:x" }', "{: style=x }",
    "{: srcdoc=x }", "```", "~~~", "```html", "    ", "> ", "- ", "1. ", "!!! note \"T\"",
    "\n", "\n\n", " ", '"', "'", "`", "=", "/", "x", "text", "LDN", "<abbr title=x>",
    "<sup>", "<kbd>", "<br>", "<br/>", "<span/>", "`code`", "*em*", "__strong__",
]
FRAGMENTS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=24).map("".join)
# Pieces that an editor might well write: a page made of them mostly builds, so the
# end-to-end test also sees published pages, not only failed builds.
EVERYDAY = ["x", "text", " ", "\n\n", "*em*", "`<b>`", "&amp;", "&lt;", "[", "]", "(",
            ")", "[a](https://example.org/)", "<abbr title=x>LDN</abbr>", "<sup>2</sup>",
            "{: #id .cls }", "> ", "- ", "```\n<script>x</script>\n```\n", '"', "'", "LDN"]
EVERYDAY_FRAGMENTS = st.lists(st.sampled_from(EVERYDAY), min_size=1, max_size=16).map("".join)
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "data", "xlink:href",
                  "poster", "background", "srcdoc"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def outside_allow_list(root) -> list[str]:
    """Every element, attribute, URL scheme or comment under ``root`` (not ``root``
    itself) that the allow-list does not hold."""
    bad = []
    for element in root.iter():
        if element is root:
            continue
        if not isinstance(element.tag, str):
            bad.append("comment")
            continue
        name = element.tag.split("}")[-1]
        if name not in TAGS:
            bad.append(f"<{name}>")
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(name, frozenset())
        for attribute, value in element.attrib.items():
            attr = str(attribute).split("}")[-1]
            if attr not in allowed:
                bad.append(f"{name}[{attr}]")
            scheme = SCHEME.match(re.sub(r"[\x00-\x20]", "", value))
            if attr in URL_ATTRIBUTES and scheme and scheme.group(1).lower() not in URL_SCHEMES:
                bad.append(f"{name}[{attr}={value!r}]")
    return bad


def parse_fragment(html: str):
    """The HTML as a browser parses a page's body."""
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


@pytest.fixture(scope="module")
def markdown():
    """The build's own Markdown: the settings of pelicanconf.py, our extensions included."""
    from pelican.settings import read_settings  # noqa: PLC0415 - needs ROOT on sys.path

    config = dict(read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"])
    config.setdefault("extensions", list(config["extension_configs"]))
    return Markdown(**config)


EVERY_CONSTRUCT = """## Dosing {: #dosing .x }

Text with a footnote[^1] and *HTML* and "quotes" -- dashes... & ampersands < less.

[^1]: The note.

*[HTML]: Hypertext

Term
:   Definition

| a | b | c |
|:--|--:|:-:|
| 1 | 2 | 3 |

![An image](images/x.png "A title")

> A [link](https://example.org/ "Title"), <abbr title="x">LDN</abbr>, 10<sup>3</sup><br>

!!! warning "Do not take LDN if you:"
    - take opioids

```python
<script>alert(1)</script>
```

Call [us](tel:+15550100), <mailto:a@example.org> or <https://example.org/>.

---
"""


def test_every_markdown_construct_publishes_unchanged(markdown):
    """What our Markdown and typogrify write is all on the allow-list, as written."""
    html = typogrify(markdown.reset().convert(EVERY_CONSTRUCT))
    assert 'class="align-right"' in html
    assert 'id="dosing"' in html
    assert sanitise(html).changed is False


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fragment=FRAGMENTS)
def test_random_fragments_fail_or_publish_only_the_allow_list(markdown, fragment):
    """The published HTML is the page as converted when the sanitiser changes nothing,
    else the sanitiser's output (and the build fails): either holds nothing else."""
    html = typogrify(markdown.reset().convert(fragment))
    result = sanitise(html)
    published = result.html if result.changed else html
    assert outside_allow_list(parse_fragment(published)) == [], (fragment, html, published)


def fragment_site(root, fragments: dict[int, str]) -> None:
    write_content(root / "content", "basic")
    write_content(root / "content", {f"articles/f{n}.md": (
        f"---\ntitle: Fragment {n}\nslug: f{n}\nsummary: Fragment {n}.\naudience: patients\n"
        "conditions: []\nreviewed_by: pharmacist\nlast_reviewed: 2026-11-01\n"
        f"next_review: 2027-05-01\n---\n{fragment}\n") for n, fragment in fragments.items()})


def browser_view(html: str) -> str:
    """The DOM a browser builds from ``html`` in a page's body, written out one way."""
    walker = html5lib.getTreeWalker("etree")
    serializer = html5lib.serializer.HTMLSerializer(
        quote_attr_values="always", omit_optional_tags=False, alphabetical_attributes=True,
        use_trailing_solidus=False, resolve_entities=True)
    return serializer.render(walker(parse_fragment(html)))


@settings(max_examples=200, deadline=None)
@given(fragment=FRAGMENTS | EVERYDAY_FRAGMENTS)
def test_no_change_means_a_browser_reads_the_page_as_the_sanitiser_kept_it(fragment):
    """When the sanitiser reports no change, the page is published as written: that is
    sound only if a browser builds the same DOM from it as from the sanitiser's output."""
    result = sanitise(fragment)
    if not result.changed:
        assert browser_view(fragment) == browser_view(result.html)


# Two builds an example: no shrinking (it would build again for minutes); a failure
# shows the whole example.
@settings(max_examples=1, deadline=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fragments=st.lists(FRAGMENTS | EVERYDAY_FRAGMENTS, min_size=10, max_size=10))
# One example always takes both ways: a build that fails on one file, then nine pages.
@example(fragments=["<!--><script>alert(1)</script>-->", *EVERYDAY[:9]])
def test_a_real_build_fails_or_publishes_only_the_allow_list(tmp_path_factory, fragments):
    """End to end, ten articles a build: the build fails naming the files at fault, and
    without them it passes, each page's title, lead and body holding, as a browser
    parses the page, nothing outside the allow-list."""
    first = tmp_path_factory.mktemp("property")
    fragment_site(first, dict(enumerate(fragments)))
    result = run_build(first, REVIEW_TODAY="2026-11-25")
    assert "Traceback" not in result.stderr + result.stdout
    at_fault = {int(re.search(r"/f(\d+)\.md$", DIAGNOSTIC.match(line)["path"]).group(1))
                for line in result.diagnostics if " error: " in line}
    assert bool(result.returncode) == bool(at_fault), result.stderr
    assert not result.returncode or not result.output.exists()
    kept = {n: f for n, f in enumerate(fragments) if n not in at_fault}
    if not kept:
        return
    second = tmp_path_factory.mktemp("property")
    fragment_site(second, kept)
    result = run_build(second, REVIEW_TODAY="2026-11-25")
    assert result.ok, result.stderr
    for n, fragment in kept.items():
        page = html5lib.parse(result.html(f"f{n}/"), treebuilder="etree",
                              namespaceHTMLElements=False)
        parts = [e for e in page.iter() if isinstance(e.tag, str)
                 and (e.get("class") in ("prose", "lead") or e.tag == "h1")]
        assert len(parts) >= 2  # the title and the body at least
        for part in parts:
            assert outside_allow_list(part) == [], fragment
        for element in page.iter():  # and nothing of the kind anywhere else on the page
            if isinstance(element.tag, str):
                assert not [a for a in element.attrib if str(a).startswith("on")]
                assert "srcdoc" not in element.attrib
                assert element.tag not in ("iframe", "object", "embed", "base")
                assert element.get("http-equiv", "").lower() != "refresh"
