"""BibTeX entry fields to CSL-JSON variables, with LaTeX decoded to Unicode. Pure."""

from __future__ import annotations

import re
from typing import Any

from bibtexparser.middlewares.names import NameParts
from pylatexenc.latex2text import LatexNodes2Text

from .titles import SENTENCE_CASE_TYPES, sentence_case

# BibTeX and biblatex entry types as pandoc maps them to CSL; "@misc" with a url is a
# web page (Zotero and Better BibTeX export web pages so).
TYPES = {
    "article": "article-journal", "periodical": "article-journal",
    "book": "book", "mvbook": "book", "collection": "book", "mvcollection": "book",
    "proceedings": "book", "mvproceedings": "book", "reference": "book", "manual": "book",
    "booklet": "pamphlet", "inbook": "chapter", "bookinbook": "chapter",
    "suppbook": "chapter", "incollection": "chapter", "suppcollection": "chapter",
    "inreference": "entry-encyclopedia", "inproceedings": "paper-conference",
    "conference": "paper-conference", "phdthesis": "thesis", "mastersthesis": "thesis",
    "thesis": "thesis", "techreport": "report", "report": "report", "online": "webpage",
    "electronic": "webpage", "www": "webpage", "unpublished": "manuscript",
    "patent": "patent", "dataset": "dataset", "software": "software", "misc": "document",
}
EPRINT_TYPES = {"pmid": "PMID", "pubmed": "PMID", "pmcid": "PMCID", "pmc": "PMCID"}
GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master\u2019s thesis"}
# "number" is a report's, patent's or dataset's own number, not a journal issue.
NUMBERED = {"report", "patent", "dataset", "software"}
FIELDS = {
    "title": "title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "shortjournal": "container-title-short",
    "volume": "volume", "number": "issue", "issue": "issue", "pages": "page",
    "doi": "DOI", "url": "URL", "publisher": "publisher", "institution": "publisher",
    "school": "publisher", "address": "publisher-place", "location": "publisher-place",
    "pmid": "PMID", "pmcid": "PMCID", "isbn": "ISBN", "issn": "ISSN", "edition": "edition",
    "series": "collection-title", "note": "note", "urldate": "accessed",
    "organization": "publisher", "type": "genre", "version": "version",
    "eventtitle": "event-title", "venue": "event-place", "howpublished": "medium",
}
NAME_FIELDS = {"author": "author", "editor": "editor"}
NEEDS_DECODING = re.compile(r"[\\{}~$%&]|--")
BARE_AMPERSAND = re.compile(r"(?<!\\)&")
# Escapes common enough in exported BibTeX to decode without pylatexenc, which is slow.
SIMPLE = (("\\&", "&"), ("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\$", "$"),
          ("---", "\u2014"), ("--", "\u2013"), ("~", "\u00a0"), ("{", ""), ("}", ""))
# Identifiers and URLs are taken as written: "--" in a URL is not a dash.
VERBATIM = {"doi", "url", "pmid", "pmcid", "isbn", "issn"}
DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def decode(value: str, latex: LatexNodes2Text) -> str:
    """Unicode text of a BibTeX value: ``{\\o}`` becomes ø, ``--`` an en dash."""
    if not NEEDS_DECODING.search(value):
        return " ".join(value.split())
    if "$" not in value and "\\" not in value.replace("\\&", "").replace("\\%", "") \
            .replace("\\_", "").replace("\\#", ""):
        for latex_text, text in SIMPLE:
            value = value.replace(latex_text, text)
        return " ".join(value.split())
    # A bare & is a LaTeX column separator that the decoder would drop; authors mean "and".
    text = latex.latex_to_text(BARE_AMPERSAND.sub(r"\\&", value))
    return " ".join(text.split())


def name(parts: NameParts, latex: LatexNodes2Text) -> dict[str, str]:
    """A CSL name; a braced name such as ``{World Health Organization}`` stays one literal."""
    last = " ".join(parts.last)
    if not parts.first and not parts.von and last.startswith("{") and last.endswith("}"):
        return {"literal": decode(last, latex)}
    result = {"family": decode(last, latex)}
    if parts.first:
        result["given"] = decode(" ".join(parts.first), latex)
    if parts.von:
        result["non-dropping-particle"] = decode(" ".join(parts.von), latex)
    if parts.jr:
        result["suffix"] = decode(" ".join(parts.jr), latex)
    return result


def date_parts(year: str, month: str | None = None, day: str | None = None) -> dict[str, Any]:
    """CSL date from a year (or an ISO date) and an optional month name or number and day
    (a news release or a web page is dated to the day)."""
    match = DATE.match(year.strip())
    if not match:
        return {"literal": year}
    parts = [int(p) for p in match.groups() if p]
    if len(parts) == 1 and month:
        number = MONTHS.get(month.strip().lower()[:3]) or (
            int(month) if month.strip().isdigit() else None)
        if number:
            parts.append(number)
            if day and day.strip().isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
    return {"date-parts": [parts]}


def field_value(field: str, value: str, csl_type: str, latex: LatexNodes2Text) -> str:
    """A field's text: an article's title in sentence case (as AMA and APA print it),
    an identifier or URL as written, anything else decoded from LaTeX."""
    if field == "title" and csl_type in SENTENCE_CASE_TYPES:
        return decode(sentence_case(value), latex)
    if field in VERBATIM:
        return " ".join(value.replace("{", "").replace("}", "").split())
    return decode(value, latex)


def add_eprint(csl: dict[str, Any], fields: dict[str, Any]) -> None:
    """biblatex's "eprint = {19453963}, eprinttype = {pmid}" (Better BibTeX) as a PMID."""
    eprint, eprinttype = fields.get("eprint"), fields.get("eprinttype")
    if isinstance(eprint, str) and isinstance(eprinttype, str):
        variable = EPRINT_TYPES.get(eprinttype.strip().lower())
        if variable and eprint.strip():
            csl.setdefault(variable, eprint.strip())


def to_csl(key: str, entry_type: str, fields: dict[str, Any],
           latex: LatexNodes2Text) -> dict[str, Any]:
    """CSL-JSON for one BibTeX entry; names come split by bibtexparser's middlewares."""
    kind = entry_type.lower()
    csl_type = TYPES.get(kind, "document")
    if kind == "misc" and fields.get("url"):
        csl_type = "webpage"
    csl: dict[str, Any] = {"id": key, "type": csl_type}
    for raw_name, value in fields.items():
        field = raw_name.lower()
        if field == "number" and csl_type in NUMBERED and isinstance(value, str):
            csl["number"] = decode(value, latex)
            continue
        if field in NAME_FIELDS and isinstance(value, list):
            csl[NAME_FIELDS[field]] = [name(p, latex) for p in value if isinstance(p, NameParts)]
        elif field in FIELDS and isinstance(value, str):
            text = field_value(field, value, csl_type, latex)
            if field == "pages":
                text = text.replace("\u2013", "-")  # citeproc formats ranges itself
            if field == "urldate":
                csl["accessed"] = date_parts(text)
            elif text:
                csl.setdefault(FIELDS[field], text)
    if kind in GENRES:
        csl.setdefault("genre", GENRES[kind])
    add_eprint(csl, fields)
    year = fields.get("year") or fields.get("date")
    if isinstance(year, str) and year.strip():
        month, day = (fields.get(f) for f in ("month", "day"))
        csl["issued"] = date_parts(decode(year, latex), month if isinstance(month, str) else None,
                                   day if isinstance(day, str) else None)
    if kind == "misc":
        where_published(csl)
    return csl


def where_published(csl: dict[str, Any]) -> None:
    """A @misc work (a news release, a drug label, a web page) named by where it appeared:
    its howpublished, else its publisher, becomes the CSL container, and the work a web
    page. AMA then writes "News release. June 21, 2007." or "DailyMed, U.S. National
    Library of Medicine. October 2024. <URL>", where a CSL document would say
    "Published online" and leave both out."""
    where = csl.get("medium") or csl.get("publisher")
    if where and not csl.get("container-title"):
        csl["container-title"] = where
        csl["type"] = "webpage"
