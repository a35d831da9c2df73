"""BibTeX ``crossref`` and ``xdata``: fields an entry takes from another entry. Pure.

As biblatex defines them: the entry's own fields win; ``xdata`` copies every field of
the named ``@xdata`` entries (a comma-separated list); ``crossref`` copies the parent's
fields, a book's or proceedings' ``title`` becoming its chapter's or paper's
``booktitle``. Unlike biblatex, identifiers (doi, pmid, pmcid, url) are not inherited:
a chapter's DOI is its own, never its book's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

# biblatex.def, \DeclareDataInheritance: the container's title is the part's book title.
CONTAINERS = {
    **dict.fromkeys(("inbook", "bookinbook", "suppbook"), frozenset({"book", "mvbook"})),
    **dict.fromkeys(("incollection", "suppcollection"), frozenset({"collection", "mvcollection"})),
    "inproceedings": frozenset({"proceedings", "mvproceedings"}),
}
AS_CONTAINER = {"title": "booktitle", "subtitle": "booksubtitle",
                "titleaddon": "booktitleaddon"}
# Never inherited (biblatex's \noinherit list, plus the work's own identifiers).
NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
    "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
    "shorthand", "shorthandintro", "sortkey", "shorttitle", "sorttitle", "indextitle",
    "indexsorttitle", "doi", "pmid", "pmcid", "url", "eprint",
})
LINKS = ("xdata", "crossref")  # xdata first: biblatex resolves it before crossref


class Source(NamedTuple):
    """An entry as read, before inheritance: its type and fields (lower-case names)."""

    entry_type: str
    fields: dict[str, Any]


class MissingParent(NamedTuple):
    """``field`` of an entry names ``parent``, which is not in the file."""

    field: str
    parent: str


def parents(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, parent key) for every entry this one takes fields from."""
    found = []
    for link in LINKS:
        value = fields.get(link)
        if isinstance(value, str):
            found.extend((link, key.strip()) for key in value.split(",") if key.strip())
    return found


def resolve(key: str, sources: Mapping[str, Source],
            seen: frozenset[str] = frozenset()) -> tuple[dict[str, Any], list[MissingParent]]:
    """The fields of entry ``key`` with what it inherits, and any parent that is missing."""
    own = sources[key]
    fields = dict(own.fields)
    missing: list[MissingParent] = []
    for link, parent_key in parents(own.fields):
        parent = sources.get(parent_key)
        if parent is None or parent_key in seen | {key}:
            if parent is None:
                missing.append(MissingParent(link, parent_key))
            continue
        inherited, further = resolve(parent_key, sources, seen | {key})
        missing.extend(further)
        as_part = (link == "crossref"
                   and parent.entry_type in CONTAINERS.get(own.entry_type.lower(), ()))
        for name, value in inherited.items():
            if name in NOT_INHERITED:
                continue
            target = AS_CONTAINER.get(name, name) if as_part else name
            fields.setdefault(target, value)
    return fields, missing
