"""What the site says of an entry besides citeproc-py's text: the in-text label, the sort
key, the printed DOI made a link, the entry as a reference list prints it, and the
schema.org node. Pure functions of the data.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

from .bibliography import Entry

Links = tuple[tuple[str, str], ...]


def year(csl: dict[str, Any]) -> str | None:
    """The year issued, or None; any shape of CSL-JSON (an export by hand may have any)."""
    issued = csl.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    literal = issued.get("literal") if isinstance(issued, dict) else None
    return str(literal) if literal else None


def author_date_label(csl: dict[str, Any]) -> str:
    """APA-style in-text label: 'Younger & Mackey, 2009', 'Bruun et al., 2024'."""
    people = csl.get("author") or csl.get("editor") or []
    names = [p.get("literal") or " ".join(
        x for x in (p.get("non-dropping-particle"), p.get("family")) if x) for p in people]
    if not names:
        words = str(csl.get("title", "")).split()
        who = "\u201c" + " ".join(words[:4]) + ("\u2026" if len(words) > 4 else "") + "\u201d"
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {year(csl) or 'n.d.'}"


def entry_label(entry: Entry) -> Markup:
    """The in-text label, escaped; an entry too odd to name is labelled by its title."""
    try:
        label = author_date_label(entry.csl)
    except (AttributeError, KeyError, TypeError, IndexError):
        label = str(entry.csl.get("title") or entry.key)
    return Markup.escape(label)


def jsonld(entry: Entry, identifier_links: Links) -> dict[str, Any]:
    """schema.org for a cited work, from the unescaped data (JSON-LD is not HTML): what
    a page's JSON-LD names it by (plugins/jsonld/graph.py, compact_work)."""
    csl = entry.csl
    node: dict[str, Any] = {
        "@type": "ScholarlyArticle" if csl.get("type") == "article-journal" else "CreativeWork",
        "name": str(csl.get("title") or "")}
    if year(csl):
        node["datePublished"] = year(csl)
    doi = dict(identifier_links).get("DOI")
    if doi:
        node["@id"] = node["sameAs"] = doi
    elif identifier_links:
        node["sameAs"] = identifier_links[0][1]
    return node


def sort_key(entry: Entry, plain: str) -> str:
    """Alphabetical place: by the formatted text, so by first author; a work without
    authors or editors files under its title, whatever the style prints first."""
    if not entry.csl.get("author") and not entry.csl.get("editor"):
        return str(entry.csl.get("title") or plain).casefold()
    return plain.casefold()


DOI_PREFIX = re.compile(r"doi:\s*|https?://(?:dx\.)?doi\.org/", re.IGNORECASE)
IN_A_LINK = re.compile(r"[^<]*</a>")  # text that ends an <a> before any other tag


def link_doi(text: str, csl: dict[str, Any], identifier_links: Links) -> tuple[str, Links]:
    """The DOI the style prints made the link to https://doi.org/<doi>: in "doi:10.…"
    the DOI alone, a printed "https://doi.org/10.…" whole.

    The separate DOI link is then dropped; it stays when the style does not print the DOI.
    """
    doi_url = dict(identifier_links).get("DOI")
    if not doi_url:
        return text, identifier_links
    doi = html.escape(str(csl.get("DOI", "")).strip(), quote=False).lower()
    # One fixed pattern for every entry: a pattern made from each DOI would be compiled
    # anew for each entry, which took a third of the time of a build's formatting.
    for prefix in DOI_PREFIX.finditer(text):
        end = prefix.end() + len(doi)
        if text[prefix.end():end].lower() == doi and not IN_A_LINK.match(text, end):
            # Only the DOI is the link's text: "doi:" stays plain; a printed
            # https://doi.org/ address is a clean link as it stands.
            start = prefix.end() if prefix.group().lower().startswith("doi") else prefix.start()
            anchor = (f'{text[prefix.start():start]}<a href="{html.escape(doi_url)}">'
                      f"{text[start:end]}</a>")
            linked = text[:prefix.start()] + anchor + text[end:]
            return linked, tuple(link for link in identifier_links if link[0] != "DOI")
    return text, identifier_links


ENTRY_TEXT = Markup('<span class="ref-text">{}{}</span>')
NOTE = Markup(" <small>{}</small>")
IDENTIFIER_LINK = Markup(' <a href="{}">{}</a>')


def list_text(html: Markup, links: Links, note: str) -> Markup:
    """The entry as every reference list prints it inside its ``<li>``: the formatted
    text and its note (theme/js/citations.js previews the .ref-text), then its PubMed and
    PMC links, which the CSS tells from the back-links by their ``href="http…"``. Each
    value is escaped as the theme escapes it (``note`` may be HTML already: a Markup)."""
    text = ENTRY_TEXT.format(html, NOTE.format(note) if note else "")
    return text + Markup("").join(IDENTIFIER_LINK.format(href, label) for label, href in links)
