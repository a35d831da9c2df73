"""What Crossref and PubMed say of a work: its retraction, correction and expression-of-
concern notices. Parsers are pure functions of the services' answers.

Crossref REST API, GET /works/{doi}: ``message["updated-by"]`` lists the notices that
update the work, each ``{"DOI", "type", "source", "label", "updated": {"date-parts"}}``;
Crossref carries Retraction Watch's data there (``source: "retraction-watch"``) beside
what publishers deposit (``source: "publisher"``).

PubMed E-utilities, efetch.fcgi?db=pubmed&retmode=xml: each ``PubmedArticle`` has
``MedlineCitation/Article/PublicationTypeList/PublicationType`` ("Retracted
Publication") and ``MedlineCitation/CommentsCorrectionsList/CommentsCorrections`` with a
``RefType`` (RetractionIn, ErratumIn, ExpressionOfConcernIn, ...), a ``RefSource``
citation ("Pain Med. 2021 May;22(5):1234") and the notice's ``PMID``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .data import Notice
from .fetch import AuditError, Http, Service, mailto

# Crossref's update types, as the site counts them (others, such as new_version or
# addendum, change nothing a reader of the page needs to know).
CROSSREF_TYPES = {
    "retraction": "retraction", "withdrawal": "retraction", "removal": "retraction",
    "correction": "correction", "corrigendum": "correction", "erratum": "correction",
    "partial_retraction": "correction",
    "expression_of_concern": "expression_of_concern",
}
PUBMED_REFTYPES = {
    "RetractionIn": "retraction", "RetractedandRepublishedIn": "retraction",
    "ErratumIn": "correction", "ExpressionOfConcernIn": "expression_of_concern",
}
RETRACTED_TYPE = "Retracted Publication"
MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
CITED_DATE = re.compile(r"\b((?:19|20)\d\d)(?:\s+([A-Z][a-z]{2}))?(?:\s+(\d{1,2}))?\b")
EFETCH_BATCH = 200


def _date_parts(value: object) -> str:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    numbers = [int(p) for p in first[:3] if isinstance(p, int) or str(p).isdigit()]
    return "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(numbers))


def crossref_notices(data: object) -> list[Notice]:
    """The notices in a /works/{doi} answer; an AuditError if it is not such an answer."""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise AuditError("Crossref's answer has no 'message' object; nothing was changed")
    updates = message.get("updated-by") or []
    if not isinstance(updates, list):
        raise AuditError("Crossref's 'updated-by' is not a list; nothing was changed")
    notices: dict[tuple[str, str], Notice] = {}
    for update in updates:
        kind = CROSSREF_TYPES.get(str(update.get("type", "")).lower().replace("-", "_")) \
            if isinstance(update, dict) else None
        if not kind:
            continue
        notice = Notice(kind, doi=str(update.get("DOI") or "").strip(),
                        date=_date_parts(update.get("updated")),
                        source=str(update.get("source") or "crossref"))
        # The publisher's deposit and Retraction Watch's record of one notice: one notice.
        key = (kind, notice.doi.lower() or str(len(notices)))
        twin = notices.get(key)
        if twin is not None:
            sources = ", ".join(sorted({*twin.source.split(", "), notice.source}))
            notice = Notice(kind, twin.doi, "", twin.date or notice.date, sources)
        notices[key] = notice
    return list(notices.values())


def cited_date(ref_source: str) -> str:
    """'2021-05-04', '2021-05' or '2021' from a RefSource such as 'Pain. 2021 May 4;...'."""
    match = CITED_DATE.search(ref_source)
    if not match:
        return ""
    year, month, day = match.groups()
    if month not in MONTHS:
        return year
    return f"{year}-{MONTHS[month]:02d}" + (f"-{int(day):02d}" if day else "")


def _text(node: Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def pubmed_notices(xml: bytes) -> dict[str, list[Notice]]:
    """Each PMID's notices in an efetch answer (a PMID with none maps to [])."""
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as err:
        raise AuditError(f"PubMed's answer is not valid XML ({err}); nothing was changed") \
            from None
    if root.tag != "PubmedArticleSet":
        raise AuditError(f"PubMed's answer is not a PubmedArticleSet (<{root.tag}>); nothing "
                         "was changed")
    found: dict[str, list[Notice]] = {}
    for article in root.iter("PubmedArticle"):
        citation = article.find("MedlineCitation")
        pmid = _text(citation.find("PMID")) if citation is not None else ""
        if not pmid:
            continue
        notices = []
        for ref in citation.findall("CommentsCorrectionsList/CommentsCorrections"):
            kind = PUBMED_REFTYPES.get(ref.get("RefType", ""))
            if kind:
                notices.append(Notice(kind, pmid=_text(ref.find("PMID")),
                                      date=cited_date(_text(ref.find("RefSource"))),
                                      source="pubmed"))
        types = {_text(t) for t in citation.findall("Article/PublicationTypeList/PublicationType")}
        if RETRACTED_TYPE in types and not any(n.type == "retraction" for n in notices):
            notices.append(Notice("retraction", source="pubmed"))  # the type alone
        found[pmid] = notices
    return found


def merge(crossref: list[Notice], pubmed: list[Notice]) -> tuple[Notice, ...]:
    """One list: a PubMed notice that is a Crossref one seen again (same kind, no other
    of that kind, same year or no date) adds its PMID to it instead of a second entry."""
    merged = list(crossref)
    for notice in pubmed:
        same = [i for i, n in enumerate(merged) if n.type == notice.type and n.source != "pubmed"]
        if len(same) == 1:
            twin = merged[same[0]]
            if not notice.date or not twin.date or notice.date[:4] == twin.date[:4]:
                merged[same[0]] = Notice(twin.type, twin.doi, twin.pmid or notice.pmid,
                                         twin.date or notice.date, twin.source)
                continue
        merged.append(notice)
    return tuple(dict.fromkeys(merged))


@dataclass(frozen=True)
class Identified:
    key: str
    doi: str
    pmid: str


def check_crossref(http: Http, service: Service, doi: str) -> list[Notice] | None:
    """The notices Crossref has for a DOI; None when Crossref has no record of it."""
    params = {"mailto": mailto()} if mailto() else {}
    status, body = http.get(service, f"/works/{quote(doi, safe='/:();.-_')}", params)
    if status == 404:
        return None
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise AuditError(f"Crossref's answer for {doi} is not valid JSON ({err}); nothing "
                         "was changed") from None
    return crossref_notices(data)


def eutils_params(**params: str) -> dict[str, str]:
    """NCBI asks callers to name their tool and give an address."""
    params["tool"] = "ldn-site-invoke-audit"
    if mailto():
        params["email"] = mailto()
    return params


def check_pubmed(http: Http, service: Service, pmids: list[str]) -> dict[str, list[Notice]]:
    found: dict[str, list[Notice]] = {}
    for start in range(0, len(pmids), EFETCH_BATCH):
        batch = pmids[start:start + EFETCH_BATCH]
        _, body = http.get(service, "/efetch.fcgi",
                           eutils_params(db="pubmed", id=",".join(batch), retmode="xml"))
        found.update(pubmed_notices(body))
    return found
