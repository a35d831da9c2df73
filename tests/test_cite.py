"""`invoke cite`: a DOI or PMID fetched from a local HTTP server on 127.0.0.1 that serves
recorded responses in Crossref's and PubMed's shapes (synthetic, written by hand: see
tests/fixtures/cite/README.md). No test touches the network."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import FIXTURES
from plugins.citations.bibliography import load_files
from plugins.citations.fetch import cite
from plugins.citations.newentry import CiteError, expand_pages

ROOT = Path(__file__).resolve().parent.parent
RECORDED = FIXTURES / "cite"
DOI = "10.5555/example.2024.001"
EXISTING = (b"% A bibliography as an editor left it: CRLF here,\r\n"
            b"@article{doe2024,\n  author = {Doe, John},\n  title = {Another},\n"
            b"  journal = {J},\n  year = {2024},\n  doi = {10.1000/other}\n}")  # no final \n


class Server:
    """Routes: path (with query) -> (status, headers, body, delay in seconds)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes, float]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                status, headers, body, delay = server.routes.get(
                    self.path.split("?")[0], (404, {}, b"not found", 0))
                time.sleep(delay)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    served = Server()
    thread = threading.Thread(target=served.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    monkeypatch.setenv("CROSSREF_API_URL", served.url + "/crossref")
    monkeypatch.setenv("PUBMED_EUTILS_URL", served.url + "/eutils")
    monkeypatch.setenv("CITE_MAILTO", "editor@example.org")
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "bibliography.bib"
    path.write_bytes(EXISTING)
    return path


def crossref(server: Server, status: int = 200, body: bytes | None = None,
             headers: dict[str, str] | None = None, delay: float = 0) -> None:
    server.routes[f"/crossref/works/{DOI}"] = (
        status, {"Content-Type": "application/json", **(headers or {})},
        (RECORDED / "crossref-work.json").read_bytes() if body is None else body, delay)


def pubmed(server: Server, body: bytes | None = None) -> None:
    server.routes["/eutils/efetch.fcgi"] = (
        200, {"Content-Type": "text/xml"},
        (RECORDED / "pubmed-efetch.xml").read_bytes() if body is None else body, 0)


DOI_ENTRY = f"""% Added by `invoke cite` from Crossref, DOI {DOI}; check it against the article.
@article{{doe2024a,
  author       = {{Doe, Jane and Núñez, José and {{Example Study Group}}}},
  title        = {{Low-dose naltrexone \\& sleep: a synthetic example}},
  journal      = {{Journal of Example Studies}},
  shortjournal = {{J Ex Stud}},
  year         = {{2024}},
  volume       = {{12}},
  number       = {{2}},
  pages        = {{101--109}},
  doi          = {{{DOI}}}
}}
"""


def test_a_doi_is_appended_byte_exactly(server: Server, bib: Path) -> None:
    crossref(server)
    message = cite(bib, doi=f"https://doi.org/{DOI}")
    assert message == (DOI_ENTRY + "\nAdded 'doe2024a' to bibliography.bib: "
                       "cite it with [@doe2024a].")
    data = bib.read_bytes()
    assert data == EXISTING + b"\n\n" + DOI_ENTRY.encode("utf-8")  # nothing before it changed
    path, headers = server.requests[0]
    assert path == f"/crossref/works/{DOI}?mailto=editor%40example.org"
    assert headers["User-Agent"] == "ldn-site-invoke-cite/1.0 (mailto:editor@example.org)"
    loaded = load_files([bib])
    assert (loaded.problems, loaded.unreadable) == ([], [])
    assert loaded.entries["doe2024a"].csl["container-title-short"] == "J Ex Stud"


def test_a_pmid_gives_pubmed_ids_abbreviation_and_a_design_suggestion(
        server: Server, bib: Path) -> None:
    pubmed(server)
    text = cite(bib, pmid="99999901", dry_run=True)
    assert text == (
        "% Added by `invoke cite` from PubMed, PMID 99999901; check it against the article.\n"
        "% Suggested study design for the evidence records: randomised controlled trial "
        "(PubMed publication types: Journal Article; Randomized Controlled Trial)\n"
        "@article{doe2024a,\n"
        "  author       = {Doe, Jane and Núñez, José and {Example Study Group}},\n"
        "  title        = {Low-dose naltrexone and sleep: a synthetic example},\n"
        "  journal      = {Journal of example studies},\n"
        "  shortjournal = {J Ex Stud},\n"
        "  year         = {2024},\n"
        "  volume       = {12},\n"
        "  number       = {2},\n"
        "  pages        = {101--109},\n"
        f"  doi          = {{{DOI}}},\n"
        "  pmid         = {99999901},\n"
        "  pmcid        = {PMC9999901}\n"
        "}\n")
    assert bib.read_bytes() == EXISTING  # --dry-run changes nothing
    path, _ = server.requests[0]
    assert path == ("/eutils/efetch.fcgi?db=pubmed&id=99999901&retmode=xml"
                    "&tool=ldn-site-invoke-cite&email=editor%40example.org")


@pytest.mark.parametrize(("existing", "expected"), [
    (b"@article{younger2009,\n  title = {T},\n  doi = {10.5555/EXAMPLE.2024.001}\n}\n",
     f"bibliography.bib already has DOI {DOI} as 'younger2009' (line 1); nothing was added"),
    (b"\n@article{x2020,\n  title = {T},\n  pmid = {99999901}\n}\n",
     "bibliography.bib already has PMID 99999901 as 'x2020' (line 2); nothing was added"),
])
def test_a_work_already_there_is_refused(server: Server, tmp_path: Path, existing: bytes,
                                         expected: str) -> None:
    pubmed(server)
    path = tmp_path / "bibliography.bib"
    path.write_bytes(existing)
    with pytest.raises(CiteError) as raised:
        cite(path, pmid="99999901")
    assert str(raised.value) == expected
    assert path.read_bytes() == existing


@pytest.mark.parametrize(("serve", "expected"), [
    (lambda s: None, "Crossref has no record for this identifier (404); check it for typos"),
    (lambda s: crossref(s, 429, b"{}", {"Retry-After": "30"}),
     "Crossref is limiting requests (429); try again in 30 seconds"),
    (lambda s: crossref(s, 200, b'{"status": "ok", "message": {'),
     "Crossref's answer is not valid JSON (Expecting property name enclosed in double quotes:"
     " line 1 column 30 (char 29)); nothing was changed"),
    (lambda s: crossref(s, 200, b'{"status": "ok", "message": {"DOI": "x"}}'),
     "Crossref's answer has no work in it (no message.title); nothing was changed"),
    (lambda s: crossref(s, 503, b""), "Crossref answered with HTTP 503; try again later"),
    (lambda s: crossref(s, delay=1.5),
     "Crossref did not answer within 0.5 seconds; try again later"),
])
def test_each_failure_is_one_message_and_changes_nothing(server: Server, bib: Path, serve,
                                                         expected: str) -> None:
    serve(server)
    with pytest.raises(CiteError) as raised:
        cite(bib, doi=DOI, timeout=0.5)
    assert str(raised.value) == expected
    assert bib.read_bytes() == EXISTING


@pytest.mark.parametrize(("body", "expected"), [
    (b"<PubmedArticleSet><PubmedArticle>", "PubMed's answer is not valid XML (no element "
     "found: line 1, column 33); nothing was changed"),
    (b"<PubmedArticleSet></PubmedArticleSet>",
     "PubMed has no record with PMID 99999901; check it for typos"),
])
def test_bad_pubmed_answers(server: Server, bib: Path, body: bytes, expected: str) -> None:
    pubmed(server, body)
    with pytest.raises(CiteError) as raised:
        cite(bib, pmid="99999901")
    assert str(raised.value) == expected
    assert bib.read_bytes() == EXISTING


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"doi": "not-a-doi"},
     "'not-a-doi' is not a DOI; write it as 10.1111/j.1526-4637.2009.00613.x"),
    ({"pmid": "PMID 1"}, "'PMID 1' is not a PMID; write the digits only, e.g. 19453963"),
    ({}, "give one DOI (invoke cite 10.1111/...) or one PMID (invoke cite --pmid 19453963)"),
])
def test_bad_input_is_refused_before_any_request(server: Server, bib: Path, kwargs,
                                                 expected: str) -> None:
    with pytest.raises(CiteError) as raised:
        cite(bib, **kwargs)
    assert str(raised.value) == expected
    assert server.requests == []


@pytest.mark.parametrize(("pages", "expected"), [
    ("663-72", "663--672"), ("101-109", "101--109"), ("e1080", "e1080"), ("S3-13", "S3--S13")])
def test_medline_pages_are_expanded(pages: str, expected: str) -> None:
    assert expand_pages(pages) == expected


def test_the_task_prints_one_line_on_failure(server: Server) -> None:
    done = subprocess.run([sys.executable, "-m", "invoke", "cite", "--dry-run", DOI],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == ("invoke cite: Crossref has no record for this identifier "
                                   "(404); check it for typos")


def test_the_build_never_imports_an_http_client() -> None:
    code = ("import sys, plugins.citations.plugin, plugins.citations.state; "
            "print('httpx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "False"
