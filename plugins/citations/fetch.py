"""`invoke cite`: a journal article's metadata from Crossref (by DOI) or PubMed (by PMID),
appended to the bibliography as one BibTeX entry. With download.py, the only modules that
use the network; nothing in the build imports them. Every value from a service is untrusted:
typed here, checked and escaped field by field in newentry.py.

Crossref REST API: GET {CROSSREF_API_URL}/works/{doi}, JSON (message.title, author, ...).
NCBI E-utilities: GET {PUBMED_EUTILS_URL}/efetch.fcgi?db=pubmed&id={pmid}&retmode=xml,
the PubMed XML (MedlineCitation/Article, PubmedData/ArticleIdList). Both ask callers to
say who they are: a User-Agent naming the tool and, with CITE_MAILTO set, an e-mail
address (Crossref's ``mailto``, NCBI's ``tool`` and ``email``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .download import Limits, fetch
from .identifiers import CITE_DOI, PMID
from .newentry import CiteError, Work, append_checked, new_key, refuse_duplicates, to_bibtex

CROSSREF = "https://api.crossref.org"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
TOOL = "ldn-site-invoke-cite"
TIMEOUT = Limits.deadline


def client(timeout: float = TIMEOUT) -> httpx.Client:
    mailto = os.environ.get("CITE_MAILTO", "").strip()
    agent = f"{TOOL}/1.0" + (f" (mailto:{mailto})" if mailto else "")
    # identity: the size cap counts what arrives; a compressed answer could unpack to
    # many times the cap in one piece before it was counted.
    return httpx.Client(timeout=timeout, follow_redirects=False,
                        headers={"User-Agent": agent, "Accept-Encoding": "identity"})


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "true or false", float: "a number",
            int: "a number", str: "text"}.get(type(value), "a value")


def _text(value: object, where: str) -> str:
    """A field of Crossref's JSON as text: a string, a number, or the first of a list."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise CiteError(f"Crossref's answer has {_kind(value)} in {where}, where text is "
                    "expected; nothing was changed")


def _items(value: object, where: str) -> list[dict[str, object]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CiteError(f"Crossref's answer has {_kind(value)} in {where}, where a list "
                        "of objects is expected; nothing was changed")
    return value


def _year(message: dict[str, object]) -> str:
    for name in ("published-print", "issued"):
        issued = message.get(name)
        if issued is None:
            continue
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        if not (isinstance(parts, list) and parts and isinstance(parts[0], list)):
            raise CiteError(f"Crossref's answer has {_kind(issued)} in message.{name}, "
                            "where a date is expected; nothing was changed")
        if parts[0]:
            return _text(parts[0][0], f"message.{name}.date-parts")
    return ""


def from_crossref(data: object, doi: str) -> Work:
    """A Work from Crossref's /works/{doi} JSON."""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or not _text(message.get("title"), "message.title"):
        raise CiteError("Crossref's answer has no work in it (no message.title); nothing "
                        "was changed")
    authors, groups = [], []
    for index, person in enumerate(_items(message.get("author"), "message.author")):
        where = f"message.author[{index}]"
        family = _text(person.get("family"), f"{where}.family")
        if family:
            authors.append((family, _text(person.get("given"), f"{where}.given")))
        elif _text(person.get("name"), f"{where}.name"):
            groups.append(_text(person.get("name"), f"{where}.name"))
    return Work(title=_text(message.get("title"), "message.title"), authors=authors,
                groups=groups,
                journal=_text(message.get("container-title"), "message.container-title"),
                shortjournal=_text(message.get("short-container-title"),
                                   "message.short-container-title"),
                year=_year(message), volume=_text(message.get("volume"), "message.volume"),
                number=_text(message.get("issue"), "message.issue"),
                pages=_text(message.get("page"), "message.page"),
                doi=_text(message.get("DOI"), "message.DOI") or doi)


def _node_text(node: Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def from_pubmed(xml: bytes | str, pmid: str) -> Work:
    """A Work from PubMed's efetch XML for one PMID."""
    try:
        # No entity is expanded and nothing external is fetched (defusedxml).
        root = fromstring(xml)
    except ParseError as err:
        raise CiteError(f"PubMed's answer is not valid XML ({err}); nothing was changed") \
            from None
    except DefusedXmlException:
        raise CiteError("PubMed's answer declares XML entities, which a PubMed record never "
                        "does; nothing was changed") from None
    article = root.find("PubmedArticle")
    if article is None:
        raise CiteError(f"PubMed has no record with PMID {pmid}; check it for typos")
    cited = article.find("MedlineCitation/Article")
    if cited is None:
        raise CiteError("PubMed's record has no Article element; nothing was changed")
    authors, groups = [], []
    for author in cited.findall("AuthorList/Author"):
        if author.find("LastName") is not None:
            authors.append((_node_text(author.find("LastName")),
                            _node_text(author.find("ForeName"))))
        elif author.find("CollectiveName") is not None:
            groups.append(_node_text(author.find("CollectiveName")))
    issue = cited.find("Journal/JournalIssue")
    date = _node_text(issue.find("PubDate/Year")) if issue is not None else ""
    if not date and issue is not None:
        date = _node_text(issue.find("PubDate/MedlineDate"))[:4]
    ids = {node.get("IdType"): _node_text(node)
           for node in article.findall("PubmedData/ArticleIdList/ArticleId")}
    return Work(
        title=_node_text(cited.find("ArticleTitle")).rstrip("."), authors=authors,
        groups=groups,
        journal=_node_text(cited.find("Journal/Title")),
        shortjournal=_node_text(cited.find("Journal/ISOAbbreviation")),
        year=date if date.isdigit() else "",
        volume=_node_text(issue.find("Volume")) if issue is not None else "",
        number=_node_text(issue.find("Issue")) if issue is not None else "",
        pages=_node_text(cited.find("Pagination/MedlinePgn")),
        doi=ids.get("doi", ""), pmid=_node_text(article.find("MedlineCitation/PMID")) or pmid,
        pmcid=ids.get("pmc", ""),
        publication_types=[_node_text(t) for t in cited.findall(
            "PublicationTypeList/PublicationType")])


def bare_doi(doi: str) -> str:
    """The DOI as written in the bibliography: without https://doi.org/ or doi:."""
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)


def fetch_doi(doi: str, http: httpx.Client, limits: Limits) -> Work:
    base = os.environ.get("CROSSREF_API_URL", CROSSREF).rstrip("/")
    mailto = os.environ.get("CITE_MAILTO", "").strip()
    body = fetch(http, "Crossref", f"{base}/works/{quote(doi, safe='/')}",
                 {"mailto": mailto} if mailto else {}, limits)
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise CiteError(f"Crossref's answer is not valid JSON ({str(err)[:200]}); nothing was "
                        "changed") from None
    except RecursionError:
        raise CiteError("Crossref's answer is nested too deeply to be a record; nothing was "
                        "changed") from None
    work = from_crossref(data, doi)
    if work.doi.lower() != doi.lower():
        raise CiteError(f"Crossref answered with another work (DOI '{work.doi[:80]}', not "
                        f"{doi}); nothing was changed")
    return work


def fetch_pmid(pmid: str, http: httpx.Client, limits: Limits) -> Work:
    base = os.environ.get("PUBMED_EUTILS_URL", EUTILS).rstrip("/")
    params = {"db": "pubmed", "id": pmid, "retmode": "xml", "tool": TOOL}
    if os.environ.get("CITE_MAILTO", "").strip():
        params["email"] = os.environ["CITE_MAILTO"].strip()
    work = from_pubmed(fetch(http, "PubMed", f"{base}/efetch.fcgi", params, limits), pmid)
    if work.pmid != pmid:
        raise CiteError(f"PubMed answered with another record (PMID '{work.pmid[:20]}', not "
                        f"{pmid}); nothing was changed")
    return work


def checked_identifier(doi: str, pmid: str) -> tuple[str, str]:
    """The DOI or PMID to ask for, checked before any request is made."""
    if bool(doi) == bool(pmid):
        raise CiteError("give one DOI (invoke cite 10.1111/...) or one PMID "
                        "(invoke cite --pmid 19453963)")
    if doi:
        doi = bare_doi(doi)
        if not CITE_DOI.match(doi):
            raise CiteError(f"'{doi[:200]}' is not a DOI; write it as "
                            "10.1111/j.1526-4637.2009.00613.x")
        return doi, ""
    if not PMID.match(pmid.strip()):
        raise CiteError(f"'{pmid[:200]}' is not a PMID; write the digits only, e.g. 19453963")
    return "", pmid.strip()


def cite(bibliography: Path, *, doi: str = "", pmid: str = "", dry_run: bool = False,
         timeout: float = TIMEOUT, limits: Limits | None = None) -> str:
    """Fetch one work and append it (or, with ``dry_run``, only show it); what to print.
    ``timeout`` is the deadline for the whole exchange with the service."""
    doi, pmid = checked_identifier(doi, pmid)
    limits = limits or Limits(deadline=timeout)
    with client(limits.deadline) as http:
        work = fetch_doi(doi, http, limits) if doi else fetch_pmid(pmid, http, limits)
    existing = refuse_duplicates(bibliography, work)
    key = new_key(work, set(existing.entries) if existing else set())
    source = f"Crossref, DOI {doi}" if doi else f"PubMed, PMID {pmid}"
    text = to_bibtex(work, key, source)
    if dry_run:
        return text
    append_checked(bibliography, text, key, existing)
    return f"{text}\nAdded '{key}' to {bibliography.name}: cite it with [@{key}]."
