"""`invoke audit` and the build's integrity checks, against a local server on 127.0.0.1
that serves synthetic responses in Crossref's, PubMed's and ClinicalTrials.gov's shapes
(tests/fixtures/integrity-api/README.md). No test touches the network."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from local_api import LocalServer, Reply
from test_tasks import copy_project, invoke, snapshot

from conftest import FIXTURES, ROOT, run_build
from plugins.conditions.registry import parse_registry
from plugins.integrity import audit
from plugins.integrity.data import Article, Notice, Search, Work, parse
from plugins.integrity.fetch import AuditError, Http
from plugins.integrity.marks import mark, month_year
from plugins.integrity.search import (
    esearch_ids,
    esummary_articles,
    pubmed_query,
    trial_records,
    trials_query,
)
from plugins.integrity.sources import cited_date, crossref_notices, merge, pubmed_notices
from plugins.integrity.store import dump
from site_under_test import serve

API = FIXTURES / "integrity-api"
TODAY = datetime.date(2026, 12, 7)
NO_GAPS = {"crossref": 0.0, "pubmed": 0.0, "clinicaltrials": 0.0}


def recorded(name: str) -> Reply:
    return 200, {"Content-Type": "application/json"}, (API / name).read_bytes(), 0.0


# Answers that do not depend on the query: path -> recorded file.
RECORDED = {"/eutils/efetch.fcgi": "pubmed-efetch.xml",
            "/eutils/esummary.fcgi": "pubmed-esummary.json"}
# Searches: path -> (the file for a fibromyalgia query, the answer for any other).
SEARCHES = {"/eutils/esearch.fcgi": ("pubmed-esearch.json",
                                     b'{"esearchresult": {"count": "0", "idlist": []}}'),
            "/ctgov/studies": ("clinicaltrials-studies.json", b'{"studies": []}')}


def fixture_routes(path: str, query: dict[str, list[str]]) -> Reply:
    """The services as the fixture site sees them: the search for fibromyalgia finds one
    new record and one new trial (and a cited one of each); CRPS finds nothing."""
    term = (query.get("term") or query.get("query.cond") or [""])[0]
    name = ""
    if path.startswith("/crossref/works/10.5555/fixture."):
        name = f"crossref-{path.rsplit('.', 1)[1]}.json"
    elif path in RECORDED:
        name = RECORDED[path]
    elif path in SEARCHES:
        found, nothing = SEARCHES[path]
        if "Fibromyalgia" not in term:
            return 200, {"Content-Type": "application/json"}, nothing, 0.0
        name = found
    if name and (API / name).is_file():
        return recorded(name)
    return 404, {}, b"Resource not found.", 0.0


class Server(LocalServer):
    """The three services as ``route`` answers them; ``calls`` keeps each request's path,
    parsed query and headers."""

    def __init__(self) -> None:
        self.route: Callable[[str, dict[str, list[str]]], Reply] = fixture_routes
        self.calls: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        super().__init__(self.answer_get)

    def answer_get(self, handler: BaseHTTPRequestHandler) -> Reply:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query)
        self.calls.append((parts.path, query, dict(handler.headers)))
        return self.route(parts.path, query)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with Server().running() as served:
        monkeypatch.setenv("CROSSREF_API_URL", served.url + "/crossref")
        monkeypatch.setenv("PUBMED_EUTILS_URL", served.url + "/eutils")
        monkeypatch.setenv("CLINICALTRIALS_API_URL", served.url + "/ctgov")
        monkeypatch.setenv("CITE_MAILTO", "editor@example.org")
        yield served


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "integrity-site", tmp_path / "content")
    return tmp_path / "content"


def settings_for(content: Path) -> dict[str, object]:
    return {"PATH": str(content), "CITATIONS_BIBLIOGRAPHY": ["bibliography.bib"],
            "CONDITIONS_REGISTRY": "conditions.yaml", "ARTICLE_PATHS": ["articles"]}


def quick_http(**overrides: object) -> Http:
    return Http(**{"deadline": 5.0, "timeout": 1.0, "retries": 1, "max_wait": 2.0,
                   **overrides})


def run_audit(content: Path, **http: object) -> audit.Outcome:
    return audit.run(settings_for(content), today=TODAY, http=quick_http(**http),
                     intervals=NO_GAPS)


# --- parsers ---------------------------------------------------------------------------

def test_crossref_updated_by_gives_each_notice_and_ignores_other_updates():
    data = json.loads((API / "crossref-corrected.json").read_text())
    assert crossref_notices(data) == [Notice("correction", doi="10.5555/fixture.notice.c",
                                             date="2022-03-15", source="publisher")]
    with pytest.raises(AuditError, match="no 'message' object"):
        crossref_notices({"status": "ok"})


def test_pubmed_notices_from_comments_corrections_and_the_publication_type():
    found = pubmed_notices((API / "pubmed-efetch.xml").read_bytes())
    assert found == {
        "99999001": [Notice("retraction", pmid="99999101", date="2021-05-04", source="pubmed")],
        "99999002": [Notice("retraction", source="pubmed")],  # the type alone
        "99999004": [],
    }
    with pytest.raises(AuditError, match="PubMed's answer is not valid XML"):
        pubmed_notices(b"<PubmedArticleSet><PubmedArticle>")


@pytest.mark.parametrize(("source", "date"), [
    ("Fixture J. 2021 May 4;3(2):1", "2021-05-04"), ("J Pain. 2020 Mar;21(3-4):520", "2020-03"),
    ("Pain. 2019;160(2):1", "2019"), ("no date here", "")])
def test_the_date_of_a_notice_from_its_citation(source, date):
    assert cited_date(source) == date


def test_a_notice_seen_by_both_services_is_one_notice():
    crossref = [Notice("retraction", doi="10.5555/n", date="2021-05-04", source="retraction-watch")]
    pubmed = [Notice("retraction", pmid="99999101", date="2021-05", source="pubmed")]
    assert merge(crossref, pubmed) == (Notice("retraction", "10.5555/n", "99999101",
                                              "2021-05-04", "retraction-watch"),)


def test_marks_link_the_notice_with_ordinary_markup():
    work = Work("a", "2026-12-07", doi="10.5555/a", notices=(
        Notice("correction", doi="10.5555/c", date="2021-05-02"),))
    assert str(mark(work)) == ('<a href="https://doi.org/10.5555/c">Correction published '
                               "May 2021</a>")
    retracted = Work("b", "2026-12-07", pmid="99999002",
                     notices=(Notice("retraction", source="pubmed"),))
    assert str(mark(retracted)) == ('<strong>Retracted</strong> (<a href="https://pubmed.ncbi'
                                    '.nlm.nih.gov/99999002/">retraction notice</a>)')
    assert month_year("2021") == "2021"


def test_the_data_file_reads_back_what_was_written():
    work = Work("x", "2026-12-07", "10.5555/x", "1", (Notice("retraction", "10.5555/n", "",
                                                             "2021-05-04", "publisher"),),
                'the page discusses it: "quoted"')
    data, problems = parse(dump(audit.IntegrityData({"x": work})))
    assert problems == []
    assert data.works["x"] == Work(**{**work.__dict__, "line": data.works["x"].line})


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(title=TEXT, reason=TEXT, key=st.from_regex(r"[a-z][a-z0-9_:.-]{0,20}", fullmatch=True))
def test_any_text_survives_a_write_and_a_read(title, reason, key):
    work = Work(key, "2026-12-07", doi="10.5555/x",
                notices=(Notice("correction", doi="10.5555/c"),), acknowledged=reason)
    search = Search("fibromyalgia", "2026-01-01", "2026-12-07", title, title,
                          (Article("1", title, "2026", "2026-02-03"),), ())
    data, problems = parse(dump(audit.IntegrityData({key: work}, {"fibromyalgia": search})))
    assert [p for p in problems if p.code != "integrity.no-reason"] == []
    assert data.works[key].acknowledged == reason.strip()
    assert data.searches["fibromyalgia"].articles[0].title == title.strip()
    assert data.searches["fibromyalgia"].pubmed_query == title.strip()


def test_one_notice_deposited_twice_is_one_notice():
    update = {"DOI": "10.5555/N", "type": "retraction", "updated": {"date-parts": [[2021, 5]]}}
    found = crossref_notices({"message": {"updated-by": [
        {**update, "source": "publisher"}, {**update, "DOI": "10.5555/n",
                                            "source": "retraction-watch"}]}})
    assert found == [Notice("retraction", "10.5555/N", "", "2021-05",
                            "publisher, retraction-watch")]


# --- the audit and the build -------------------------------------------------------------

def test_audit_records_notices_then_the_build_fails_at_each_citation(server, content, tmp_path):
    outcome = run_audit(content)
    written = (content / "integrity.yaml").read_text(encoding="utf-8")
    assert outcome.written
    assert outcome.notes == []
    block = written.split('  "retracted2020":\n', 1)[1].split('\n  "', 1)[0]
    assert block == (
        '    doi: "10.5555/fixture.retracted"\n    pmid: "99999001"\n    status: retracted\n'
        '    checked: "2026-12-07"\n    notices:\n      - type: retraction\n'
        '        doi: "10.5555/fixture.notice.r"\n        pmid: "99999101"\n'
        '        date: "2021-05-04"\n        source: "retraction-watch"')
    assert '  "pubmedonly2019":\n    pmid: "99999002"\n    status: retracted\n' in written
    assert '  "corrected2021":\n    doi: "10.5555/fixture.corrected"\n    status: corrected' \
        in written
    assert '  "sound2022":\n    doi: "10.5555/fixture.sound"\n    pmid: "99999004"\n    ' \
        'status: ok\n    checked: "2026-12-07"\n' in written
    # Polite identification, as `invoke cite` sends it.
    _, query, headers = next(r for r in server.calls if r[0].startswith("/crossref"))
    assert headers["User-Agent"] == "ldn-site-invoke-audit/1.0 (mailto:editor@example.org)"
    assert query["mailto"] == ["editor@example.org"]
    _, query, _ = next(r for r in server.calls if r[0] == "/eutils/efetch.fcgi")
    assert query["tool"] == ["ldn-site-invoke-audit"]
    assert query["email"] == ["editor@example.org"]
    assert query["id"] == ["99999001,99999002,99999004"]

    project = copy_project(tmp_path / "project", "integrity-site")
    shutil.copy2(content / "integrity.yaml", project / "content" / "integrity.yaml")
    (project / "output").mkdir()
    (project / "output" / "index.html").write_text("last good site", encoding="utf-8")
    before = snapshot(project / "output")
    done = invoke(project, "build")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "[integrity." in line]
    notice = "retraction notice doi:10.5555/fixture.notice.r (2021-05-04, retraction-watch)"
    how = ('cite another source; if the page discusses the retraction, add acknowledged: '
           '"<reason>" under {} in content/integrity.yaml [integrity.retracted]')
    assert lines == [
        f"content/articles/fibro.md:7:13: error: 'pubmedonly2019' is retracted: PubMed lists "
        f"PMID 99999002 as a 'Retracted Publication'; {how.format('pubmedonly2019')}",
        f"content/articles/fibro.md:14:28: error: 'retracted2020' is retracted: {notice}; "
        f"{how.format('retracted2020')}",
        "content/articles/fibro.md:14:68: warning: 'corrected2021' has correction "
        "doi:10.5555/fixture.notice.c (2022-03-15, publisher); check the page against it, "
        'then add acknowledged: "<reason>" under corrected2021 in content/integrity.yaml '
        "(what you checked); the reference list shows the notice either way "
        "[integrity.correction]",
        f"content/articles/fibro.md:15:56: error: 'retracted2020' is retracted: {notice}; "
        f"{how.format('retracted2020')}",
    ]
    assert snapshot(project / "output") == before


def acknowledge(path: Path, key: str, reason: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'  "{key}":\n', f'  "{key}":\n    acknowledged: "{reason}"\n'),
                    encoding="utf-8")


def test_acknowledged_retractions_build_with_a_visible_mark_and_survive_the_next_audit(
        server, content, tmp_path):
    run_audit(content)
    data_file = content / "integrity.yaml"
    acknowledge(data_file, "retracted2020", "The page discusses the retraction.")
    acknowledge(data_file, "pubmedonly2019", "Listed as an example of a retracted trial.")
    assert not run_audit(content).changes  # nothing new; the reasons are kept
    assert 'acknowledged: "The page discusses the retraction."' in data_file.read_text()

    result = run_build(tmp_path)
    assert result.ok, result.stderr
    assert [line for line in result.diagnostics if "[integrity." in line] == [
        "content/articles/fibro.md:14:68: warning: 'corrected2021' has correction "
        "doi:10.5555/fixture.notice.c (2022-03-15, publisher); check the page against it, "
        'then add acknowledged: "<reason>" under corrected2021 in content/integrity.yaml '
        "(what you checked); the reference list shows the notice either way "
        "[integrity.correction]"]
    page = result.html("fibro-article/")
    assert ('<strong>Retracted</strong> (<a href="https://doi.org/10.5555/fixture.notice.r">'
            "retraction notice, May 2021</a>)") in page
    assert ('<strong>Retracted</strong> (<a href="https://pubmed.ncbi.nlm.nih.gov/99999002/">'
            "retraction notice</a>)") in page  # further reading too
    assert ('<a href="https://doi.org/10.5555/fixture.notice.c">Correction published '
            "March 2022</a>") in page
    # Inside .ref-text, which the citation preview shows.
    entry = page.split('<li id="ref-retracted2020">', 1)[1].split("</li>", 1)[0]
    assert '<span class="ref-text">' in entry
    assert entry.index("<strong>Retracted</strong>") < entry.index("</span>")
    everything = result.html("references/")
    assert everything.count("<strong>Retracted</strong>") == 2
    assert "Correction published March 2022" in everything
    assert "Retracted" not in result.html("crps-article/")


def test_a_changed_doi_makes_the_old_record_about_another_work(server, content, tmp_path):
    run_audit(content)
    bib = content / "bibliography.bib"
    bib.write_text(bib.read_text().replace("10.5555/fixture.retracted", "10.5555/fixture.other")
                   .replace("99999001", "99999009"), encoding="utf-8")
    acknowledge(content / "integrity.yaml", "pubmedonly2019", "Discussed.")
    result = run_build(tmp_path, settings_file="publishconf.py", SITEURL="https://example.org")
    assert result.ok, result.stderr
    assert "fixture.notice.r" not in result.html("fibro-article/")
    assert [line for line in result.diagnostics if "integrity.unchecked" in line] == [
        "content/integrity.yaml:1:1: warning: 1 cited work has never been checked for "
        "retractions (or their DOI or PMID changed since): retracted2020; run `invoke audit`, "
        "or merge the weekly audit pull request [integrity.unchecked]"]


def test_old_checks_warn_in_publish_only(server, content, tmp_path):
    audit.run(settings_for(content), today=datetime.date(2026, 6, 1), http=quick_http(),
              intervals=NO_GAPS)
    for key, reason in (("retracted2020", "Discussed."), ("pubmedonly2019", "Discussed.")):
        acknowledge(content / "integrity.yaml", key, reason)
    published = run_build(tmp_path, settings_file="publishconf.py",
                          SITEURL="https://example.org", REVIEW_TODAY="2026-12-07")
    stale = [line for line in published.diagnostics if "integrity.stale" in line]
    assert len(stale) == 1
    assert stale[0].startswith("content/integrity.yaml:")
    assert stale[0].endswith(
        ": warning: 4 cited works were last checked for retractions more than 90 days ago "
        "(oldest: 'corrected2021', 2026-06-01); run `invoke audit`, or merge the weekly "
        "audit pull request [integrity.stale]")
    preview = run_build(tmp_path, REVIEW_TODAY="2026-12-07",
                        output=tmp_path / "preview")
    assert not [line for line in preview.diagnostics if "integrity.stale" in line]


def test_an_acknowledgement_without_a_reason_is_an_error(server, content, tmp_path):
    run_audit(content)
    acknowledge(content / "integrity.yaml", "retracted2020", "")
    result = run_build(tmp_path, command="check")
    assert result.returncode == 1
    lines = (content / "integrity.yaml").read_text().splitlines()
    where = lines.index('    acknowledged: ""') + 1
    assert [line for line in result.diagnostics if "integrity.no-reason" in line] == [
        f"content/integrity.yaml:{where}:19: error: 'acknowledged:' of 'retracted2020' gives no "
        'reason; write why the page may cite it, e.g. acknowledged: "the page discusses the '
        'retraction" [integrity.no-reason]']


# --- failures: one message, the file as it was ---------------------------------------------

def failing(status: int, headers: dict[str, str], body: bytes, delay: float = 0.0):
    def route(path: str, query: dict[str, list[str]]) -> Reply:
        if path.startswith("/crossref/works/10.5555/fixture.retracted"):
            return status, headers, body, delay
        return fixture_routes(path, query)
    return route


@pytest.mark.parametrize(("reply", "message"), [
    ((429, {"Retry-After": "30"}, b"slow down"),
     "Crossref is limiting requests (HTTP 429) and asked to wait 30 seconds; nothing was "
     "changed; run the audit again later"),
    ((200, {}, b"{not json", 1.6),
     "Crossref did not answer within 1 second; nothing was changed; try again later"),
    ((200, {}, b"{not json"),
     "Crossref's answer for 10.5555/fixture.retracted is not valid JSON (Expecting property "
     "name enclosed in double quotes: line 1 column 2 (char 1)); nothing was changed"),
], ids=["429-retry-after", "timeout", "malformed"])
def test_a_failure_gives_one_message_and_leaves_the_file_as_it_was(server, content, reply,
                                                                     message):
    data_file = content / "integrity.yaml"
    data_file.write_text("# the last good audit\nworks: {}\nnew_evidence: {}\n", encoding="utf-8")
    before = data_file.read_bytes()
    server.route = failing(*reply)
    with pytest.raises(AuditError) as failed:
        run_audit(content)
    assert str(failed.value) == message
    assert data_file.read_bytes() == before
    assert [p.name for p in content.iterdir() if p.name.startswith(".integrity")] == []


def test_a_short_retry_after_is_honoured(server, content):
    calls = []

    def route(path: str, query: dict[str, list[str]]) -> Reply:
        if path.startswith("/crossref/works/10.5555/fixture.retracted"):
            calls.append(path)
            if len(calls) == 1:
                return 429, {"Retry-After": "1"}, b"", 0.0
        return fixture_routes(path, query)

    server.route = route
    waits: list[float] = []
    outcome = run_audit(content, sleep=waits.append)
    assert len(calls) == 2
    assert 1.0 in waits
    assert outcome.data.works["retracted2020"].status == "retracted"


def test_the_audit_command_prints_one_line_and_exits_1(server, content):
    server.route = failing(200, {}, b"{not json", 1.0)
    done = subprocess.run(
        [sys.executable, "-m", "plugins.integrity.audit", "-s", str(ROOT / "pelicanconf.py"),
         str(content), "--deadline", "5", "--timeout", "0.5"],
        capture_output=True, text=True, timeout=60, check=False, cwd=content.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert done.stderr == ("invoke audit: Crossref did not answer within 0.5 seconds; nothing "
                           "was changed; try again later\n")
    assert not (content / "integrity.yaml").exists()


def test_a_redirect_to_another_host_is_refused(server, content):
    server.route = failing(302, {"Location": "http://example.org/elsewhere"}, b"")
    with pytest.raises(AuditError, match=r"Crossref redirected to another host \(example.org\)"):
        run_audit(content)


# --- new evidence ----------------------------------------------------------------------------

def test_new_evidence_lists_unseen_records_for_the_right_condition(server, content, tmp_path):
    outcome = run_audit(content)
    fibro = outcome.data.searches["fibromyalgia"]
    assert fibro.since == "2026-06-01"  # the fibromyalgia article's last review
    assert [a.pmid for a in fibro.articles] == ["99999050"]  # 99999004 is cited
    assert [t.nct for t in fibro.trials] == ["NCT09999901"]  # NCT09999902 is in the .bib
    crps = outcome.data.searches["crps"]
    assert (crps.since, crps.articles, crps.trials) == ("2026-09-01", (), ())
    _, query, _ = next(r for r in server.calls if r[0] == "/eutils/esearch.fcgi"
                       and "Fibromyalgia" in r[1]["term"][0])
    assert query["term"] == ['(naltrexone[tiab] AND ("low dose"[tiab] OR "low-dose"[tiab] OR '
                             'LDN[tiab])) AND ("Fibromyalgia"[tiab] OR "fibro"[tiab] OR '
                             '"FMS"[tiab])']
    assert (query["datetype"], query["mindate"], query["maxdate"]) == (
        ["edat"], ["2026/06/01"], ["2026/12/07"])
    _, query, _ = next(r for r in server.calls if r[0] == "/ctgov/studies"
                       and "Fibromyalgia" in r[1]["query.cond"][0])
    assert query["query.intr"] == ["naltrexone"]
    assert query["filter.advanced"] == ["AREA[LastUpdatePostDate]RANGE[2026-06-01,MAX]"]
    assert "fibromyalgia: new PubMed record PMID 99999050, \u201cA fixture trial of " \
        "low-dose naltrexone published after the review\u201d (2026)" in outcome.changes

    for key in ("retracted2020", "pubmedonly2019"):
        acknowledge(content / "integrity.yaml", key, "Discussed.")
    report = run_build(tmp_path, command="report")
    assert report.returncode == 0, report.stderr
    section = report.stdout.split("Sources and new evidence (from `invoke audit`):\n", 1)[1]
    assert section.split("written:")[0] == (
        "  content/articles/crps.md\n"
        "    sources: no retraction, correction or expression of concern known\n"
        "    nothing new found since the last review\n"
        "  content/articles/fibro.md\n"
        "    sources: 'retracted2020' retracted: retraction notice doi:10.5555/fixture.notice.r "
        "(2021-05-04, retraction-watch); acknowledged: Discussed.\n"
        "    sources: 'corrected2021' corrected: correction doi:10.5555/fixture.notice.c "
        "(2022-03-15, publisher)\n"
        "    sources: 'pubmedonly2019' retracted: PubMed lists PMID 99999002 as a 'Retracted "
        "Publication'; acknowledged: Discussed.\n"
        "    new since review: PMID 99999050: A fixture trial of low-dose naltrexone published "
        "after the review (2026) https://pubmed.ncbi.nlm.nih.gov/99999050/\n"
        "    new since review: NCT09999901: Fixture Trial of Low-Dose Naltrexone in "
        "Fibromyalgia (recruiting, updated 2026-10-02) "
        "https://clinicaltrials.gov/study/NCT09999901\n")
    assert "https://clinicaltrials.gov/study/NCT09999901" in (
        tmp_path / "reports" / "editorial.html").read_text()


def test_a_trial_status_change_is_recorded_and_reported(server, content):
    run_audit(content)
    studies = (API / "clinicaltrials-studies.json").read_bytes().replace(
        b'"RECRUITING"', b'"COMPLETED"')

    def route(path: str, query: dict[str, list[str]]) -> Reply:
        if path == "/ctgov/studies" and "Fibromyalgia" in query["query.cond"][0]:
            return 200, {}, studies, 0.0
        return fixture_routes(path, query)

    server.route = route
    outcome = run_audit(content)
    trial = outcome.data.searches["fibromyalgia"].trials[0]
    assert (trial.status, trial.previous_status) == ("COMPLETED", "RECRUITING")
    assert outcome.changes == [
        "fibromyalgia: trial NCT09999901 changed status from RECRUITING to COMPLETED"]


# --- the weekly workflow -------------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "audit.yml"
PR_STEP = "Open or update the pull request, if the data file changed"


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads `on:` as True
    return data


def test_the_workflow_is_weekly_least_privilege_and_blocks_no_deploy():
    data = workflow()
    assert data["on"] == {"schedule": [{"cron": "23 6 * * 1"}], "workflow_dispatch": None}
    assert data["permissions"] == {}
    assert data["jobs"]["audit"]["permissions"] == {"contents": "write",
                                                    "pull-requests": "write"}
    pinned = {line.split("uses: ", 1)[1] for path in WORKFLOW.parent.glob("*.yml")
              if path != WORKFLOW for line in path.read_text().splitlines() if "uses: " in line}
    uses = [step["uses"] for step in data["jobs"]["audit"]["steps"] if "uses" in step]
    assert uses
    assert all(re.fullmatch(r"[\w/-]+@[0-9a-f]{40}", u) for u in uses)
    assert set(uses) <= {p.split(" ", 1)[0] for p in pinned}  # the SHAs CI already pins
    deploy = (WORKFLOW.parent / "deploy.yml").read_text()
    assert "audit" not in deploy


def fake(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_pull_request_step_opens_one_then_updates_it(tmp_path):
    """The step's own script, run in a scratch clone with `gh` and `invoke` stood in for
    by scripts that record their arguments (GitHub is not reachable from the suite)."""
    step = next(s for s in workflow()["jobs"]["audit"]["steps"] if s.get("name") == PR_STEP)
    origin, work, bin_dir, temp = (tmp_path / n for n in ("origin.git", "work", "bin", "tmp"))
    for folder in (bin_dir, temp):
        folder.mkdir()
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(work))
    (work / "content").mkdir()
    (work / "content" / "integrity.yaml").write_text("works: {}\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "first")
    git(work, "push", "-q", "origin", "HEAD:main")
    log = tmp_path / "gh.log"
    fake(bin_dir, "gh", f'echo "$@" >> {log}\ncase "$*" in "pr list"*) '
                        f"cat {tmp_path}/open 2>/dev/null || echo 0;; esac")
    fake(bin_dir, "invoke", "echo 'content/articles/a.md:3:5: error: x [integrity.retracted]'; "
                            "exit 1")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "RUNNER_TEMP": str(temp),
           "BRANCH": "integrity-audit", "BASE": "main", "GH_TOKEN": "unused",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}

    def run_step() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=env,
                              capture_output=True, text=True, timeout=60, check=False)

    (temp / "audit.md").write_text("- no change\n", encoding="utf-8")
    done = run_step()
    assert done.returncode == 0, done.stderr
    assert "unchanged: no pull request" in done.stdout
    assert not log.exists()

    (work / "content" / "integrity.yaml").write_text("works: {a: {}}\n", encoding="utf-8")
    (temp / "audit.md").write_text("- `a`: retraction found\n", encoding="utf-8")
    done = run_step()
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "auth setup-git"
    assert calls[-1] == ("pr create --base main --head integrity-audit --title Integrity audit: "
                         f"retractions, corrections and new evidence --body-file {temp}/audit.md")
    body = (temp / "audit.md").read_text()
    assert body.startswith("- `a`: retraction found\n\n**The content check fails")
    assert "content/articles/a.md:3:5: error: x [integrity.retracted]" in body
    pushed = git(origin, "log", "-1", "--format=%B", "integrity-audit")
    assert pushed.startswith("Integrity audit: retractions, corrections and new evidence\n\n"
                             "- `a`: retraction found")

    (tmp_path / "open").write_text("1\n", encoding="utf-8")
    git(work, "switch", "-q", "main")
    (work / "content" / "integrity.yaml").write_text("works: {b: {}}\n", encoding="utf-8")
    (temp / "audit.md").write_text("- `b`: correction found\n", encoding="utf-8")
    assert run_step().returncode == 0
    assert log.read_text().splitlines()[-1] == (
        f"pr edit integrity-audit --body-file {temp}/audit.md")


def test_a_doi_crossref_does_not_know_is_a_note_and_pubmed_still_counts(server, content):
    def route(path: str, query: dict[str, list[str]]) -> Reply:
        if path == "/crossref/works/10.5555/fixture.sound":
            return 404, {}, b"Resource not found.", 0.0
        return fixture_routes(path, query)

    server.route = route
    outcome = run_audit(content)
    assert outcome.notes == ["sound2022: Crossref has no record of doi:10.5555/fixture.sound "
                             "(check it for a typo; a DataCite DOI is not in Crossref)"]
    assert outcome.data.works["sound2022"].status == "ok"  # PubMed answered for it
    assert outcome.data.works["sound2022"].checked == "2026-12-07"


def test_an_expression_of_concern_is_a_warning_with_its_own_code(content, tmp_path):
    concern = Work("corrected2021", "2026-12-07", "10.5555/fixture.corrected", notices=(
        Notice("expression_of_concern", "10.5555/fixture.eoc", "", "2023-02-01", "publisher"),
        Notice("correction", "10.5555/fixture.notice.c", "", "2022-03-15", "publisher")))
    (content / "integrity.yaml").write_text(dump(audit.IntegrityData({concern.key: concern})))
    result = run_build(tmp_path)
    assert result.ok, result.stderr
    assert [line for line in result.diagnostics if "[integrity." in line] == [
        "content/articles/fibro.md:14:68: warning: 'corrected2021' has expression of concern "
        "doi:10.5555/fixture.eoc (2023-02-01, publisher); check the page against it, then add "
        'acknowledged: "<reason>" under corrected2021 in content/integrity.yaml (what you '
        "checked); the reference list shows the notice either way [integrity.concern]"]
    assert ('<a href="https://doi.org/10.5555/fixture.eoc">Expression of concern published '
            "February 2023</a>") in result.html("fibro-article/")


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(
                        ["message", "updated-by", "type", "DOI", "updated", "date-parts",
                         "esearchresult", "idlist", "ERROR", "count", "result", "history",
                         "studies", "protocolSection", "identificationModule", "nctId",
                         "statusModule", "lastUpdatePostDateStruct", "nextPageToken", "1"]),
                        inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(data=JSON)
def test_an_answer_of_any_shape_is_read_or_refused_in_one_message(data):
    for reader in (crossref_notices, esearch_ids, lambda d: esummary_articles(d, ["1"]),
                   trial_records):
        with contextlib.suppress(AuditError):
            reader(data)


class Clock:
    """Time that passes only when the client sleeps: the gaps it keeps are exact."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        self.now += seconds


def test_requests_to_one_service_keep_its_rate_limit(server, content):
    clock = Clock()
    audit.run(settings_for(content), today=TODAY,
              http=quick_http(sleep=clock.sleep, clock=clock),
              intervals={"crossref": 0.5, "pubmed": 0.0, "clinicaltrials": 0.0})
    waits = clock.waits
    crossref = sum(1 for path, _, _ in server.calls if path.startswith("/crossref"))
    assert crossref == 3
    # The first Crossref request goes at once; each later one waits 0.5 s after the last.
    assert waits == [0.5] * (crossref - 1)


def test_a_broken_data_file_stops_the_audit_before_any_request(server, content):
    data_file = content / "integrity.yaml"
    data_file.write_text('works:\n  "a": [unclosed\n', encoding="utf-8")
    with pytest.raises(AuditError) as failed:
        run_audit(content)
    assert str(failed.value).startswith(
        f"{data_file}:3:1: the integrity data file is not valid YAML: ")
    assert str(failed.value).endswith("; fix it first (the audit keeps its acknowledged: "
                                      "reasons); nothing was changed")
    assert server.calls == []
    assert data_file.read_text() == 'works:\n  "a": [unclosed\n'


def test_queries_come_from_the_registry_and_an_editor_can_replace_them():
    registry, problems = parse_registry(
        "groups:\n  - {slug: g, name: G}\nconditions:\n"
        "  - {slug: crps, name: Complex regional pain syndrome (CRPS), group: g, summary: S,\n"
        "     synonyms: [CRPS, RSD]}\n"
        "  - {slug: ms, name: Multiple sclerosis, group: g, summary: S,\n"
        "     pubmed_query: 'naltrexone[tiab] AND multiple sclerosis[mh]',\n"
        "     trials_query: multiple sclerosis}\n")
    assert problems == []
    crps, ms = registry.get("crps"), registry.get("ms")
    assert pubmed_query(crps) == (
        '(naltrexone[tiab] AND ("low dose"[tiab] OR "low-dose"[tiab] OR LDN[tiab])) AND '
        '("Complex regional pain syndrome"[tiab] OR "CRPS"[tiab] OR "RSD"[tiab])')
    assert trials_query(crps) == '"Complex regional pain syndrome" OR CRPS OR RSD'
    assert pubmed_query(ms) == "naltrexone[tiab] AND multiple sclerosis[mh]"
    assert trials_query(ms) == "multiple sclerosis"


def test_a_new_notice_needs_a_new_acknowledgement(server, content, tmp_path):
    run_audit(content)
    for key in ("retracted2020", "pubmedonly2019"):
        acknowledge(content / "integrity.yaml", key, "Discussed.")
    acknowledge(content / "integrity.yaml", "corrected2021", "Checked the correction.")
    retracted = (API / "crossref-corrected.json").read_bytes().replace(
        b'"type": "new_version"', b'"type": "retraction"')

    def route(path: str, query: dict[str, list[str]]) -> Reply:
        if path == "/crossref/works/10.5555/fixture.corrected":
            return 200, {}, retracted, 0.0
        return fixture_routes(path, query)

    server.route = route
    outcome = run_audit(content)
    assert outcome.changes == [
        "`corrected2021`: retraction notice doi:10.5555/fixture.v2 (2023-01-09, publisher); "
        "the work is now marked retracted",
        "`corrected2021`: its acknowledgement (\u201cChecked the correction.\u201d) was given "
        "for other notices and was removed: read the new one, then acknowledge it again if the "
        "page still cites the work"]
    assert outcome.data.works["corrected2021"].acknowledged is None
    assert outcome.data.works["retracted2020"].acknowledged == "Discussed."
    result = run_build(tmp_path, command="check")
    assert result.returncode == 1
    assert [line.split(": error: ")[0] for line in result.diagnostics
            if "[integrity.retracted]" in line] == ["content/articles/fibro.md:14:68"]


def test_an_answer_over_the_size_cap_is_refused(server, content):
    server.route = failing(200, {}, b" " * 5000)
    with pytest.raises(AuditError) as failed:
        run_audit(content, max_bytes=4000)
    assert str(failed.value) == "Crossref's answer is larger than 4000 bytes; nothing was changed"
    assert not (content / "integrity.yaml").exists()


def test_the_whole_run_keeps_to_its_deadline(server, content):
    def slow(path: str, query: dict[str, list[str]]) -> Reply:
        status, headers, body, _ = fixture_routes(path, query)
        return status, headers, body, 0.3

    server.route = slow
    started = time.monotonic()
    with pytest.raises(AuditError) as failed:
        run_audit(content, deadline=0.5)
    assert time.monotonic() - started < 1.5
    assert re.fullmatch(r"(Crossref|PubMed): the audit's deadline of 0\.5 seconds passed; "
                        r"nothing was changed; run it again later", str(failed.value))
    assert not (content / "integrity.yaml").exists()


def test_a_stricter_rate_limit_a_service_states_is_kept(server, content):
    def route(path: str, query: dict[str, list[str]]) -> Reply:
        status, headers, body, delay = fixture_routes(path, query)
        if path.startswith("/crossref"):
            headers = {**headers, "X-Rate-Limit-Limit": "2", "X-Rate-Limit-Interval": "1s"}
        return status, headers, body, delay

    server.route = route
    clock = Clock()
    run_audit(content, sleep=clock.sleep, clock=clock)  # our own gaps are 0 in the tests
    assert clock.waits == [0.5, 0.5]  # before the second and the third Crossref request


@pytest.mark.browser
def test_the_citation_preview_shows_the_retracted_mark_and_its_link(new_tab, tmp_path):
    """In Chromium, on a phone: tapping the citation of an acknowledged retracted work opens
    a preview that says "Retracted" and links to the notice."""
    shutil.copytree(FIXTURES / "integrity-site", tmp_path / "content")
    works = {
        "retracted2020": Work("retracted2020", "2026-12-07", "10.5555/fixture.retracted",
                              "99999001", (Notice("retraction", "10.5555/fixture.notice.r", "",
                                                  "2021-05-04", "retraction-watch"),),
                              "The page discusses the retraction."),
        "pubmedonly2019": Work("pubmedonly2019", "2026-12-07", pmid="99999002",
                               notices=(Notice("retraction", source="pubmed"),),
                               acknowledged="Discussed."),
    }
    (tmp_path / "content" / "integrity.yaml").write_text(dump(audit.IntegrityData(works)))
    result = run_build(tmp_path)
    assert result.ok, result.stderr
    page = new_tab(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True,
                   reduced_motion="reduce")
    try:
        with serve(result.output) as url:
            page.goto(f"{url}/fibro-article/")
            link = page.locator(".citation a").first
            link.scroll_into_view_if_needed()
            link.tap()
            dialog = page.get_by_role("dialog")
            dialog.wait_for(state="visible")
            assert "Retracted (retraction notice, May 2021)" in " ".join(
                dialog.inner_text().split())
            assert dialog.get_by_role("link", name="retraction notice, May 2021") \
                .get_attribute("href") == "https://doi.org/10.5555/fixture.notice.r"
    finally:
        page.close()


def test_a_dry_run_reports_the_changes_and_writes_nothing(server, content):
    outcome = audit.run(settings_for(content), today=TODAY, http=quick_http(),
                        intervals=NO_GAPS, dry_run=True)
    assert not outcome.written
    assert not (content / "integrity.yaml").exists()
    assert outcome.changes[:2] == [
        "`corrected2021`: correction doi:10.5555/fixture.notice.c (2022-03-15, publisher); "
        "the work is now marked corrected",
        "`pubmedonly2019`: PubMed lists PMID 99999002 as a 'Retracted Publication'; the work "
        "is now marked retracted"]


def test_a_data_file_not_saved_as_utf8_is_one_located_error(tmp_path: Path) -> None:
    from plugins.integrity.data import load  # noqa: PLC0415

    path = tmp_path / "integrity.yaml"
    path.write_bytes(b"works: {}\n# \xff a hand edit in another encoding\n")
    data, findings = load(path)
    assert data.works == {}
    assert [(*f.position, f.code, f.message) for f in findings] == [
        (2, 3, "integrity.bad-data", "the file is not saved as UTF-8")]


@pytest.mark.parametrize(("text", "expected"), [
    ("works: 5\n", [(1, 8, "'works' must be a mapping, one entry per key")]),
    ("works: {}\nnew_evidence: [x]\n",
     [(2, 15, "'new_evidence' must be a mapping, one entry per key")]),
    # A list turned into a mapping by hand would silently drop the retraction.
    ("works:\n  k:\n    notices: {type: retraction}\n",
     [(3, 14, "'notices' of 'k' must be a list (lines starting '- ')")]),
])
def test_a_hand_edit_of_the_wrong_shape_is_a_located_error(text, expected) -> None:
    _, findings = parse(text)
    assert [(*f.position, f.message) for f in findings] == expected
    assert {f.code for f in findings} == {"integrity.bad-data"}
