"""`invoke cite`: a journal article's metadata from Crossref (by DOI) or PubMed (by PMID),
appended to the bibliography as one BibTeX entry. The only module that uses the network;
nothing in the build imports it.

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
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import httpx

from .newentry import CiteError, Work, append_entry, new_key, refuse_duplicates, to_bibtex

CROSSREF = "https://api.crossref.org"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
TOOL = "ldn-site-invoke-cite"
TIMEOUT = 15.0
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def client(timeout: float = TIMEOUT) -> httpx.Client:
    mailto = os.environ.get("CITE_MAILTO", "").strip()
    agent = f"{TOOL}/1.0" + (f" (mailto:{mailto})" if mailto else "")
    return httpx.Client(timeout=timeout, headers={"User-Agent": agent},
                        follow_redirects=True)


def get(http: httpx.Client, service: str, url: str, params: dict[str, str]) -> httpx.Response:
    """The response, or one CiteError saying what went wrong and what to do."""
    try:
        response = http.get(url, params=params)
    except httpx.TimeoutException:
        raise CiteError(f"{service} did not answer within {http.timeout.read:g} seconds; "
                        "try again later") from None
    except httpx.TransportError as err:
        raise CiteError(f"{service} could not be reached ({err}); check the connection "
                        "and try again") from None
    if response.status_code == 404:
        raise CiteError(f"{service} has no record for this identifier (404); check it "
                        "for typos")
    if response.status_code == 429:
        wait = response.headers.get("Retry-After", "").strip()
        raise CiteError(f"{service} is limiting requests (429); try again in "
                        + (f"{wait} seconds" if wait.isdigit() else "a minute"))
    if response.status_code >= 400:
        raise CiteError(f"{service} answered with HTTP {response.status_code}; try again "
                        "later")
    return response


def _first(value: object) -> str:
    if isinstance(value, list):
        return str(value[0]).strip() if value else ""
    return str(value or "").strip()


def from_crossref(data: object, doi: str) -> Work:
    """A Work from Crossref's /works/{doi} JSON."""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or not _first(message.get("title")):
        raise CiteError("Crossref's answer has no work in it (no message.title); nothing "
                        "was changed")
    authors, groups = [], []
    for person in message.get("author") or []:
        if person.get("family"):
            authors.append((person["family"].strip(), str(person.get("given", "")).strip()))
        elif person.get("name"):
            groups.append(person["name"].strip())
    issued = (message.get("published-print") or message.get("issued") or {}).get(
        "date-parts") or [[None]]
    year = str(issued[0][0]) if issued and issued[0] and issued[0][0] else ""
    return Work(title=_first(message.get("title")), authors=authors, groups=groups,
                journal=_first(message.get("container-title")),
                shortjournal=_first(message.get("short-container-title")), year=year,
                volume=_first(message.get("volume")), number=_first(message.get("issue")),
                pages=_first(message.get("page")), doi=_first(message.get("DOI")) or doi)


def _text(node: ET.Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def from_pubmed(xml: str, pmid: str) -> Work:
    """A Work from PubMed's efetch XML for one PMID."""
    try:
        root = ET.fromstring(xml)  # noqa: S314 - PubMed's XML, no entities expanded
    except ET.ParseError as err:
        raise CiteError(f"PubMed's answer is not valid XML ({err}); nothing was changed") \
            from None
    article = root.find("PubmedArticle")
    if article is None:
        raise CiteError(f"PubMed has no record with PMID {pmid}; check it for typos")
    cited = article.find("MedlineCitation/Article")
    if cited is None:
        raise CiteError("PubMed's record has no Article element; nothing was changed")
    authors, groups = [], []
    for author in cited.findall("AuthorList/Author"):
        if author.find("LastName") is not None:
            authors.append((_text(author.find("LastName")), _text(author.find("ForeName"))))
        elif author.find("CollectiveName") is not None:
            groups.append(_text(author.find("CollectiveName")))
    issue = cited.find("Journal/JournalIssue")
    date = _text(issue.find("PubDate/Year")) if issue is not None else ""
    if not date and issue is not None:
        date = _text(issue.find("PubDate/MedlineDate"))[:4]
    ids = {node.get("IdType"): _text(node)
           for node in article.findall("PubmedData/ArticleIdList/ArticleId")}
    return Work(
        title=_text(cited.find("ArticleTitle")).rstrip("."), authors=authors, groups=groups,
        journal=_text(cited.find("Journal/Title")),
        shortjournal=_text(cited.find("Journal/ISOAbbreviation")),
        year=date if date.isdigit() else "",
        volume=_text(issue.find("Volume")) if issue is not None else "",
        number=_text(issue.find("Issue")) if issue is not None else "",
        pages=_text(cited.find("Pagination/MedlinePgn")),
        doi=ids.get("doi", ""), pmid=_text(article.find("MedlineCitation/PMID")) or pmid,
        pmcid=ids.get("pmc", ""),
        publication_types=[_text(t) for t in cited.findall(
            "PublicationTypeList/PublicationType")])


def fetch_doi(doi: str, http: httpx.Client) -> Work:
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)
    if not DOI.match(doi):
        raise CiteError(f"'{doi}' is not a DOI; write it as 10.1111/j.1526-4637.2009.00613.x")
    base = os.environ.get("CROSSREF_API_URL", CROSSREF).rstrip("/")
    mailto = os.environ.get("CITE_MAILTO", "").strip()
    response = get(http, "Crossref", f"{base}/works/{quote(doi, safe='/')}",
                   {"mailto": mailto} if mailto else {})
    try:
        return from_crossref(response.json(), doi)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise CiteError(f"Crossref's answer is not valid JSON ({err}); nothing was "
                        "changed") from None


def fetch_pmid(pmid: str, http: httpx.Client) -> Work:
    if not pmid.strip().isdigit():
        raise CiteError(f"'{pmid}' is not a PMID; write the digits only, e.g. 19453963")
    base = os.environ.get("PUBMED_EUTILS_URL", EUTILS).rstrip("/")
    params = {"db": "pubmed", "id": pmid.strip(), "retmode": "xml", "tool": TOOL}
    if os.environ.get("CITE_MAILTO", "").strip():
        params["email"] = os.environ["CITE_MAILTO"].strip()
    return from_pubmed(get(http, "PubMed", f"{base}/efetch.fcgi", params).text, pmid.strip())


def cite(bibliography: Path, *, doi: str = "", pmid: str = "", dry_run: bool = False,
         timeout: float = TIMEOUT) -> str:
    """Fetch one work and append it (or, with ``dry_run``, only show it); what to print."""
    if bool(doi) == bool(pmid):
        raise CiteError("give one DOI (invoke cite 10.1111/...) or one PMID "
                        "(invoke cite --pmid 19453963)")
    with client(timeout) as http:
        work = fetch_doi(doi, http) if doi else fetch_pmid(pmid, http)
    taken = refuse_duplicates(bibliography, work)
    key = new_key(work, taken)
    source = f"Crossref, DOI {work.doi}" if doi else f"PubMed, PMID {work.pmid}"
    text = to_bibtex(work, key, source)
    if dry_run:
        return text
    append_entry(bibliography, text)
    return f"{text}\nAdded '{key}' to {bibliography.name}: cite it with [@{key}]."
