"""What a page's template read of its context while it rendered.

The preview copies an ``article``/``page`` page from the last good build when everything
its template read then is unchanged now. A Jinja template reads its context by name
only through ``Context.resolve_or_missing`` (Jinja's own lookups, ``Context.get``,
``[]``; an included template, a macro imported with context and a ``with`` block get a
context of their own, whose reads go through the same method), so the environment's
context class records each name a render looks up (``RecordingContext``). That covers
every template the page's template extends, includes or imports, whatever its name is
made of, and every ``pass_context`` filter, test or global that reads its context with
``get`` or ``[]``: each of those must be named in ``CONTEXT_READERS`` (checked when the
writer starts, and by tests/test_preview_reads.py, which runs each with a context that
logs every read of its dict), and each Jinja extension in ``EXTENSIONS`` with its wrapper
installed; while one is not, no page is copied.

A few large values are read by key: their value is handed to the template as a view
that records the keys looked up (``KEYED``), so a page depends on the entries it looked
up, not on the whole value (a title edit changes one entry of PAGE_TITLES_BY_URL, which
a page with a one-level address never looks up). Anything else done with a view (its
length aside) marks it read whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2.runtime import Context
from jinja2.utils import _PassArg, missing
from pelican.contents import Content
from pelican.settings import DEFAULT_CONFIG

# Each pass_context callable the themes may use, checked to read its context only with
# ``get`` or ``[]`` (tests/test_preview_reads.py): module and name.
CONTEXT_READERS = frozenset({
    ("plugins.jsonld.plugin", "jsonld"),
    ("plugins.jsonld.plugin", "breadcrumbs"),
    # Jinja's own, which take the context for its environment (and pass it on to the
    # filters and tests they call by name, which are checked on their own).
    *(("jinja2.filters", name) for name in (
        "do_map", "do_random", "do_reject", "do_rejectattr", "do_select",
        "do_selectattr")),
})


class Aspect:
    """What was read of a keyed value other than one key (recorded in place of a key;
    never equal to a key)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


# Each Jinja extension the themes may use whose reads are recorded (a tag's code may read
# its context in any way), and its method that must be wrapped for that: ``{% fixed %}``
# through ``recording_fixed`` (the preview's session wraps it).
EXTENSIONS = {("plugins.sources.fixed", "FixedPartials"): "_fixed"}

WHOLE = Aspect("whole")  # the value was read as a whole
LENGTH = Aspect("length")  # its length
FILLED = Aspect("filled")  # whether it is empty (``if PAGE_TITLES_BY_URL``)


@dataclass
class Reads:
    """One render's reads: the names looked up, and the keys looked up in keyed values."""

    context: dict[str, Any]  # the writer's context for the page (the values recorded)
    names: set[str] = field(default_factory=set)
    keys: dict[str, set[Any]] = field(default_factory=dict)
    everything: bool = False  # the context itself was read as a whole

    def key(self, name: str, key: Any) -> None:
        self.keys.setdefault(name, set()).add(key)

    def merge(self, other: Reads) -> None:
        self.names |= other.names
        for name, keys in other.keys.items():
            self.keys.setdefault(name, set()).update(keys)
        self.everything |= other.everything


RECORDING: ContextVar[Reads | None] = ContextVar("preview_reads", default=None)


class KeyedMapping(Mapping[Any, Any]):
    """A mapping read by key (PAGE_TITLES_BY_URL): each key looked up is recorded."""

    __slots__ = ("_inner", "_name", "_reads")

    def __init__(self, inner: Mapping[Any, Any], reads: Reads, name: str) -> None:
        self._inner, self._reads, self._name = inner, reads, name

    def __getitem__(self, key: Any) -> Any:
        self._reads.key(self._name, key)
        return self._inner[key]

    def __len__(self) -> int:
        self._reads.key(self._name, LENGTH)
        return len(self._inner)

    def __bool__(self) -> bool:
        self._reads.key(self._name, FILLED)
        return bool(self._inner)

    def __iter__(self) -> Iterator[Any]:
        self._reads.key(self._name, WHOLE)
        return iter(self._inner)


class KeyedEvidence:
    """The study records (EVIDENCE) as the article and page templates read them: each
    cited work's schema.org facts by key (``schema``). Any other attribute is read from
    the records themselves, which are then recorded as read whole."""

    __slots__ = ("_inner", "_name", "_reads")

    def __init__(self, inner: Any, reads: Reads, name: str) -> None:
        self._inner, self._reads, self._name = inner, reads, name

    def schema(self, key: str) -> Any:
        self._reads.key(self._name, key)
        return self._inner.schema(key)

    def __getattr__(self, name: str) -> Any:
        self._reads.key(self._name, WHOLE)
        return getattr(self._inner, name)


def _evidence_entry(value: Any, key: Any) -> Any:
    return value.schema(key)


def _mapping_entry(value: Any, key: Any) -> Any:
    if key is LENGTH:
        return len(value)
    if key is FILLED:
        return bool(value)
    return value.get(key, missing)


@dataclass(frozen=True)
class Keyed:
    """A context value read by key: the view handed to templates, and what one key of
    the value is (what the page's digest holds for each key it looked up)."""

    view: Callable[[Any, Reads, str], Any]
    entry: Callable[[Any, Any], Any]


KEYED: dict[str, Keyed] = {
    "PAGE_TITLES_BY_URL": Keyed(KeyedMapping, _mapping_entry),
    "EVIDENCE": Keyed(KeyedEvidence, _evidence_entry),
}


class RecordingContext(Context):
    """Jinja's context, recording each name looked up while a page is recorded (and no
    different from Jinja's own otherwise)."""

    def resolve_or_missing(self, key: str) -> Any:
        value = super().resolve_or_missing(key)
        reads = RECORDING.get()
        if reads is not None:
            reads.names.add(key)
            keyed = KEYED.get(key)
            # Only the context's own value (a template's variable of the same name is not).
            if keyed is not None and value is not missing and reads.context.get(key) is value:
                return keyed.view(value, reads, key)
        return value

    def __contains__(self, name: str) -> bool:
        reads = RECORDING.get()
        if reads is not None:
            reads.names.add(name)
        return super().__contains__(name)

    def _everything(self) -> None:
        reads = RECORDING.get()
        if reads is not None:
            reads.everything = True

    def keys(self) -> Any:
        self._everything()
        return super().keys()

    def values(self) -> Any:
        self._everything()
        return super().values()

    def items(self) -> Any:
        self._everything()
        return super().items()

    def __repr__(self) -> str:
        self._everything()
        return super().__repr__()


def recording_fixed(fixed: Callable[..., Any]) -> Callable[..., Any]:
    """``FixedPartials._fixed`` (plugins/sources/fixed.py), which renders a partial the
    first time a page asks and gives every later page the same HTML: each page that prints
    it is recorded as reading what the partial read (kept with the HTML; HTML kept by a
    render that was not recorded is rendered again, recorded: the same HTML)."""

    def _fixed(self: Any, context: Any, name: str, given: dict[str, Any]) -> Any:
        reads = RECORDING.get()
        if reads is None:
            return fixed(self, context, name, given)
        key = self.key(context, name, given)
        kept = self.__dict__.setdefault("_preview_reads", {})
        found = kept.get(key)
        if found is None:
            self._html.pop(key, None)
            found = Reads(reads.context)
            token = RECORDING.set(found)
            try:
                html = fixed(self, context, name, given)
            finally:
                RECORDING.reset(token)
            kept[key] = found
        else:
            html = fixed(self, context, name, given)
        reads.merge(found)
        return html

    _fixed.original = fixed  # type: ignore[attr-defined]
    return _fixed


def unchecked_readers(environment: Any) -> list[str]:
    """The environment's pass_context filters, tests and globals not in CONTEXT_READERS,
    and its extensions not in EXTENSIONS (their reads might not be recorded)."""
    found = []
    for name, extension in environment.extensions.items():
        wrapped = EXTENSIONS.get((type(extension).__module__, type(extension).__name__))
        if wrapped is None or not hasattr(getattr(type(extension), wrapped), "original"):
            found.append(f"extensions:{name}")
    for kind in ("filters", "tests", "globals"):
        for name, value in getattr(environment, kind).items():
            # As Jinja's Context.call: a callable object's __call__ may take the context.
            call = getattr(value, "__call__", None)  # noqa: B004
            target = call if call is not None and _PassArg.from_obj(call) else value
            if _PassArg.from_obj(target) is _PassArg.context and (
                    getattr(target, "__module__", None),
                    getattr(target, "__name__", None)) not in CONTEXT_READERS:
                found.append(f"{kind}:{name}")
    return found


# Pelican's lists of pages (and the Build, which holds every page's record): a template
# that reads one shows other pages, which are hashed by identity only: never copied.
OTHER_PAGES = frozenset({
    "articles", "pages", "dates", "authors", "categories", "tags", "hidden_pages",
    "draft_pages", "drafts", "hidden_articles", "translations", "hidden_translations",
    "drafts_translations", "hidden_page_translations", "draft_page_translations",
    "translations_of", "all_articles", "period_archives", "BUILD", "generated_content",
    "static_content", "static_links"})

# What a page's template read in the build that wrote it: each name, and for a keyed
# value (KEYED) the keys looked up; None: it may have read anything (never copied).
Spec = tuple[tuple[str, ...], tuple[tuple[str, tuple[Any, ...]], ...]] | None


# Pelican's own INTRASITE_LINK_REGEX, after an attribute's "=" and quote: no such text, no
# link (the whole pattern costs a scan of every tag of the page).
DEFAULT_LINKS = DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]
MAYBE_LINK = re.compile(r"""=\s*["'][{|]""")


def links_to_pages(page: Content) -> bool:
    """Whether the page's HTML has a ``{filename}``-style link, which Pelican makes into
    another page's (or file's) address as the template reads the page's content: its
    output then depends on other pages, so it is always rendered."""
    html = page._content or ""
    if page.settings.get("INTRASITE_LINK_REGEX") == DEFAULT_LINKS and not MAYBE_LINK.search(
            html):
        return False
    return page._get_intrasite_link_regex().search(html) is not None


def spec_of(reads: Reads) -> Spec:
    """What to keep of a render's reads; None when it may have read anything, or other
    pages (OTHER_PAGES)."""
    if reads.everything or not reads.names.isdisjoint(OTHER_PAGES):
        return None
    keyed = tuple((name, tuple(sorted(keys, key=repr))) for name, keys in
                  sorted(reads.keys.items()) if name in reads.names)
    return tuple(sorted(reads.names)), keyed
