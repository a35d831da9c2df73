"""`invoke cite`: a DOI or PMID fetched from a local HTTP server on 127.0.0.1 that serves
recorded responses in Crossref's and PubMed's shapes (synthetic, written by hand: see
tests/fixtures/cite/README.md). No test touches the network."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_api import LocalServer, Reply

from conftest import FIXTURES
from plugins.citations.bibliography import load_files
from plugins.citations.download import Limits
from plugins.citations.fetch import cite, from_crossref
from plugins.citations.newentry import (
    CiteError,
    append_checked,
    expand_pages,
    new_key,
    to_bibtex,
)

ROOT = Path(__file__).resolve().parent.parent
RECORDED = FIXTURES / "cite"
DOI = "10.5555/example.2024.001"
EXISTING = (b"% A bibliography as an editor left it: CRLF here,\r\n"
            b"@article{doe2024,\n  author = {Doe, John},\n  title = {Another},\n"
            b"  journal = {J},\n  year = {2024},\n  doi = {10.1000/other}\n}")  # no final \n


class Server(LocalServer):
    """Routes: path (without query) -> (status, headers, body, delay in seconds), or a
    function that writes the whole answer itself (for drips, redirects, huge bodies)."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Callable] = {}
        super().__init__(self.route)

    def route(self, handler: BaseHTTPRequestHandler) -> Reply | None:
        route = self.routes.get(handler.path.split("?")[0], (404, {}, b"not found", 0))
        if callable(route):
            route(handler)
            return None
        return route


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with Server().running() as served:
        monkeypatch.setenv("CROSSREF_API_URL", served.url + "/crossref")
        monkeypatch.setenv("PUBMED_EUTILS_URL", served.url + "/eutils")
        monkeypatch.setenv("CITE_MAILTO", "editor@example.org")
        yield served


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


# --- Hostile answers: the .bib is either untouched or gains exactly one well-formed entry.

HOSTILE = {
    "DOI": DOI,
    "title": ["Pain}, note = {x}\n@misc{evil, title = {owned}\u2028} \\input{/etc/passwd} "
              "~50% ^2 & a_b\x00\x1b[31m\u200b"],
    "author": [{"family": "Doe}\n@misc{x,", "given": "Jane{"},
               {"family": "Smith and Jones", "given": "A"}, {"name": "Group\r\nName}"}],
    "container-title": ["J" * 5000],
    "short-container-title": ["J Ex}\nStud"],
    "volume": "12}, note = {x", "issue": "2\n@misc{y,", "page": "101-109}\n@misc{z,",
    "issued": {"date-parts": [["2024}"]]},
}
HOSTILE_ENTRY = (
    f"% Added by `invoke cite` from Crossref, DOI {DOI}; check it against the article.\n"
    "% Left out, malformed in the record: year, volume, number, pages; copy them from the "
    "article if needed\n"
    "% Shortened, longer than any real one: journal; check it against the article\n"
    f"% UNVERIFIED: year (not in the Crossref, DOI {DOI} record, or malformed there)\n"
    "@article{doemiscx,\n"
    "  author       = {{Doe @miscx,}, Jane and {Smith and Jones}, A and {Group Name}},\n"
    "  title        = {Pain, note = x @miscevil, title = owned input/etc/passwd "
    "{\\textasciitilde}50\\% {\\textasciicircum}2 \\& a\\_b [31m},\n"
    f"  journal      = {{{'J' * 300}…}},\n"
    "  shortjournal = {J Ex Stud},\n"
    f"  doi          = {{{DOI}}}\n"
    "}\n")


def entries_of(path: Path) -> list[str]:
    loaded = load_files([path])
    assert (loaded.problems, loaded.unreadable) == ([], [])
    return list(loaded.entries)


def test_every_hostile_field_is_escaped_checked_or_left_out(server: Server, bib: Path) -> None:
    crossref(server, body=json.dumps({"message": HOSTILE}).encode())
    cite(bib, doi=DOI)
    assert bib.read_bytes() == EXISTING + b"\n\n" + HOSTILE_ENTRY.encode("utf-8")
    assert entries_of(bib) == ["doe2024", "doemiscx"]
    entry = load_files([bib]).entries["doemiscx"]
    assert [a.get("family") or a.get("literal") for a in entry.csl["author"]] == [
        "Doe @miscx,", "Smith and Jones", "Group Name"]


def test_a_hostile_pubmed_doi_pmcid_and_types_stay_out(server: Server, bib: Path) -> None:
    xml = (RECORDED / "pubmed-efetch.xml").read_text(encoding="utf-8")
    xml = xml.replace(f'"doi">{DOI}<', '"doi">10.5555/x}\n@misc{evil, title={x}}<')
    xml = xml.replace(">PMC9999901<", ">PMC1}\n@misc{e2,<")
    xml = xml.replace(">Journal Article<", ">Trial}\n@misc{e3,<")
    xml = xml.replace("<Year>2024</Year>", "<Year>0001</Year>")
    pubmed(server, xml.encode())
    cite(bib, pmid="99999901")
    added = bib.read_bytes()[len(EXISTING):].decode()
    assert added.lstrip().splitlines()[1:5] == [
        "% Suggested study design for the evidence records: randomised controlled trial "
        "(PubMed publication types: Randomized Controlled Trial)",
        "% Left out, malformed in the record: year, doi, pmcid; copy them from the article "
        "if needed",
        "% UNVERIFIED: year (not in the PubMed, PMID 99999901 record, or malformed there)",
        "@article{doe,"]
    assert "@misc" not in added
    assert "evil" not in added
    assert entries_of(bib) == ["doe2024", "doe"]


@pytest.mark.parametrize("doi", [f"{DOI}\n@misc{{evil,", f"{DOI}}}", "10.5555/a b",
                                 "10.5555/" + "x" * 201, "10.5555/%0A"])
def test_a_doi_outside_the_grammar_is_refused_before_any_request(
        server: Server, bib: Path, doi: str) -> None:
    with pytest.raises(CiteError, match=r"is not a DOI; write it as 10\.1111/"):
        cite(bib, doi=doi)
    assert server.requests == []
    assert bib.read_bytes() == EXISTING


def test_an_answer_for_another_doi_is_refused(server: Server, bib: Path) -> None:
    crossref(server, body=json.dumps({"message": {"DOI": "10.5555/other", "title": "T"}})
             .encode())
    with pytest.raises(CiteError) as raised:
        cite(bib, doi=DOI)
    assert str(raised.value) == (f"Crossref answered with another work (DOI '10.5555/other', "
                                 f"not {DOI}); nothing was changed")
    assert bib.read_bytes() == EXISTING


@pytest.mark.parametrize(("message", "expected"), [
    ({"title": "T", "author": "Doe"}, "Crossref's answer has text in message.author, where "
     "a list of objects is expected; nothing was changed"),
    ({"title": "T", "volume": {"a": 1}}, "Crossref's answer has an object in message.volume, "
     "where text is expected; nothing was changed"),
    ({"title": "T", "author": [{"family": ["Doe", 2], "given": None}, {"family": 3.5}]},
     "Crossref's answer has a number in message.author[1].family, where text is expected; "
     "nothing was changed"),
    ({"title": "T", "issued": "2024"}, "Crossref's answer has text in message.issued, where "
     "a date is expected; nothing was changed"),
    ({"title": [True]}, "Crossref's answer has true or false in message.title, where text "
     "is expected; nothing was changed"),
])
def test_a_wrongly_typed_field_is_one_message(server: Server, bib: Path, message: dict,
                                              expected: str) -> None:
    crossref(server, body=json.dumps({"message": {"DOI": DOI, **message}}).encode())
    with pytest.raises(CiteError) as raised:
        cite(bib, doi=DOI)
    assert str(raised.value) == expected
    assert bib.read_bytes() == EXISTING


def test_deeply_nested_json_is_one_message(server: Server, bib: Path) -> None:
    crossref(server, body=b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(CiteError) as raised:
        cite(bib, doi=DOI)
    assert str(raised.value) == ("Crossref's answer is nested too deeply to be a record; "
                                 "nothing was changed")


def test_xml_entities_are_refused(server: Server, bib: Path) -> None:
    pubmed(server, b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                   b"<PubmedArticleSet>&b;</PubmedArticleSet>")
    with pytest.raises(CiteError) as raised:
        cite(bib, pmid="99999901")
    assert str(raised.value) == ("PubMed's answer declares XML entities, which a PubMed "
                                 "record never does; nothing was changed")


def huge_claimed(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(100_000_000))
    handler.end_headers()
    handler.wfile.write(b'{"message": {"title": "')
    time.sleep(5)  # never reached: the length alone is refused


def huge_streamed(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.end_headers()  # no length: the body runs until the connection closes
    handler.wfile.write(b'{"message": {"DOI": "' + DOI.encode() + b'", "title": "')
    for _ in range(100):
        handler.wfile.write(b"x" * 1_000_000)


def drip(handler: BaseHTTPRequestHandler, headers_too: bool = False) -> None:
    if headers_too:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 100:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.05)
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):  # one byte each 0.05 s: each read is quick, the whole is not
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.05)


@pytest.mark.parametrize(("respond", "limits", "expected"), [
    (huge_claimed, Limits(deadline=5),
     "Crossref's answer is larger than 5,000,000 bytes, more than any one record; nothing "
     "was changed"),
    (huge_streamed, Limits(deadline=5, max_bytes=200_000),
     "Crossref's answer is larger than 200,000 bytes, more than any one record; nothing was "
     "changed"),
    (drip, Limits(deadline=0.6), "Crossref did not answer within 0.6 seconds; try again later"),
    (lambda h: drip(h, headers_too=True), Limits(deadline=0.6),
     "Crossref did not answer within 0.6 seconds; try again later"),
])
def test_huge_and_slow_answers_end_in_time(server: Server, bib: Path, respond, limits: Limits,
                                           expected: str) -> None:
    server.routes[f"/crossref/works/{DOI}"] = respond
    began = time.monotonic()
    with pytest.raises(CiteError) as raised:
        cite(bib, doi=DOI, limits=limits)
    assert str(raised.value) == expected
    assert time.monotonic() - began < limits.deadline + 2  # a loaded machine: a margin
    assert bib.read_bytes() == EXISTING


def redirect(location: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return respond


def test_a_redirect_on_the_same_host_is_followed(server: Server, bib: Path) -> None:
    server.routes[f"/crossref/works/{DOI}"] = redirect("/moved")
    server.routes["/moved"] = (200, {}, (RECORDED / "crossref-work.json").read_bytes(), 0)
    cite(bib, doi=DOI)
    assert bib.read_bytes() == EXISTING + b"\n\n" + DOI_ENTRY.encode("utf-8")


@pytest.mark.parametrize(("routes", "expected"), [
    ({f"/crossref/works/{DOI}": "/a", "/a": f"/crossref/works/{DOI}"},
     "Crossref redirected in a loop; try again later"),
    ({f"/crossref/works/{DOI}": "/r0", **{f"/r{i}": f"/r{i + 1}" for i in range(10)}},
     "Crossref redirected more than 5 times; try again later"),
    ({f"/crossref/works/{DOI}": "http://localhost:{port}/x"},
     "Crossref redirected to another host (localhost); nothing was fetched from there and "
     "nothing was changed"),
    ({f"/crossref/works/{DOI}": "https://evil.example/x"},
     "Crossref redirected to another host (evil.example); nothing was fetched from there and "
     "nothing was changed"),
])
def test_redirects_leave_neither_the_host_nor_the_loop(server: Server, bib: Path, routes,
                                                      expected: str) -> None:
    port = server.httpd.server_address[1]
    for path, location in routes.items():
        server.routes[path] = redirect(location.replace("{port}", str(port)))
    with pytest.raises(CiteError) as raised:
        cite(bib, doi=DOI)
    assert str(raised.value) == expected
    assert len(server.requests) <= 6
    assert bib.read_bytes() == EXISTING


@pytest.mark.parametrize("text", [
    "@article{new2024,\n  title = {A}\n}\n@misc{evil,\n  title = {B}\n}\n",  # two entries
    "@article{new2024,\n  title = {A\n",  # does not parse
    "@article{doe2024,\n  title = {A}\n}\n",  # the key it was given is not the one written
])
def test_an_append_that_does_not_read_back_restores_the_file(bib: Path, text: str) -> None:
    before = load_files([bib])
    with pytest.raises(CiteError) as raised:
        append_checked(bib, text, "new2024", before)
    assert str(raised.value) == ("the new entry 'new2024' did not read back as exactly one "
                                 "entry; bibliography.bib was not changed: add the entry by hand")
    assert bib.read_bytes() == EXISTING
    assert sorted(p.name for p in bib.parent.iterdir()) == ["bibliography.bib"]


def test_the_task_takes_a_pmid_as_the_readme_writes_it(server: Server) -> None:
    pubmed(server)
    done = subprocess.run([sys.executable, "-m", "invoke", "cite", "--pmid", "99999901",
                           "--dry-run"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("% Added by `invoke cite` from PubMed, PMID "
                                           "99999901; check it against the article.")
    assert "  pmid         = {99999901}," in done.stdout.splitlines()


HOSTILE_TEXT = st.lists(st.sampled_from(
    [*"{}\\\n\r@,=%&#_~^\"' aZ09.-", "\u2028", "\x00", "\u200b", " and ", "@misc{x,",
     "}\n@article{y,", "\u0410"]), max_size=15).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE_TEXT, family=HOSTILE_TEXT, given_name=HOSTILE_TEXT, group=HOSTILE_TEXT,
       journal=HOSTILE_TEXT, volume=HOSTILE_TEXT, issue=HOSTILE_TEXT, page=HOSTILE_TEXT,
       year=st.one_of(HOSTILE_TEXT, st.integers(-10, 3000)))
def test_any_field_values_give_one_well_formed_entry_or_nothing(
        tmp_path_factory: pytest.TempPathFactory, title: str, family: str, given_name: str,
        group: str, journal: str, volume: str, issue: str, page: str, year: str | int) -> None:
    """Whatever a service puts in a work's fields, the file gains exactly one entry with
    the key it was given, or is left byte for byte as it was."""
    bib = tmp_path_factory.mktemp("bib") / "bibliography.bib"
    bib.write_bytes(EXISTING)
    message = {"DOI": DOI, "title": [title or "T"], "container-title": [journal],
               "author": [{"family": family, "given": given_name}, {"name": group}],
               "volume": volume, "issue": issue, "page": page,
               "issued": {"date-parts": [[year]]}}
    try:
        work = from_crossref({"message": message}, DOI)
        before = load_files([bib])
        key = new_key(work, set(before.entries))
        append_checked(bib, to_bibtex(work, key, f"Crossref, DOI {DOI}"), key, before)
    except CiteError:
        assert bib.read_bytes() == EXISTING
        return
    assert bib.read_bytes().startswith(EXISTING)
    assert entries_of(bib) == ["doe2024", key]
