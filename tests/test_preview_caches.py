"""The preview's caches, each keyed on everything its result depends on: a test for every
part of a key, which fails if that part is dropped (the equality property in
test_preview_equality.py checks the whole preview against clean builds)."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import gc
import operator
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import FileOverwriteFailedError

from plugins.citations.bibliography import load_files
from plugins.citations.page import CitedIn, ReferencesPage, SiteReference
from plugins.citations.render import NO_NOTES, ReferenceList
from plugins.diagnostics import Build, Report
from plugins.editorial.visible import text_hits
from plugins.evidence.records import Study
from plugins.evidence.vocabulary import DESIGNS, DIRECTIONS
from plugins.pipeline.page import Page
from plugins.preview.fingerprint import Digester
from plugins.preview.loaded import Bibliographies
from plugins.preview.memo import (
    TwoGenerations,
    memo_relative_source_path,
    memo_sanitise,
    memo_text_hits,
)
from plugins.preview.pagecache import _rebound, unbound
from plugins.preview.reads import RecordingContext
from plugins.preview.writer import SkippingWriter, WriterState
from plugins.safety.state import Safety
from plugins.sanitise.clean import sanitise
from plugins.sources.templates import CompiledTemplates

SOURCE = "/site/content/articles/a.md"
TEMPLATE = "{% if x %}\n  <p>{{ x|upper }}</p>\n{% endif %}\n"


def environment(cache: CompiledTemplates, source: str = TEMPLATE, **options) -> Environment:
    return Environment(loader=DictLoader({"t.html": source}), bytecode_cache=cache,
                       autoescape=True, **options)


def test_compiled_templates_are_reused_only_for_the_same_source_and_environment():
    cache = CompiledTemplates()
    first = environment(cache, trim_blocks=True).get_template("t.html")
    assert first.render(x="a") == "  <p>A</p>\n"
    assert environment(cache, trim_blocks=True).get_template("t.html").render(x="a") == (
        "  <p>A</p>\n")
    assert len(cache.code) == 1  # a second environment took the first one's code
    # The same source, compiled by an environment set up otherwise, compiles otherwise.
    assert environment(cache).get_template("t.html").render(x="a") == "\n  <p>A</p>\n"
    # The source changed: its checksum is not the one the code was compiled from.
    changed = environment(cache, TEMPLATE.replace("upper", "lower"), trim_blocks=True)
    assert changed.get_template("t.html").render(x="A") == "  <p>a</p>\n"


def test_compiled_templates_are_reused_only_with_the_same_filters_and_tests():
    # A filter given a constant runs as the template compiles (Jinja's optimiser), and
    # the code passes a filter its context only if the filter asks: another filter of
    # the same name must never get the code compiled with the first.
    cache = CompiledTemplates()
    source = "{{ 'a'|shout }}{% if 1 is odd %}!{% endif %}"

    def render(shout=str.upper, odd=None) -> str:
        env = environment(cache, source)
        env.filters["shout"] = shout
        if odd is not None:
            env.tests["odd"] = odd
        return env.get_template("t.html").render()

    assert render() == "A!"
    assert render(shout=lambda text: text * 2) == "aa!"
    assert render(odd=lambda value: False) == "A"
    assert render() == "A!"
    assert len(cache.code) == 3
    # Pelican gives each generator its own date formatter and plugin test: made alike,
    # they share code; made otherwise, they do not.
    assert render(shout=Repeat(2)) == render(shout=Repeat(2)) == "aa!"
    assert render(shout=Repeat(3)) == "aaa!"
    assert render(odd=partial(operator.eq, 2)) == render(odd=partial(operator.eq, 2)) == "A"
    assert render(odd=partial(operator.eq, 1)) == "A!"
    assert len(cache.code) == 7


class Repeat:
    def __init__(self, times: int) -> None:
        self.times = times

    def __call__(self, text: str) -> str:
        return text * self.times


def test_the_sanitisers_memo_is_keyed_by_the_text():
    memo = TwoGenerations()
    remembered = memo_sanitise(sanitise, memo)
    safe, unsafe = "<p>Hello</p>", '<p onclick="x()">Hello</p>'
    assert remembered(safe) == (safe, False)
    assert remembered(unsafe) == sanitise(unsafe)
    assert remembered(unsafe).changed
    memo.new_build()
    assert remembered(unsafe).changed  # from the last build's memo, by its own text
    assert not remembered(safe).changed
    assert memo.hits == 2


def page(content: str = "<p>Body</p>", **metadata) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    return Article(content, {"title": "A title", "slug": "a", **metadata},
                   settings=settings, source_path=SOURCE)


def digest(article: Article, context: dict, digester: Digester | None = None) -> bytes:
    digester = digester or Digester()
    shared = digester.digest(context)
    return shared + digester.page(("a/index.html", {"article": article}), article)


def test_a_pages_digest_holds_each_of_its_own_values():
    context = {"SITENAME": "Site", "records": {"k": ["one"]}}
    same = digest(page(), context)
    assert digest(page(), context) == same  # another object with the same values
    assert digest(page("<p>Other</p>"), context) != same
    assert digest(page(title="Other title"), context) != same
    assert digest(page(summary="<p>A summary</p>"), context) != same
    assert digest(page(), {**context, "SITENAME": "Other"}) != same


class Record:
    def __init__(self, names: list[str]) -> None:
        self.names = names


def test_a_value_the_context_holds_is_hashed_by_what_it_holds():
    record = Record(["one"])
    article = page(record=record)
    same = digest(article, {"records": {"k": record}})
    record.names.append("two")  # the same object, changed: another build's record
    assert digest(article, {"records": {"k": record}}) != same


def test_a_value_that_shows_nothing_of_itself_is_never_equal():
    class Opaque:
        """Nothing in it: its repr is its address."""

    article = page(thing=Opaque())
    assert digest(article, {}) != digest(article, {})
    lambda_page = page(thing=lambda: 1)
    assert digest(lambda_page, {}) == digest(lambda_page, {})  # code: by its name


def test_which_of_the_contexts_values_a_page_holds_counts():
    first, second = Record(["one"]), Record(["two"])
    context = {"records": {"a": first, "b": second}}
    assert digest(page(record=first), context) != digest(page(record=second), context)


def record_digest(record: Page, others: list[Page], digester: Digester | None = None
                  ) -> bytes:
    """A page's digest with its own pipeline record, the context holding every record."""
    digester = digester or Digester()
    article = page()
    shared = digester.digest({"records": [record, *others]})
    return shared + digester.page(("a/index.html", {"article": article}, record), article,
                                  record)


def test_a_pages_own_pipeline_record_counts_with_all_it_holds():
    own, other = Page(SOURCE, None, {}), Page("/site/content/articles/b.md", None, {})
    same = record_digest(own, [other])
    own.tables = ("<table>changed</table>",)  # held by the context too: by its path there
    assert record_digest(own, [other]) != same


def test_another_pages_pipeline_record_counts_by_which_page_it_is():
    """As another page's content object: article.html never reads another page."""
    own, other = Page(SOURCE, None, {}), Page("/site/content/articles/b.md", None, {})
    same = record_digest(own, [other])
    other.tables = ("<table>changed</table>",)
    assert record_digest(own, [other]) == same
    assert record_digest(own, [Page("/site/content/articles/c.md", None, {})]) != same


BIB = """@article{one2020,
  author  = {One, Ann},
  title   = {A first title},
  journal = {Pain},
  year    = {2020},
}
"""
SECOND = BIB.replace("one2020", "two2021").replace("One, Ann", "Two, Ben")


def test_the_bibliography_is_parsed_again_when_a_files_bytes_change(tmp_path):
    bib = tmp_path / "bibliography.bib"
    bib.write_text(BIB, encoding="utf-8")
    kept = Bibliographies()
    assert kept.load([bib]).entries["one2020"].csl["title"] == "A first title"
    again = kept.load([bib])
    assert (kept.hits, again) == (1, load_files([bib]))  # unchanged: kept, and as parsed
    bib.write_text(BIB.replace("A first", "A second"), encoding="utf-8")
    assert kept.load([bib]).entries["one2020"].csl["title"] == "A second title"


def test_the_bibliography_is_kept_by_each_files_path(tmp_path):
    """The same bytes in another file: each entry names the file it is written in."""
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text(BIB, encoding="utf-8")
    second.write_text(BIB, encoding="utf-8")
    kept = Bibliographies()
    kept.load([first])
    assert kept.load([second]).entries["one2020"].path == second


def test_the_bibliography_is_kept_by_its_files_order(tmp_path):
    """The first file's entry of a key is the one used, and entries keep file order."""
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text(BIB, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    kept = Bibliographies()
    kept.load([first, second])
    assert list(kept.load([second, first]).entries) == ["two2021", "one2020"]


def test_a_missing_bibliography_file_is_not_an_empty_one(tmp_path):
    bib = tmp_path / "bibliography.bib"
    kept = Bibliographies()
    assert kept.load([bib]).missing == [bib]
    bib.write_bytes(b"")
    loaded = kept.load([bib])
    assert loaded.missing == []
    assert [f.message for f in loaded.unreadable] == [
        "the bibliography has no entries (the file is empty)"]


def test_each_build_gets_a_bibliography_of_its_own(tmp_path):
    bib = tmp_path / "bibliography.bib"
    bib.write_text(BIB, encoding="utf-8")
    kept = Bibliographies()
    kept.load([bib]).entries["one2020"].csl["title"] = "changed by a build"
    assert kept.load([bib]).entries["one2020"].csl["title"] == "A first title"
    assert kept.hits == 1


def test_a_pages_digest_holds_all_the_bibliography_holds(tmp_path):
    """The bibliography is hashed by its pickle: every value of every entry counts."""
    bib = tmp_path / "bibliography.bib"
    bib.write_text(BIB, encoding="utf-8")
    same = digest(page(), {"bibliography": load_files([bib])})
    assert digest(page(), {"bibliography": load_files([bib])}) == same  # loaded again
    changed = load_files([bib])
    changed.entries["one2020"].csl["title"] = "Another title"
    assert digest(page(), {"bibliography": changed}) != same
    moved = load_files([bib])
    moved.entries["one2020"].line = 2
    assert digest(page(), {"bibliography": moved}) != same


class Relative:
    """A content object as far as ``get_relative_source_path`` reads one."""

    def __init__(self, source_path: str, content: str) -> None:
        self.source_path, self.settings = source_path, {"PATH": content}


def remembered_relative_path() -> object:
    return memo_relative_source_path(Content.get_relative_source_path, TwoGenerations())


def test_a_relative_source_path_is_remembered_by_the_source_path():
    relative = remembered_relative_path()
    assert relative(Relative("/site/content/a.md", "/site/content")) == "a.md"
    assert relative(Relative("/site/content/b/c.md", "/site/content")) == "b/c.md"
    # A path asked for in place of the page's own.
    assert relative(Relative("/site/content/a.md", "/site/content"),
                    "/site/content/d.md") == "d.md"


def test_a_relative_source_path_is_remembered_by_the_content_folder():
    relative = remembered_relative_path()
    assert relative(Relative("/site/content/a/b.md", "/site/content")) == "a/b.md"
    assert relative(Relative("/site/content/a/b.md", "/site/content/a")) == "b.md"


def test_a_relative_source_path_is_remembered_by_the_working_folder(tmp_path, monkeypatch):
    """A relative PATH is made absolute from the working folder."""
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    relative = remembered_relative_path()
    source = str(tmp_path / "one" / "content" / "a.md")
    monkeypatch.chdir(tmp_path / "one")
    assert relative(Relative(source, "content")) == "a.md"
    monkeypatch.chdir(tmp_path / "two")
    assert relative(Relative(source, "content")) == "../../one/content/a.md"


class Template:
    def __init__(self, name: str = "references.html") -> None:
        self.name = name


REFERENCES = "references/index.html"


def references_page(**changes) -> tuple[ReferencesPage, list[SiteReference]]:
    page = ReferencesPage(**{"title": "References", "url": "references/",
                             "save_as": REFERENCES, "summary": "Every work we cite.",
                             "date": datetime.datetime(2026, 12, 1), **changes})
    entries = [SiteReference("one2020", Markup("<i>A first title</i>."), (("DOI", "x"),),
                             [CitedIn("What LDN is", "what-is-ldn/")], note="Pilot study")]
    return page, entries


def write_references(tmp_path, page, entries, *, context=None, name=REFERENCES,
                     template=None, relative_urls=False, previous=None, state=None,
                     out="out"):
    """/references/ through the preview's writer: what it wrote (or None: linked), and the
    digest it kept."""
    state = state if state is not None else WriterState()
    (tmp_path / "theme").mkdir(exist_ok=True)
    kind = SkippingWriter.bound(state, previous, [tmp_path / "theme"], b"data files")
    writer = kind(str(tmp_path / out), settings={})
    written = []
    writer.write_streamed(lambda *args, **kwargs: written.append((args, kwargs)), name,
                          template or Template(), context or {"SITENAME": "Site"},
                          relative_urls, {"url": page.url, "page": page,
                                          "references": entries})
    return (written or None), state.running[name]


def test_the_references_pages_digest_holds_its_entries_and_the_pages_citing_them(tmp_path):
    page, entries = references_page()
    _, same = write_references(tmp_path, page, entries)
    assert write_references(tmp_path, *references_page())[1] == same  # equal values
    page, entries = references_page()
    entries[0].cited_in[0] = CitedIn("What LDN is not", "what-is-ldn/")
    assert write_references(tmp_path, page, entries)[1] != same
    page, entries = references_page()
    entries[0].cited_in.append(CitedIn("LDN and pain", "ldn-pain/"))
    assert write_references(tmp_path, page, entries)[1] != same
    page, entries = references_page()
    entries[0].note = "Randomized trial"
    assert write_references(tmp_path, page, entries)[1] != same
    page, entries = references_page()
    entries[0].html = Markup("<i>Another title</i>.")
    assert write_references(tmp_path, page, entries)[1] != same
    assert write_references(tmp_path, *references_page(date=None))[1] != same


def test_the_references_pages_digest_holds_the_context(tmp_path):
    _, same = write_references(tmp_path, *references_page())
    assert write_references(tmp_path, *references_page(), context={"SITENAME": "Other"}
                            )[1] != same
    assert write_references(tmp_path, *references_page(),
                            context={"SITENAME": "Site", "localsiteurl": "../.."})[1] != same


def test_the_references_pages_digest_holds_where_and_how_it_is_written(tmp_path):
    _, same = write_references(tmp_path, *references_page())
    assert write_references(tmp_path, *references_page(), name="works/index.html"
                            )[1] != same
    assert write_references(tmp_path, *references_page(), template=Template("page.html")
                            )[1] != same
    assert write_references(tmp_path, *references_page(), relative_urls=True)[1] != same


def test_the_references_page_is_linked_only_with_the_digest_it_was_written_with(tmp_path):
    page, entries = references_page()
    _, digest = write_references(tmp_path, page, entries)
    previous = tmp_path / "previous"
    (previous / "references").mkdir(parents=True)
    (previous / REFERENCES).write_text("<p>the last good page</p>", encoding="utf-8")
    state = WriterState(good={REFERENCES: digest})
    sent = []

    def written(path, context):
        sent.append((path, context["output_file"], context["page"]))

    signals.content_written.connect(written)
    try:
        wrote, _ = write_references(tmp_path, page, entries, previous=previous, state=state)
    finally:
        signals.content_written.disconnect(written)
    assert wrote is None
    assert (tmp_path / "out" / REFERENCES).read_text() == "<p>the last good page</p>"
    assert sent == [(str(tmp_path / "out" / REFERENCES), REFERENCES, page)]  # the sitemap's
    state = WriterState(good={REFERENCES: digest})
    entries[0].note = "Randomized trial"
    wrote, _ = write_references(tmp_path, page, entries, previous=previous, state=state,
                                out="again")
    assert wrote is not None  # rendered


def test_a_linked_page_is_a_written_file_for_pelicans_check(tmp_path):
    """A page linked from the last good build counts as written: another page saved to the
    same file fails the build, as in a clean build."""
    env = Environment(loader=DictLoader({"article.html": "<h1>{{ article.title }}</h1>"}),
                      autoescape=True)
    env.context_class = RecordingContext  # as the preview's generators have it
    template = env.get_template("article.html")
    (tmp_path / "theme").mkdir()
    state = WriterState()

    def writer(previous, out):
        return SkippingWriter.bound(state, previous, [tmp_path / "theme"], b"")(
            str(tmp_path / out), settings={})

    writer(None, "one").write_file("a/index.html", template, {}, article=page())
    state.commit()
    second = writer(tmp_path / "one", "two")
    second.write_file("a/index.html", template, {}, article=page())
    assert state.copied == 1
    assert (tmp_path / "two/a/index.html").stat().st_nlink == 2
    with pytest.raises(FileOverwriteFailedError):
        second.write_file("a/index.html", template, {}, article=page(title="Another"))


CLAIM = "summary: LDN cures fibromyalgia.\n"


def test_a_data_files_claims_are_remembered_by_its_text():
    hits = memo_text_hits(text_hits, TwoGenerations())
    assert [(h.code, h.col) for h in hits(CLAIM)] == [("claims.cure", 14)]
    assert [(h.code, h.col) for h in hits("summary:  LDN cures fibromyalgia.\n")] == [
        ("claims.cure", 15)]
    assert hits("summary: LDN may help some people.\n") == []


def test_a_data_files_claims_are_remembered_by_the_severities():
    hits = memo_text_hits(text_hits, TwoGenerations())
    assert [h.severity.value for h in hits(CLAIM)] == ["error"]
    assert [h.severity.value for h in hits(CLAIM, {"claims.cure": "warning"})] == ["warning"]
    assert [h.severity.value for h in hits(CLAIM, {"claims.cure": "error"})] == ["error"]


def test_a_pages_digest_holds_all_a_study_record_holds():
    record = Study("one2020", 3, 1, design=DESIGNS[0], participants=31, outcome="pain",
                   direction=DIRECTIONS[0], conditions=("fibromyalgia",))
    same = digest(page(), {"studies": {"one2020": record}})
    assert digest(page(), {"studies": {"one2020": dataclasses.replace(record)}}) == same
    for change in ({"participants": 32}, {"direction": DIRECTIONS[1]}, {"outcome": "sleep"},
                   {"conditions": ()}, {"line": 4}):
        changed = dataclasses.replace(record, **change)
        assert digest(page(), {"studies": {"one2020": changed}}) != same, change


def test_the_context_is_hashed_again_when_a_value_in_it_is_replaced(tmp_path):
    """One writer writes many pages with one context dict, hashed once while its values
    are the same objects; a value replaced between two pages is hashed again."""
    (tmp_path / "theme").mkdir()
    state = WriterState()
    writer = SkippingWriter.bound(state, None, [tmp_path / "theme"], b"data files")(
        str(tmp_path / "out"), settings={})
    context = {"SITENAME": "Site", "PEOPLE": {"a": ["one"]}}
    page, entries = references_page()
    for name, change in (("a.html", {}), ("b.html", {"SITENAME": "Other"}),
                         ("c.html", {"PEOPLE": {"a": ["two"]}})):
        context.update(change)
        writer.write_streamed(lambda *args, **kwargs: None, name, Template(), context, False,
                              {"url": page.url, "page": page, "references": entries})
        fresh = write_references(tmp_path, page, entries, context=dict(context), name=name,
                                 out=f"fresh-{name}")[1]
        assert state.running[name] == fresh, name


def test_a_kept_page_keeps_no_part_of_its_build():
    """A page kept by the page cache is bound to each build's bibliography when it is
    used: kept, it holds none (else every build that read a page would stay in memory)."""
    formatter, notes = {"one2020": "a build's formatted entry"}, {"one2020": "Pilot study"}
    listed = ReferenceList(formatter, ["one2020"], [1], notes=notes)
    further = ReferenceList(formatter, ["one2020"], [1])  # no notes
    kept = unbound({"title": "A title", "references": listed, "further_reading": further})
    assert kept["title"] == "A title"
    for name in ("references", "further_reading"):
        assert formatter not in gc.get_referents(kept[name])
        assert notes not in gc.get_referents(kept[name])
    assert listed._formatted is formatter  # the build's own lists are left as they are
    build = SimpleNamespace(formatter={"one2020": "formatted"}, notes={"one2020": "RCT"})
    again = _rebound(kept["references"], build)
    assert (again._formatted, again._notes, again.keys()) == (
        build.formatter, build.notes, ("one2020",))
    assert _rebound(kept["further_reading"], build)._notes is NO_NOTES


def test_what_a_build_remembers_of_its_work_is_not_hashed():
    """The folders resolved once a build (the report's) fill as pages are read: a build
    that takes pages from the page cache reads fewer, and writes the same pages."""
    blocks = Safety(build=None, _html={"opioids": "<p>Tell every clinician</p>"})
    build = Build({}, Report(root=Path("/site")), {Safety: blocks})
    same = digest(page(), {"build": build})
    build.report.resolved(Path("/site/content/articles/a.md"))
    assert build.report._folders  # the memo did fill
    assert digest(page(), {"build": build}) == same
    blocks._html["opioids"] = "<p>Tell your clinicians</p>"
    assert digest(page(), {"build": build}) != same
