"""The integrity data file (content/integrity.yaml): its records, and a parser that keeps
the line of every work so the build's diagnostics point into it (store.py writes it).

``invoke audit`` writes it; the build only reads it (never the network). An editor adds
one thing by hand: ``acknowledged: "reason"`` under a work, which the audit keeps.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from plugins.diagnostics import Finding
from plugins.sources.yamldoc import Position, SourceError, compose, mapping_pairs, node_position

from .settings import declared

# From the most serious down: a work's status is that of its most serious notice.
STATUSES = ("retracted", "concern", "corrected", "ok")
NOTICE_STATUS = {"retraction": "retracted", "expression_of_concern": "concern",
                 "correction": "corrected"}
NOTICE_NAMES = {"retraction": "Retraction", "expression_of_concern": "Expression of concern",
                "correction": "Correction"}
@dataclass(frozen=True)
class Notice:
    """A retraction, correction or expression of concern published about a work."""

    type: str  # retraction, correction or expression_of_concern
    doi: str = ""
    pmid: str = ""
    date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY, as the source gives it
    source: str = ""  # Crossref's source (publisher, retraction-watch) or "pubmed"

    @property
    def url(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def identifier(self) -> str:
        return f"doi:{self.doi}" if self.doi else (f"PMID {self.pmid}" if self.pmid else "")


@dataclass(frozen=True)
class Work:
    key: str
    checked: str  # the day of the last successful check, YYYY-MM-DD
    doi: str = ""
    pmid: str = ""
    notices: tuple[Notice, ...] = ()
    acknowledged: str | None = None  # the editor's reason, kept by every audit
    line: int = 1  # of the key in the file, for diagnostics

    @property
    def status(self) -> str:
        found = {NOTICE_STATUS.get(n.type, "ok") for n in self.notices}
        return next(s for s in STATUSES if s in found or s == "ok")

    def main_notice(self) -> Notice | None:
        """The notice that gives the status: the latest of the most serious kind."""
        wanted = [n for n in self.notices if NOTICE_STATUS.get(n.type) == self.status]
        return max(wanted, key=lambda n: n.date) if wanted else None


@dataclass(frozen=True)
class Article:
    """A PubMed record found by a condition's search and not in the bibliography."""

    pmid: str
    title: str
    year: str = ""
    added: str = ""  # the day PubMed added it (its Entrez date), YYYY-MM-DD


@dataclass(frozen=True)
class Trial:
    """A ClinicalTrials.gov study of naltrexone for a condition."""

    nct: str
    title: str
    status: str  # overallStatus, e.g. RECRUITING
    updated: str = ""  # last update posted, YYYY-MM-DD
    previous_status: str = ""  # the status the last search saw, when it changed
    has_results: bool = False


@dataclass(frozen=True)
class Search:
    """What one condition's searches found since its pages' earliest review."""

    slug: str
    since: str
    checked: str
    pubmed_query: str
    trials_query: str
    articles: tuple[Article, ...] = ()
    trials: tuple[Trial, ...] = ()


@dataclass
class IntegrityData:
    works: dict[str, Work] = field(default_factory=dict)
    searches: dict[str, Search] = field(default_factory=dict)
    path: Path | None = None
    missing: bool = False


def data_path(settings: dict[str, Any]) -> Path:
    """INTEGRITY_FILE under PATH."""
    return Path(settings.get("PATH") or "content") / declared(settings).file


# --- reading ---------------------------------------------------------------------------

def _scalar(node: yaml.Node | None) -> str:
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""


def _fields(node: yaml.Node | None) -> dict[str, yaml.Node]:
    return {key: value for key, _, value in mapping_pairs(node)}


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _notice(node: yaml.Node) -> Notice:
    f = _fields(node)
    return Notice(*(_scalar(f.get(name)) for name in ("type", "doi", "pmid", "date", "source")))


def _work(key: str, key_node: yaml.Node, node: yaml.Node,
          findings: list[Finding]) -> Work | None:
    if not isinstance(node, yaml.MappingNode):
        findings.append(Finding.at(node_position(key_node), "integrity.bad-data",
                                f"work '{key}' must be a mapping of fields",
                                "run `invoke audit` to write the file again"))
        return None
    f = _fields(node)
    acknowledged = None
    if "acknowledged" in f:
        acknowledged = _scalar(f["acknowledged"])
        if not acknowledged:
            findings.append(Finding.at(
                node_position(f["acknowledged"]), "integrity.no-reason",
                f"'acknowledged:' of '{key}' gives no reason",
                'write why the page may cite it, e.g. acknowledged: "the page discusses '
                'the retraction"'))
    listed = f.get("notices")
    if listed is not None and not isinstance(listed, yaml.SequenceNode) \
            and listed.tag != "tag:yaml.org,2002:null":
        # A hand edit that turned the list into something else must not drop a retraction.
        findings.append(Finding.at(node_position(listed), "integrity.bad-data",
                                f"'notices' of '{key}' must be a list (lines starting '- ')",
                                "undo the last hand edit, or run `invoke audit` again"))
    notices = tuple(_notice(n) for n in _items(listed))
    for notice_node, notice in zip(_items(f.get("notices")), notices, strict=True):
        if notice.type not in NOTICE_STATUS:
            findings.append(Finding.at(
                node_position(notice_node), "integrity.bad-data",
                f"notice of '{key}' has type '{notice.type}'",
                "the types are retraction, correction and expression_of_concern; run "
                "`invoke audit` to write the file again"))
    return Work(key, _scalar(f.get("checked")), _scalar(f.get("doi")), _scalar(f.get("pmid")),
                notices, acknowledged, node_position(key_node).line)


def _search(slug: str, node: yaml.Node) -> Search:
    f = _fields(node)
    articles = tuple(Article(*(_scalar(_fields(a).get(n)) for n in ("pmid", "title", "year",
                                                                    "added")))
                     for a in _items(f.get("articles")))
    trials = []
    for t in _items(f.get("trials")):
        tf = _fields(t)
        trials.append(Trial(*(_scalar(tf.get(n)) for n in ("nct", "title", "status", "updated",
                                                           "previous_status")),
                            has_results=_scalar(tf.get("has_results")) == "true"))
    return Search(slug, *(_scalar(f.get(n)) for n in ("since", "checked", "pubmed_query",
                                                      "trials_query")),
                  articles=articles, trials=tuple(trials))


def parse(text: str, path: Path | None = None) -> tuple[IntegrityData, list[Finding]]:
    """The data and every problem in it; a file that cannot be read gives no data."""
    data = IntegrityData(path=path)
    try:
        root = compose(text, "the integrity data file", "integrity",
                       hint="undo the last hand edit, or run `invoke audit` again")
    except SourceError as err:
        return data, [err.finding]
    if root is None:
        return data, []
    if not isinstance(root, yaml.MappingNode):
        return data, [Finding.at(Position(1, 1), "integrity.bad-data",
                              "the file must be a mapping with 'works:' and 'new_evidence:'",
                              "run `invoke audit` to write it again")]
    findings: list[Finding] = []
    sections = _fields(root)
    for name in ("works", "new_evidence"):
        node = sections.get(name)
        if node is not None and not isinstance(node, yaml.MappingNode) \
                and node.tag != "tag:yaml.org,2002:null":
            findings.append(Finding.at(node_position(node), "integrity.bad-data",
                                    f"'{name}' must be a mapping, one entry per key",
                                    "undo the last hand edit, or run `invoke audit` again"))
    for key, key_node, node in mapping_pairs(sections.get("works")):
        work = _work(key, key_node, node, findings)
        if work is not None:
            data.works[key] = work
    for slug, _, node in mapping_pairs(sections.get("new_evidence")):
        data.searches[slug] = _search(slug, node)
    return data, findings


def load(path: Path) -> tuple[IntegrityData, list[Finding]]:
    if not path.is_file():
        return IntegrityData(path=path, missing=True), []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        where = Position(raw.count(b"\n", 0, err.start) + 1,
                         err.start - raw.rfind(b"\n", 0, err.start))
        return IntegrityData(path=path), [Finding.at(
            where, "integrity.bad-data", "the file is not saved as UTF-8",
            "undo the last hand edit, or run `invoke audit` to write it again")]
    data, findings = parse(text, path)
    data.path = path
    return data, findings


def age_in_days(checked: str, today: datetime.date) -> int | None:
    try:
        return (today - datetime.date.fromisoformat(checked)).days
    except ValueError:
        return None


def with_acknowledgements(new: IntegrityData, old: IntegrityData) -> IntegrityData:
    """The editors' reasons from the old file, carried into the new result for the works
    whose notices are unchanged: a reason given for a correction must not silence a
    retraction published since, so a new notice needs a new acknowledgement."""
    for key, work in new.works.items():
        kept = old.works.get(key)
        if kept is not None and kept.acknowledged is not None \
                and set(kept.notices) == set(work.notices):
            new.works[key] = replace(work, acknowledged=kept.acknowledged)
    return new
