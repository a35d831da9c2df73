"""A new bibliography entry from fetched metadata: its key, its BibTeX text, the check
that the work is not already there, and the checked append. No network here (see
fetch.py); the build never imports either module.

Every value came from a server and is untrusted: each field is held to a grammar (a year
is four digits, a volume a short token, a DOI the DOI pattern) or, for free text, has
control characters, line breaks and braces taken out, LaTeX's specials escaped and a
length cap. A value that fails its grammar is left out and named in a comment. The file
is replaced only once the new text reads back, with the project's loader, as the entries
it had plus exactly the new one.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .bibliography import Bibliography, load_files
from .identifiers import CITE_DOI, CITE_PMCID, PMID

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
# Longest text kept of each free-text field; a longer value is cut and the cut is noted.
CAPS = {"title": 600, "journal": 300, "shortjournal": 120, "name": 120}
MAX_AUTHORS = 100
TOKEN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9 .()/-]{0,28}[A-Za-z0-9.)])?$")  # 12, 3-4, Suppl 2
PAGES = re.compile(r"^[A-Za-z]{0,4}\d{1,8}[A-Za-z]{0,2}(?:--[A-Za-z]{0,4}\d{1,8}[A-Za-z]{0,2})?$")
NAME_SPLITTERS = re.compile(r",|\band\b", re.IGNORECASE)
PUBLICATION_TYPE = re.compile(r"^[A-Za-z][A-Za-z ,'()-]{0,79}$")


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
    letters = _ascii_letters(name.split()[0] if not work.authors and name.split() else name)
    stem = (letters[:30] or "anon") + _year(work.year)
    if stem not in taken:
        return stem
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if stem + letter not in taken:
            return stem + letter
    raise CiteError(f"every key from {stem}a to {stem}z is taken; add the entry by hand")


def plain(text: str, limit: int) -> tuple[str, bool]:
    """One line of text, at most ``limit`` characters: no control or format characters, no
    braces or backslashes; and whether it had to be cut."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                   for c in text if unicodedata.category(c) != "Cf")
    text = " ".join(text.replace("{", "").replace("}", "").replace("\\", " ").split())
    cut = len(text) > limit
    return (text[:limit].rstrip() + "…" if cut else text), cut


def latex(text: str) -> str:
    """Text with LaTeX's special characters escaped; ~ and ^ spelled as commands."""
    text = LATEX_SPECIAL.sub(r"\\\1", text)
    return text.replace("~", "{\\textasciitilde}").replace("^", "{\\textasciicircum}")


def expand_pages(pages: str) -> str:
    """MEDLINE's "663-72" as printed, "663--672"."""
    match = re.fullmatch(r"\s*(\w*?)(\d+)\s*[-\u2010-\u2015]\s*(\d+)\s*", pages)
    if not match:
        return pages.strip()
    prefix, first, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}--{prefix}{last}"


def _year(year: str) -> str:
    this_year = datetime.date.today().year
    return year if re.fullmatch(r"\d{4}", year) and 1500 <= int(year) <= this_year + 1 else ""


def checked_fields(work: Work) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Each BibTeX field with its value; the fields left out because the value was not in
    its field's form; and the free-text fields cut to their length cap."""
    cut: list[str] = []

    def text(name: str, value: str, cap: str = "") -> str:
        shortened, was_cut = plain(value, CAPS[cap or name])
        if was_cut and name not in cut:
            cut.append(name)
        return latex(shortened)

    def part(value: str) -> str:
        """A family or given name; one with a comma or an 'and' in braces, so that it
        stays one part of one name."""
        value = text("author", value, "name")
        return f"{{{value}}}" if NAME_SPLITTERS.search(value) else value

    names = [f"{part(family)}, {part(given)}" if given else part(family)
             for family, given in work.authors]
    names += [f"{{{text('author', group, 'name')}}}" for group in work.groups]
    if len(names) > MAX_AUTHORS:
        names = [*names[:MAX_AUTHORS], "others"]
        cut.append("author")
    written = [("author", " and ".join(n for n in names if n.strip(", {}")))]
    written += [(name, text(name, value)) for name, value in (
        ("title", work.title), ("journal", work.journal), ("shortjournal", work.shortjournal))]
    pages = expand_pages(work.pages)
    formal = [("year", work.year, _year(work.year)),
              ("volume", work.volume, work.volume if TOKEN.match(work.volume) else ""),
              ("number", work.number, work.number if TOKEN.match(work.number) else ""),
              ("pages", work.pages, pages if PAGES.match(pages) else ""),
              ("doi", work.doi, work.doi if CITE_DOI.match(work.doi) else ""),
              ("pmid", work.pmid, work.pmid if PMID.match(work.pmid) else ""),
              ("pmcid", work.pmcid, work.pmcid if CITE_PMCID.match(work.pmcid) else "")]
    left_out = [name for name, given, kept in formal if given.strip() and not kept]
    return written + [(name, kept) for name, _, kept in formal], left_out, cut


def to_bibtex(work: Work, key: str, source: str) -> str:
    """The entry's text, ending in a newline; a comment above it says where it came from,
    which values were left out or cut and, from PubMed's publication types, which study
    design it suggests."""
    fields, left_out, cut = checked_fields(work)
    present = [(name, value) for name, value in fields if value]
    width = max(len(name) for name, _ in present)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in present)
    lines = [f"% Added by `invoke cite` from {source}; check it against the article."]
    types = [t for t in work.publication_types[:20] if PUBLICATION_TYPE.match(t)]
    designs = [DESIGNS[t] for t in types if t in DESIGNS]
    if designs:
        lines.append(f"% Suggested study design for the evidence records: {designs[0]} "
                     f"(PubMed publication types: {'; '.join(types)})")
    if left_out:
        lines.append(f"% Left out, malformed in the record: {', '.join(left_out)}; copy "
                     f"{'it' if len(left_out) == 1 else 'them'} from the article if needed")
    if cut:
        lines.append(f"% Shortened, longer than any real one: {', '.join(cut)}; check it "
                     "against the article")
    missing = [name for name in ("author", "journal", "year") if not dict(fields).get(name)]
    if missing:
        lines.append(f"% UNVERIFIED: {', '.join(missing)} (not in the {source} record"
                     + (", or malformed there)" if set(missing) & set(left_out) else ")"))
    return "\n".join([*lines, f"@article{{{key},", body, "}"]) + "\n"


def refuse_duplicates(path: Path, work: Work) -> Bibliography | None:
    """The bibliography as it is (None if there is no file); a CiteError if the DOI or PMID
    is already there."""
    bibliography = load_files([path]) if path.is_file() else None
    if bibliography is None:
        return None
    for entry in bibliography.entries.values():
        fields = entry.fields
        for name, value in (("doi", work.doi), ("pmid", work.pmid)):
            if value and fields.get(name, "").strip().lower() == value.lower():
                raise CiteError(
                    f"{path.name} already has {name.upper()} {value} as '{entry.key}' "
                    f"(line {entry.line}); nothing was added")
    return bibliography


def _reads_back(candidate: Path, key: str, before: Bibliography | None) -> bool:
    """Whether the new file holds the entries it had, in order, plus ``key`` at the end,
    and no problem it did not have."""
    after = load_files([candidate])
    keys = list(before.entries) if before is not None else []
    problems = len(before.problems) if before is not None else 0
    return list(after.entries) == [*keys, key] and len(after.problems) == problems \
        and not after.unreadable


def append_checked(path: Path, text: str, key: str, before: Bibliography | None) -> None:
    """Add ``text`` at the end of the file, every byte before it kept; the file is replaced
    at once, and only if the result reads back as one more entry, ``key``."""
    old = path.read_bytes() if path.is_file() else b""
    separator = b"" if not old else b"\n" if old.endswith(b"\n") else b"\n\n"
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".cite.bib",
                                        dir=path.parent)
    candidate = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(old + separator + text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        if not _reads_back(candidate, key, before):
            raise CiteError(f"the new entry '{key}' did not read back as exactly one entry; "
                            f"{path.name} was not changed: add the entry by hand")
        if path.is_file():
            shutil.copymode(path, candidate)
        candidate.replace(path)
    finally:
        candidate.unlink(missing_ok=True)
