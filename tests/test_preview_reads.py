"""The preview copies an article or page only when everything its template read when it
was last rendered is unchanged (plugins/preview/reads.py, writer.py): one test per part of
what a page's digest holds, each failing when that part is left out, and the checks that
every pass_context callable's reads are recorded."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, pass_context
from jinja2.filters import (
    do_map,
    do_random,
    do_reject,
    do_rejectattr,
    do_select,
    do_selectattr,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from conftest import FIXTURES, ROOT
from plugins.citations.formatting import Formatted
from plugins.citations.render import ReferenceList
from plugins.jsonld.plugin import breadcrumbs, jsonld
from plugins.preview import reads as reads_module
from plugins.preview.reads import (
    CONTEXT_READERS,
    RECORDING,
    Reads,
    RecordingContext,
    recording_fixed,
    unchecked_readers,
)
from plugins.preview.writer import SkippingWriter, WriterState
from plugins.sources.fixed import FixedPartials

SOURCE = "/site/content/articles/a.md"


def page(content: str = "<p>Body</p>", **metadata: Any) -> Article:
    # The context Pelican gives every page: where a {filename} link's page is found.
    context = {"generated_content": {}, "static_content": {}, "static_links": set(),
               "localsiteurl": ""}
    return Article(content, {"title": "A title", "slug": "a", **metadata},
                   settings=copy.deepcopy(DEFAULT_CONFIG), source_path=SOURCE,
                   context=context)


class Builds:
    """One page written by the preview's writer in build after build, each into a folder
    of its own, as the preview does."""

    def __init__(self, tmp_path: Path, template: str, **filters: Any) -> None:
        self.tmp = tmp_path
        (tmp_path / "theme").mkdir()
        self.state = WriterState()
        self.previous: Path | None = None
        self.count = 0
        self.env = Environment(loader=DictLoader({"article.html": template}),
                               autoescape=True)
        self.env.context_class = RecordingContext
        self.env.filters.update(filters)

    def write(self, context: dict[str, Any], article: Article | None = None) -> str:
        """'copied' or 'rendered', and the page as written (checked against a render)."""
        self.count += 1
        out = self.tmp / f"build-{self.count}"
        self.state.new_build()
        writer = SkippingWriter.bound(self.state, self.previous, [self.tmp / "theme"], b"")(
            str(out), settings={})
        article = article or page()
        template = self.env.get_template("article.html")
        writer.write_file("a/index.html", template, context, article=article)
        written = (out / "a/index.html").read_text()
        fresh = Environment(loader=self.env.loader, autoescape=True)
        fresh.filters.update(self.env.filters)
        fresh.globals.update(self.env.globals)
        expected = fresh.get_template("article.html").render(
            {**context, "localsiteurl": None, "output_file": "a/index.html",
             "article": article})
        assert written == expected  # a copied page is the page a render writes
        self.state.commit()
        self.previous = out
        return "copied" if self.state.copied else "rendered"


def test_a_value_the_template_read_counts_and_one_it_did_not_does_not(tmp_path):
    builds = Builds(tmp_path, "<h1>{{ SITENAME }}</h1>")
    context = {"SITENAME": "Site", "OTHER": "unread"}
    assert builds.write(context) == "rendered"
    assert builds.write(context) == "copied"
    assert builds.write({**context, "OTHER": "changed"}) == "copied"
    assert builds.write({**context, "SITENAME": "Another site"}) == "rendered"


def test_a_name_looked_up_and_not_found_counts(tmp_path):
    builds = Builds(tmp_path, "<p>{{ EXTRA or 'none' }}</p>")
    assert builds.write({}) == "rendered"
    assert builds.write({}) == "copied"
    assert builds.write({"EXTRA": "now there"}) == "rendered"


def test_a_global_the_template_read_counts(tmp_path):
    builds = Builds(tmp_path, "<p>{{ G }}</p>")
    builds.env.globals["G"] = "one"
    assert builds.write({}) == "rendered"
    assert builds.write({}) == "copied"
    builds.env.globals["G"] = "two"
    assert builds.write({}) == "rendered"


def test_the_page_itself_counts(tmp_path):
    builds = Builds(tmp_path, "<h1>{{ article.title }}</h1>")
    assert builds.write({}) == "rendered"
    assert builds.write({}) == "copied"
    assert builds.write({}, page(title="Another title")) == "rendered"


def test_a_macro_and_an_include_read_through_the_same_context(tmp_path):
    builds = Builds(tmp_path, '{% include "part.html" %}')
    builds.env.loader.mapping["part.html"] = (
        '{% import "macros.html" as m with context %}{{ m.name() }}')
    builds.env.loader.mapping["macros.html"] = "{% macro name() %}{{ NAME }}{% endmacro %}"
    assert builds.write({"NAME": "one"}) == "rendered"
    assert builds.write({"NAME": "one"}) == "copied"
    assert builds.write({"NAME": "two"}) == "rendered"


def test_an_include_named_by_a_value_counts_what_it_reads(tmp_path):
    builds = Builds(tmp_path, "{% include which %}")
    builds.env.loader.mapping.update({"one.html": "{{ A }}", "two.html": "{{ B }}"})
    context = {"which": "one.html", "A": "a", "B": "b"}
    assert builds.write(context) == "rendered"
    assert builds.write({**context, "B": "changed"}) == "copied"
    assert builds.write({**context, "A": "changed"}) == "rendered"
    assert builds.write({**context, "A": "changed", "which": "two.html"}) == "rendered"


TRAIL = "{% for crumb in article|breadcrumbs %}{{ crumb.name }};{% endfor %}"


def guide() -> Article:
    return page(url="guides/a/", save_as="guides/a/index.html")


def test_titles_count_by_the_addresses_a_page_looked_up(tmp_path):
    builds = Builds(tmp_path, TRAIL, breadcrumbs=breadcrumbs)
    titles = {"guides/": "Guides", "other/": "Other", "guides/a/": "A title"}
    assert builds.write({"PAGE_TITLES_BY_URL": titles}, guide()) == "rendered"
    assert builds.write({"PAGE_TITLES_BY_URL": {**titles, "other/": "Changed"}},
                        guide()) == "copied"
    assert builds.write({"PAGE_TITLES_BY_URL": {**titles, "new/": "New"}},
                        guide()) == "copied"
    assert builds.write({"PAGE_TITLES_BY_URL": {**titles, "guides/": "All guides"}},
                        guide()) == "rendered"


def test_titles_not_found_count_when_they_appear(tmp_path):
    builds = Builds(tmp_path, TRAIL, breadcrumbs=breadcrumbs)
    titles = {"other/": "Other"}
    assert builds.write({"PAGE_TITLES_BY_URL": titles}, guide()) == "rendered"
    assert builds.write({"PAGE_TITLES_BY_URL": {**titles, "guides/": "Guides"}},
                        guide()) == "rendered"


def test_titles_read_whole_count_whole(tmp_path):
    builds = Builds(tmp_path, "{% for url in PAGE_TITLES_BY_URL %}.{% endfor %}")
    titles = {"guides/": "Guides", "other/": "Other"}
    assert builds.write({"PAGE_TITLES_BY_URL": titles}) == "rendered"
    assert builds.write({"PAGE_TITLES_BY_URL": titles}) == "copied"
    assert builds.write({"PAGE_TITLES_BY_URL": {**titles, "new/": "New"}}) == "rendered"


def test_the_number_of_titles_counts_when_read(tmp_path):
    builds = Builds(tmp_path, "{{ PAGE_TITLES_BY_URL|length }}")
    assert builds.write({"PAGE_TITLES_BY_URL": {"a/": "A"}}) == "rendered"
    assert builds.write({"PAGE_TITLES_BY_URL": {"b/": "B"}}) == "copied"
    assert builds.write({"PAGE_TITLES_BY_URL": {"a/": "A", "b/": "B"}}) == "rendered"


def test_whether_there_are_titles_counts_when_read(tmp_path):
    builds = Builds(tmp_path, "{{ 'some' if PAGE_TITLES_BY_URL else 'none' }}")
    assert builds.write({"PAGE_TITLES_BY_URL": {"a/": "A"}}) == "rendered"
    assert builds.write({"PAGE_TITLES_BY_URL": {"a/": "A", "b/": "B"}}) == "copied"
    assert builds.write({"PAGE_TITLES_BY_URL": {}}) == "rendered"


class Studies:
    """The study records as templates and the JSON-LD read them (plugins/evidence's
    ``Evidence.schema``), from a plain dict."""

    def __init__(self, schemas: dict[str, dict[str, str]]) -> None:
        self.schemas = schemas

    def schema(self, key: str) -> dict[str, str] | None:
        return self.schemas.get(key)


def test_study_records_count_by_the_works_a_page_looked_up(tmp_path):
    builds = Builds(tmp_path, "{{ EVIDENCE.schema('cited') }}")
    schemas = {"cited": {"@type": "MedicalTrial"}, "other": {"@type": "MedicalStudy"}}
    assert builds.write({"EVIDENCE": Studies(schemas)}) == "rendered"
    assert builds.write({"EVIDENCE": Studies({**schemas, "other": {}})}) == "copied"
    assert builds.write({"EVIDENCE": Studies({**schemas, "cited": {}})}) == "rendered"


def test_study_records_read_otherwise_count_whole(tmp_path):
    builds = Builds(tmp_path, "{{ EVIDENCE.schemas|length }}")
    schemas = {"cited": {"@type": "MedicalTrial"}, "other": {"@type": "MedicalStudy"}}
    assert builds.write({"EVIDENCE": Studies(schemas)}) == "rendered"
    assert builds.write({"EVIDENCE": Studies(schemas)}) == "copied"
    assert builds.write({"EVIDENCE": Studies({**schemas, "other": {}})}) == "rendered"


def entry(key: str, title: str) -> Formatted:
    return Formatted(key, Markup("<i>{}</i>").format(title), title, title, escape(key), (),
                     {})


ROWS = "<ol>{{ article.references.html() }}</ol>"


def test_a_reference_list_counts_by_the_entries_it_lists(tmp_path):
    builds = Builds(tmp_path, ROWS)
    entries = {"cited": entry("cited", "Cited"), "other": entry("other", "Other")}
    notes = {"cited": "Randomized trial", "other": "Case report"}

    def listed(entries: dict[str, Formatted], notes: dict[str, str]) -> Article:
        return page(references=ReferenceList(entries, ["cited"], [1], notes=notes))

    assert builds.write({}, listed(entries, notes)) == "rendered"
    assert builds.write({}, listed({**entries, "other": entry("other", "New")},
                                   {**notes, "other": "Trial"})) == "copied"
    assert builds.write({}, listed(entries, {**notes, "cited": "Case report"})) == "rendered"
    assert builds.write({}, listed({**entries, "cited": entry("cited", "New")},
                                   {**notes, "cited": "Case report"})) == "rendered"


def test_a_template_that_reads_other_pages_is_never_copied(tmp_path):
    builds = Builds(tmp_path, "{{ articles|length }}")
    assert builds.write({"articles": []}) == "rendered"
    assert builds.write({"articles": []}) == "rendered"


class Lazy:
    """A record with a part loaded on first use from outside its fields."""

    source: dict[str, str] = {}  # noqa: RUF012 - the outside, changed by the test

    def __init__(self) -> None:
        self.name = "record"

    @cached_property
    def part(self) -> str:
        return self.source["part"]


def test_a_part_loaded_while_the_page_rendered_counts(tmp_path):
    """Hashed as the render left it: a fresh record, its part not loaded yet, is never
    equal to one whose part was loaded, so the page is rendered (and loads it)."""
    builds = Builds(tmp_path, "{{ RECORD.part }}")
    Lazy.source = {"part": "one"}
    assert builds.write({"RECORD": Lazy()}) == "rendered"
    Lazy.source = {"part": "two"}
    assert builds.write({"RECORD": Lazy()}) == "rendered"
    Lazy.source = {"part": "three"}  # hashed before the render too: afresh after it
    assert builds.write({"RECORD": Lazy()}) == "rendered"


@pass_context
def undeclared(context: Any, value: Any) -> str:
    return f"{value} {context.get('SITENAME')}"


@pass_context
def everything(context: Any, value: Any) -> str:
    return f"{value} {len(list(context.keys()))}"


def test_an_undeclared_pass_context_filter_means_no_page_is_copied(tmp_path):
    builds = Builds(tmp_path, "{{ 'x'|undeclared }}", undeclared=undeclared)
    assert unchecked_readers(builds.env) == ["filters:undeclared"]
    assert builds.write({"SITENAME": "Site"}) == "rendered"
    assert builds.write({"SITENAME": "Site"}) == "rendered"


def test_a_declared_pass_context_filter_is_recorded(tmp_path, monkeypatch):
    monkeypatch.setattr(reads_module, "CONTEXT_READERS",
                        CONTEXT_READERS | {(__name__, "undeclared")})
    builds = Builds(tmp_path, "{{ 'x'|undeclared }}", undeclared=undeclared)
    assert unchecked_readers(builds.env) == []
    assert builds.write({"SITENAME": "Site"}) == "rendered"
    assert builds.write({"SITENAME": "Site"}) == "copied"
    assert builds.write({"SITENAME": "Another"}) == "rendered"


def test_a_filter_that_reads_the_whole_context_means_the_page_is_rendered(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(reads_module, "CONTEXT_READERS",
                        CONTEXT_READERS | {(__name__, "everything")})
    builds = Builds(tmp_path, "{{ 'x'|everything }}", everything=everything)
    assert builds.write({"SITENAME": "Site"}) == "rendered"
    assert builds.write({"SITENAME": "Site"}) == "rendered"


class LoggedDict(dict):
    """A context's own dict that logs every key read from it, by any route."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.log.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.log.add(str(key))
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.log.add(key)
        return super().get(key, default)

    def __iter__(self) -> Any:
        self.log.add("*iterated*")
        return super().__iter__()

    def keys(self) -> Any:
        self.log.add("*iterated*")
        return super().keys()

    def items(self) -> Any:
        self.log.add("*iterated*")
        return super().items()

    def values(self) -> Any:
        self.log.add("*iterated*")
        return super().values()


# Each declared callable, called as the theme calls it.
USES = {
    ("plugins.jsonld.plugin", "jsonld"): lambda context, article: (
        jsonld(context, article), jsonld(context, article, [])),
    ("plugins.jsonld.plugin", "breadcrumbs"): breadcrumbs,
    ("jinja2.filters", "do_map"): lambda context, article: (
        list(do_map(context, [1, 2], "string")),
        list(do_map(context, [article], attribute="title"))),
    ("jinja2.filters", "do_random"): lambda context, article: do_random(context, [1]),
    ("jinja2.filters", "do_select"): lambda context, article: list(
        do_select(context, [1, 2], "odd")),
    ("jinja2.filters", "do_reject"): lambda context, article: list(
        do_reject(context, [1, 2], "odd")),
    ("jinja2.filters", "do_selectattr"): lambda context, article: list(
        do_selectattr(context, [article], "title")),
    ("jinja2.filters", "do_rejectattr"): lambda context, article: list(
        do_rejectattr(context, [article], "title")),
}


def unrecorded(call: Any) -> set[str]:
    """The keys ``call(context, article)`` read from its context's dict, by any route
    (``get``, ``parent``, ``get_all()``, iteration), that the recording context did not
    record."""
    env = Environment(loader=DictLoader({"t.html": ""}), autoescape=True)
    env.context_class = RecordingContext
    article = page(url="guides/a/")
    plain = {
        "article": article, "SITEURL": "https://example.org",
        "MAIN_MENU": [("Guides", "guides/")], "PAGE_TITLES_BY_URL": {"guides/": "Guides"},
        "EVIDENCE": Studies({}), "READINESS": None, "PHARMACY": {"name": "Pharmacy"},
        "PEOPLE_URL": "people/", "UNREAD": "never read"}
    values = LoggedDict(plain)
    context = env.get_template("t.html").new_context(values, shared=True)
    reads = Reads(plain)
    values.log.clear()
    token = RECORDING.set(reads)
    try:
        call(context, article)
    finally:
        RECORDING.reset(token)
    assert "UNREAD" not in values.log or "*iterated*" in values.log  # a log of reads
    return values.log - reads.names


@pytest.mark.parametrize("declared", sorted(CONTEXT_READERS))
def test_each_declared_callable_reads_its_context_only_in_ways_recorded(declared):
    assert unrecorded(USES[declared]) == set()


def test_a_read_past_the_recording_is_found():
    """What the test above would find in a callable that reads its context's dict
    directly."""
    assert unrecorded(lambda context, article: context.parent["SITEURL"]) == {"SITEURL"}
    assert unrecorded(lambda context, article: context.get_all().get("PHARMACY")) == {
        "PHARMACY"}
    assert "*iterated*" in unrecorded(lambda context, article: dict(context.parent))


def test_every_pass_context_callable_of_the_sites_environments_is_declared():
    """The environments of a real build of the site (every plugin's filters, tests and
    globals, and Jinja's): none has a pass_context callable that is not declared."""
    script = (
        "import json, sys\n"
        "from pelican import Pelican, signals\n"
        "from pelican.settings import read_settings\n"
        "from plugins.preview.reads import unchecked_readers\n"
        "from plugins.preview.reads import recording_fixed\n"
        "from plugins.sources.fixed import FixedPartials\n"
        "found = {}\n"
        "def seen(generator):\n"
        "    if getattr(generator, 'env', None) is not None:\n"
        "        name = type(generator).__name__\n"
        "        found[name + ' unwrapped'] = unchecked_readers(generator.env)\n"
        "        FixedPartials._fixed = recording_fixed(FixedPartials._fixed)  # the session's\n"
        "        found[name] = unchecked_readers(generator.env)\n"
        "        FixedPartials._fixed = FixedPartials._fixed.original\n"
        f"site = {str(FIXTURES / 'theme-site')!r}\n"
        "settings = read_settings('pelicanconf.py', override={'PATH': site})\n"
        "pelican = Pelican(settings)  # each plugin's handlers, then ours\n"
        "signals.generator_init.connect(seen)\n"
        "context = settings.copy()\n"
        "for kind in pelican._get_generator_classes():\n"
        "    kind(context=context, settings=settings, path=settings['PATH'],\n"
        "         theme=settings['THEME'], output_path=settings['OUTPUT_PATH'])\n"
        "print(json.dumps(found))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"ArticlesGenerator", "PagesGenerator"} <= set(found)
    assert all(unchecked == [] for name, unchecked in found.items()
               if not name.endswith("unwrapped")), found
    # {% fixed %}'s reads are recorded only through the preview's wrapper.
    assert found["ArticlesGenerator unwrapped"] == [
        "extensions:plugins.sources.fixed.FixedPartials"]


def test_an_environment_that_does_not_record_never_copies(tmp_path):
    builds = Builds(tmp_path, "<h1>{{ SITENAME }}</h1>")
    builds.env.context_class = Context  # Jinja's own: nothing would be recorded
    assert builds.write({"SITENAME": "Site"}) == "rendered"
    assert builds.write({"SITENAME": "Site"}) == "rendered"


def test_a_page_that_links_to_another_by_its_file_is_always_rendered(tmp_path):
    """Pelican makes ``{filename}`` into the other page's address as the template reads
    the page's content: the output depends on the other page."""
    builds = Builds(tmp_path, "{{ article.content }}")
    linked = page(content='<p><a href="{filename}/articles/b.md">B</a></p>')
    assert builds.write({"SITENAME": "Site"}, linked) == "rendered"
    assert builds.write({"SITENAME": "Site"}, linked) == "rendered"
    plain = page(content='<p><a href="/b/">B</a> {not a link}</p>')
    assert builds.write({"SITENAME": "Site"}, plain) == "rendered"
    assert builds.write({"SITENAME": "Site"}, plain) == "copied"


def test_a_fixed_partial_counts_for_every_page_that_prints_it(tmp_path, monkeypatch):
    """``{% fixed %}`` renders its partial for the first page and gives the next ones the
    same HTML: each is recorded as reading what the partial read."""
    monkeypatch.setattr(FixedPartials, "_fixed", recording_fixed(FixedPartials._fixed))
    (tmp_path / "theme").mkdir()
    state, previous = WriterState(), None
    loader = DictLoader({"article.html": '{% fixed "part.html" %}{{ article.title }}',
                         "home.html": '{% fixed "part.html" %}',
                         "part.html": "<footer>{{ NAME }}</footer>"})

    def build(number: int, context: dict[str, Any]) -> list[str]:
        nonlocal previous
        env = Environment(loader=loader, autoescape=True)  # one environment a build
        env.context_class = RecordingContext
        env.add_extension(FixedPartials)
        assert unchecked_readers(env) == []
        out = tmp_path / f"build-{number}"
        state.new_build()
        writer = SkippingWriter.bound(state, previous, [tmp_path / "theme"], b"")(
            str(out), settings={})
        # The home page (never copied, not recorded) prints the partial first.
        writer.write_file("index.html", env.get_template("home.html"), context)
        done = []
        for slug in ("a", "b"):
            copied = state.copied
            writer.write_file(f"{slug}/index.html", env.get_template("article.html"),
                              context, article=page(slug=slug, title=slug.upper()))
            done.append("copied" if state.copied > copied else "rendered")
            assert (out / slug / "index.html").read_text() == (
                f"<footer>{context['NAME']}</footer>{slug.upper()}")
        state.commit()
        previous = out
        return done

    assert build(1, {"NAME": "Pharmacy"}) == ["rendered", "rendered"]
    assert build(2, {"NAME": "Pharmacy", "OTHER": "x"}) == ["copied", "copied"]
    assert build(3, {"NAME": "Another pharmacy"}) == ["rendered", "rendered"]
