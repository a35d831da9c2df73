"""New evidence since a condition's pages were last reviewed: PubMed records about low-dose
naltrexone for it, and ClinicalTrials.gov studies of naltrexone for it.

PubMed E-utilities: esearch.fcgi?db=pubmed&term=...&datetype=edat&mindate=&maxdate=
&retmode=json gives ``esearchresult.idlist``; esummary.fcgi?db=pubmed&id=...&retmode=json
gives ``result[pmid]`` with ``title``, ``pubdate`` and ``history`` (the ``entrez`` date is
the day PubMed added the record).

ClinicalTrials.gov API v2: /studies?query.cond=...&query.intr=naltrexone
&filter.advanced=AREA[LastUpdatePostDate]RANGE[since,MAX] gives ``studies``, each with
``protocolSection.identificationModule.nctId``/``briefTitle`` and
``protocolSection.statusModule.overallStatus``/``lastUpdatePostDateStruct.date``, and
``nextPageToken`` while more pages follow.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

from plugins.conditions.records import Condition

from .data import Article, Search, Trial
from .fetch import AuditError, Http, Service
from .sources import eutils_params

LDN_TERMS = '(naltrexone[tiab] AND ("low dose"[tiab] OR "low-dose"[tiab] OR LDN[tiab]))'
TRIALS_INTERVENTION = "naltrexone"
MAX_RESULTS = 200  # PubMed records listed per condition; more means the query is too wide
MAX_TRIAL_PAGES = 5
SUMMARY_BATCH = 100
NCT = re.compile(r"\bNCT\d{8}\b")
ENTREZ_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})")


def condition_terms(condition: Condition) -> list[str]:
    """Its name (without a parenthesised abbreviation) and its synonyms, once each."""
    name = re.sub(r"\s*\([^)]*\)", "", condition.name).strip()
    return list(dict.fromkeys(t for t in (name, *condition.synonyms) if t.strip()))


def _quoted(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def pubmed_query(condition: Condition) -> str:
    if condition.pubmed_query:
        return condition.pubmed_query
    terms = " OR ".join(f"{_quoted(t)}[tiab]" for t in condition_terms(condition))
    return f"{LDN_TERMS} AND ({terms})"


def trials_query(condition: Condition) -> str:
    """ClinicalTrials.gov's condition search (its Essie syntax: OR, quoted phrases)."""
    if condition.trials_query:
        return condition.trials_query
    return " OR ".join(_quoted(t) if " " in t else t for t in condition_terms(condition))


def _dict(value: Any) -> dict[str, Any]:
    """A JSON object, or {} for anything else: a field of an unexpected shape is missing."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _json(body: bytes, service: str) -> Any:
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise AuditError(f"{service}'s answer is not valid JSON ({err}); nothing was "
                         "changed") from None


def esearch_count(data: Any) -> int:
    count = str(_dict(_dict(data).get("esearchresult")).get("count", "0"))
    return int(count) if count.isdigit() else 0


def esearch_ids(data: Any) -> list[str]:
    result = data.get("esearchresult") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        raise AuditError("PubMed's search answer has no 'esearchresult'; nothing was changed")
    if result.get("ERROR"):
        raise AuditError(f"PubMed refused the search: {result['ERROR']}; check the query "
                         "(pubmed_query in content/conditions.yaml)")
    ids = result.get("idlist")
    if not isinstance(ids, list):
        raise AuditError("PubMed's search answer has no 'idlist'; nothing was changed")
    return [str(i) for i in ids]


def esummary_articles(data: Any, pmids: list[str]) -> list[Article]:
    result = data.get("result") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        raise AuditError("PubMed's summary answer has no 'result'; nothing was changed")
    articles = []
    for pmid in pmids:
        record = result.get(pmid)
        if not isinstance(record, dict) or record.get("error"):
            continue
        added = ""
        for event in map(_dict, _list(record.get("history"))):
            match = ENTREZ_DATE.match(str(event.get("date", "")))
            if event.get("pubstatus") == "entrez" and match:
                added = "-".join(match.groups())
        year = str(record.get("pubdate") or record.get("sortpubdate") or "")[:4]
        articles.append(Article(pmid, " ".join(str(record.get("title", "")).split()),
                                year if year.isdigit() else "", added))
    return articles


def trial_records(data: Any) -> tuple[list[Trial], str]:
    """The studies of one page of /studies, and the next page's token ('' at the end)."""
    studies = data.get("studies") if isinstance(data, dict) else None
    if not isinstance(studies, list):
        raise AuditError("ClinicalTrials.gov's answer has no 'studies' list; nothing was "
                         "changed")
    trials = []
    for study in map(_dict, studies):
        protocol = _dict(study.get("protocolSection"))
        ident = _dict(protocol.get("identificationModule"))
        status = _dict(protocol.get("statusModule"))
        nct = str(ident.get("nctId", ""))
        if not NCT.fullmatch(nct):
            continue
        trials.append(Trial(nct, " ".join(str(ident.get("briefTitle", "")).split()),
                            str(status.get("overallStatus", "")),
                            str(_dict(status.get("lastUpdatePostDateStruct")).get("date", "")),
                            has_results=bool(study.get("hasResults"))))
    return trials, str(data.get("nextPageToken") or "")


@dataclass
class Searcher:
    http: Http
    pubmed: Service
    clinicaltrials: Service
    today: datetime.date
    cited_pmids: frozenset[str]
    cited_ncts: frozenset[str]
    notes: list[str] = field(default_factory=list)

    def articles(self, query: str, since: datetime.date) -> list[Article]:
        _, body = self.http.get(self.pubmed, "/esearch.fcgi", eutils_params(
            db="pubmed", term=query, datetype="edat", mindate=since.strftime("%Y/%m/%d"),
            maxdate=self.today.strftime("%Y/%m/%d"), retmax=str(MAX_RESULTS),
            retmode="json"))
        data = _json(body, "PubMed")
        pmids = [p for p in esearch_ids(data) if p not in self.cited_pmids]
        if esearch_count(data) > MAX_RESULTS:
            self.notes.append(f"PubMed found {esearch_count(data)} records for {query!r}; "
                              f"only {MAX_RESULTS} are listed: narrow pubmed_query in the "
                              "conditions registry")
        found: list[Article] = []
        for start in range(0, len(pmids), SUMMARY_BATCH):
            batch = pmids[start:start + SUMMARY_BATCH]
            _, body = self.http.get(self.pubmed, "/esummary.fcgi", eutils_params(
                db="pubmed", id=",".join(batch), retmode="json"))
            found += esummary_articles(_json(body, "PubMed"), batch)
        return found

    def trials(self, query: str, since: datetime.date) -> list[Trial]:
        params = {"query.cond": query, "query.intr": TRIALS_INTERVENTION,
                  "filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]",
                  "pageSize": "100", "format": "json"}
        found: list[Trial] = []
        for _ in range(MAX_TRIAL_PAGES):
            _, body = self.http.get(self.clinicaltrials, "/studies", params)
            page, token = trial_records(_json(body, "ClinicalTrials.gov"))
            found += [t for t in page if t.nct not in self.cited_ncts]
            if not token:
                break
            params = {**params, "pageToken": token}
        return found

    def search(self, condition: Condition, since: datetime.date,
               previous: Search | None) -> Search:
        pq, tq = pubmed_query(condition), trials_query(condition)
        seen = {t.nct: t for t in previous.trials} if previous else {}
        trials = []
        for trial in self.trials(tq, since):
            before = seen.get(trial.nct)
            changed_from = ""
            if before is not None:
                changed_from = (before.status if before.status != trial.status
                                else before.previous_status)
            trials.append(Trial(trial.nct, trial.title, trial.status, trial.updated,
                                changed_from, trial.has_results))
        return Search(condition.slug, since.isoformat(), self.today.isoformat(), pq, tq,
                      tuple(self.articles(pq, since)), tuple(trials))
