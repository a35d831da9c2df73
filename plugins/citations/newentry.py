"""A new bibliography entry from fetched metadata: its key, its BibTeX text, the check
that the work is not already there, and the byte-exact append. No network here (see
fetch.py); the build never imports either module."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .bibliography import load_files

# PubMed publication types that name a study design, as the evidence records write it.
DESIGNS = {
    "Randomized Controlled Trial": "randomised controlled trial",
    "Meta-Analysis": "meta-analysis",
    "Systematic Review": "systematic review",
    "Controlled Clinical Trial": "controlled clinical trial",
    "Clinical Trial": "clinical trial",
    "Observational Study": "observational study",
    "Case Reports": "case report",
    "Review": "review",
}
LATEX_SPECIAL = re.compile(r"([&%$#_])")


class CiteError(Exception):
    """One clear sentence for the editor; nothing was changed."""


@dataclass
class Work:
    """What a DOI or PMID record says of a journal article, before it becomes BibTeX."""

    title: str
    authors: list[tuple[str, str]] = field(default_factory=list)  # (family, given)
    groups: list[str] = field(default_factory=list)  # collective authors
    journal: str = ""
    shortjournal: str = ""
    year: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    publication_types: list[str] = field(default_factory=list)


def _ascii_letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def new_key(work: Work, taken: set[str]) -> str:
    """``smith2024``: the first author's family name and the year, then a, b … if taken."""
    name = work.authors[0][0] if work.authors else (work.groups or [work.title])[0]
    stem = (_ascii_letters(name.split()[0] if not work.authors else name) or "anon") + work.year
    if stem not in taken:
        return stem
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if stem + letter not in taken:
            return stem + letter
    raise CiteError(f"every key from {stem}a to {stem}z is taken; add the entry by hand")


def _value(text: str) -> str:
    """A BibTeX value: LaTeX's special characters escaped, braces balanced."""
    text = " ".join(text.replace("{", "").replace("}", "").split())
    return LATEX_SPECIAL.sub(r"\\\1", text)


def expand_pages(pages: str) -> str:
    """MEDLINE's "663-72" as printed, "663--672"."""
    match = re.fullmatch(r"\s*(\w*?)(\d+)\s*[-\u2013]\s*(\d+)\s*", pages)
    if not match:
        return pages.strip()
    prefix, first, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}--{prefix}{last}"


def to_bibtex(work: Work, key: str, source: str) -> str:
    """The entry's text, ending in a newline; a comment above it says where it came from
    and, from PubMed's publication types, which study design it suggests."""
    names = [f"{_value(family)}, {_value(given)}" if given else _value(family)
             for family, given in work.authors] + [f"{{{_value(g)}}}" for g in work.groups]
    fields = [("author", " and ".join(names)), ("title", _value(work.title)),
              ("journal", _value(work.journal)), ("shortjournal", _value(work.shortjournal)),
              ("year", work.year), ("volume", work.volume), ("number", work.number),
              ("pages", expand_pages(work.pages)), ("doi", work.doi), ("pmid", work.pmid),
              ("pmcid", work.pmcid)]
    present = [(name, value) for name, value in fields if value]
    width = max(len(name) for name, _ in present)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in present)
    lines = [f"% Added by `invoke cite` from {source}; check it against the article."]
    designs = [DESIGNS[t] for t in work.publication_types if t in DESIGNS]
    if designs:
        lines.append(f"% Suggested study design for the evidence records: {designs[0]} "
                     f"(PubMed publication types: {'; '.join(work.publication_types)})")
    missing = [name for name in ("author", "journal", "year")
               if not dict(fields).get(name)]
    if missing:
        lines.append(f"% UNVERIFIED: {', '.join(missing)} (not in the {source} record)")
    return "\n".join([*lines, f"@article{{{key},", body, "}"]) + "\n"


def refuse_duplicates(path: Path, work: Work) -> set[str]:
    """The keys already in the file; a CiteError if the DOI or PMID is already there."""
    bibliography = load_files([path]) if path.is_file() else None
    if bibliography is None:
        return set()
    for entry in bibliography.entries.values():
        fields = entry.fields
        for name, value in (("doi", work.doi), ("pmid", work.pmid)):
            if value and fields.get(name, "").strip().lower() == value.lower():
                raise CiteError(
                    f"{path.name} already has {name.upper()} {value} as '{entry.key}' "
                    f"(line {entry.line}); nothing was added")
    return set(bibliography.entries)


def append_entry(path: Path, text: str) -> None:
    """Add ``text`` at the end of the file; every byte before it stays as it was."""
    before = path.read_bytes() if path.is_file() else b""
    separator = b"" if not before else b"\n" if before.endswith(b"\n") else b"\n\n"
    with path.open("ab") as out:
        out.write(separator + text.encode("utf-8"))
