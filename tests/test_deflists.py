"""plugins/sources/deflists.py: every term of a definition list gets an id to link to."""

from __future__ import annotations

import re

import markdown

from site_under_test import built_site

EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.toc", "plugins.sources.deflists"]


def html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def test_each_term_gets_the_id_of_its_words_before_an_abbreviation():
    out = html("p-value (P)\n:   A number.\n\nConfidence interval (CI)\n:   A range.\n\n"
               "MADRS (Montgomery-\u00c5sberg Depression Rating Scale)\n:   A scale.\n")
    assert re.findall(r'<dt id="([^"]+)">', out) == ["p-value", "confidence-interval", "madrs"]


def test_ids_never_clash_and_a_given_id_stays():
    out = html("## Placebo\n\nPlacebo\n:   A dummy.\n\nPlacebo\n:   Again.\n\n"
               "Washout {: #gap }\n:   A gap.\n")
    assert '<h2 id="placebo">' in out
    assert re.findall(r'<dt id="([^"]+)">', out) == ["placebo-2", "placebo-3", "gap"]


def test_the_glossary_is_a_definition_list_whose_terms_can_be_linked():
    page = (built_site().output / "glossary" / "index.html").read_text(encoding="utf-8")
    prose = page[page.index('<div class="prose">'):page.index("</article>")]
    ids = re.findall(r'<dt id="([^"]+)">', prose)
    assert len(ids) > 30
    assert len(ids) == len(set(ids)) == prose.count("<dt")
    assert {"p-value", "adverse-event", "randomized-controlled-trial"} <= set(ids)
    assert "pages.css" in page  # where the list's spacing and the jump target are styled
