"""The one allow-list of the HTML we publish from content: every tag and attribute that
our Markdown extensions, callouts, tables, citations, reference lists and directives
(``!evidence``, and any other that fills a placeholder) produce, and the raw inline tags
editors may write (plugins/editorial/htmllint.py). Data only.

A tag or attribute not listed here never reaches a visitor: the build fails naming it
(plugins/sanitise/plugin.py). Adding one is a decision to review: it must not run
code, load anything from elsewhere or restyle the page (no ``style``, no ``on*``
event attributes, no ``srcdoc``, no ``<script>``, ``<iframe>``, ``<form>``, ``<svg>``).
"""

from __future__ import annotations

from plugins.editorial.htmllint import ALLOWED

# What Markdown writes (extra: footnotes, tables, definition lists, abbreviations,
# fenced code; toc's heading ids; admonitions and our callouts; our tables).
MARKDOWN_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "img",
    "ul", "ol", "li", "blockquote", "pre", "code", "dl", "dt", "dd", "abbr", "sup",
    "div", "table", "thead", "tbody", "tr", "th", "td",
})
# Harmless inline HTML an editor may write: the raw-HTML lint's list (its friendly
# messages name the same tags), plugins/editorial/htmllint.py.
INLINE_TAGS = frozenset(ALLOWED)
# Citations (span, a, sup), evidence tables (caption, b, small, br) and callouts.
DIRECTIVE_TAGS = frozenset({"span", "a", "sup", "table", "caption", "thead", "tbody",
                            "tr", "th", "td", "small", "b", "br", "div", "p"})
TAGS = MARKDOWN_TAGS | INLINE_TAGS | DIRECTIVE_TAGS

# On every allowed tag: heading and footnote ids, classes (callouts, citations, code
# languages, table alignment), abbreviations' and footnote links' titles, and the
# lint's lang and dir.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": GLOBAL_ATTRIBUTES,
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"scope"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "div": frozenset({"role", "aria-labelledby"}),  # a callout: a note named by its title
}
# Attributes whose value is a URL: only these schemes, or a relative address.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed together with everything inside them, not only the tags.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
