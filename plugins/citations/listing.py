"""A reference list's entries as the theme prints them, one ``<li>`` each. Pure.

An entry's item is its text (describe.list_text: the formatted entry and its note, then
its PubMed/PMC links, made once a build for each entry and note), then its back-links
to the page's citations of it (href="#cite-…"; the CSS tells them from the identifier
links, href="http…", so neither carries a class). A lone back-link reads "↩ back to
text" (the arrow from the CSS, not read out), and that is its name; several read "↩ back
to text: 1 2", each number a link named "Back to citation 2", all in .back, a line of
their own. Further reading has no back-links.

Written here rather than in theme/templates/partials/references.html, which prints the
list around them: the loop cost a fifth of an article page's rendering, on every page
that cites, and these are a few joins (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


def citation_id(number: int, n: int) -> str:
    """The id of the ``n``-th in-text citation of the page's ``number``-th cited work (in
    order of first citation, whatever the list's order), which back-links point to. By
    number, not key: a page of tables cites works dozens of times, and the key, twice per
    citation, was a kilobyte of the longest article."""
    return f"cite-{number}-{n}"


def back_links(first: int, cited: int) -> str:
    """The links back to the ``cited`` in-text citations of the page's ``first``-th cited
    work (their ids are digits and hyphens: nothing to escape)."""
    if cited == 1:
        return f' <a href="#{citation_id(first, 1)}">back to text</a>'
    if cited == 0:
        return ""
    return (' <span class="back">↩ back to text:'
            + "".join(f' <a href="#{citation_id(first, n)}" aria-label="Back to citation {n}">'
                      f"{n}</a>" for n in range(1, cited + 1))
            + "</span>")


def items(entries: Iterable[tuple[str, Markup, str]]) -> Markup:
    """Each (anchor, text, back-links) as its list item, in order."""
    # Markup: the anchor is escaped here, the text is Markup, the back-links are ours.
    return Markup("".join(f'<li id="{escape(anchor)}">{text}{back}</li>'  # noqa: S704
                          for anchor, text, back in entries))
