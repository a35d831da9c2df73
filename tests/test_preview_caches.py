"""The preview's caches, each keyed on everything its result depends on: a test for every
part of a key, which fails if that part is dropped (the equality property in
test_preview_equality.py checks the whole preview against clean builds)."""

from __future__ import annotations

import copy

from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from plugins.pipeline.page import Page
from plugins.preview.fingerprint import Digester
from plugins.preview.memo import TwoGenerations, memo_sanitise
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
