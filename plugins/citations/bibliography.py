"""Load BibTeX and CSL-JSON files into one record type.

Every entry keeps the file and line it came from, so checks can point at it. A
malformed entry is recorded as a problem and the rest of the file still loads.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text

from plugins.diagnostics import Finding

from .convert import to_csl
from .inherit import Source, parents, resolve
from .journals import add_abbreviation

UNVERIFIED = re.compile(r"UNVERIFIED:(?P<fields>[^\n]*)", re.IGNORECASE)
CSL_ID = re.compile(r'"id"\s*:\s*"(?P<key>(?:[^"\\]|\\.)*)"')


def _finding(path: Path, line: int, col: int, code: str, message: str,
             hint: str | None = None) -> Finding:
    """Something wrong in a bibliography file; reported by the checks."""
    return Finding(str(path), line, col, code, message, hint=hint)


@dataclass
class Entry:
    """One bibliography entry: CSL-JSON data plus where it was written."""

    key: str
    csl: dict[str, Any]
    path: Path
    line: int
    col: int = 1
    fields: dict[str, str] = field(default_factory=dict)  # every source field, pmid etc. kept
    field_positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # by field name
    unverified: frozenset[str] = frozenset()  # words of an "UNVERIFIED: ..." note

    def position_of(self, field_name: str) -> tuple[int, int]:
        """Line and column of a field, or of the entry when the field has no position."""
        return self.field_positions.get(field_name, (self.line, self.col))


@dataclass
class Bibliography:
    entries: dict[str, Entry] = field(default_factory=dict)  # the first entry of each key
    problems: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    parents: set[str] = field(default_factory=set)  # keys other entries take fields from
    unreadable: list[Finding] = field(default_factory=list)  # files that gave no entries

    def add(self, entry: Entry) -> None:
        first = self.entries.get(entry.key)
        if first is None:
            self.entries[entry.key] = entry
            return
        self.problems.append(_finding(
            entry.path, entry.line, entry.col, "citations.duplicate-key",
            f"bibliography key '{entry.key}' is defined twice; "
            f"first at {_where(first.path, entry.path)}:{first.line}",
            "delete one of the two entries, or give one a different key",
        ))


def _where(path: Path, relative_to: Path) -> str:
    return path.name if path.parent == relative_to.parent else str(path)


def unverified_words(comment: str) -> frozenset[str]:
    """Field names an ``UNVERIFIED: author list, pmid`` note says were left out on purpose."""
    words: set[str] = set()
    for match in UNVERIFIED.finditer(comment):
        words.update(re.findall(r"[a-z]+", match.group("fields").lower()))
    return frozenset(words)


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """bibtexparser logs each malformed block; we report it as a diagnostic instead."""
    logger = logging.getLogger(logger_name)
    level, logger.level = logger.level, logging.CRITICAL
    try:
        yield
    finally:
        logger.level = level


def field_text(value: Any) -> str:
    """A field's value as text; a list of names as BibTeX writes it ("Last, First and …"),
    not as Python would print the parsed name objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " and ".join(getattr(name, "merge_last_name_first", None) or str(name)
                            for name in value)
    return str(value)


def load_bibtex(path: Path, text: str, bibliography: Bibliography) -> None:
    latex = LatexNodes2Text(math_mode="text")
    lines = text.split("\n")
    with _quiet("bibtexparser"):
        library = bibtexparser.parse_string(
            text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    comment = ""
    # Each entry (or duplicate) with the comment above it, in file order.
    read: list[tuple[model.Entry | model.DuplicateBlockKeyBlock, str]] = []
    for block in library.blocks:
        if isinstance(block, model.ExplicitComment | model.ImplicitComment):
            comment = block.comment
            continue
        if isinstance(block, model.DuplicateBlockKeyBlock):
            read.append((block, comment))  # reported in file order, with the others
        elif isinstance(block, model.ParsingFailedBlock):
            first_line = (block.raw or "").strip().splitlines()[:1]
            bibliography.problems.append(_finding(
                path, block.start_line + 1, 1, "citations.malformed-entry",
                f"this bibliography entry cannot be read: "
                f"'{first_line[0][:60] if first_line else ''}'",
                "check that every field is 'name = {value},' and that the braces balance; "
                "re-export the entry from Zotero or PubMed if in doubt",
            ))
        elif isinstance(block, model.Entry):
            read.append((block, comment))
        comment = ""
    sources = {block.key: Source(block.entry_type.lower(),
                                 {f.key.lower(): f.value for f in block.fields})
               for block, _ in read if isinstance(block, model.Entry)}
    for block, comment in read:
        if isinstance(block, model.DuplicateBlockKeyBlock):
            bibliography.add(Entry(block.key, {}, path, block.start_line + 1))
            continue
        if block.entry_type.lower() == "xdata":
            continue  # not a work: fields for the entries that name it
        positions = {}
        for f in block.fields:
            line = lines[f.start_line] if f.start_line < len(lines) else ""
            column = line.find(f.key) + 1 if f.key in line else 1
            positions[f.key.lower()] = (f.start_line + 1, column)
        fields, missing = resolve(block.key, sources)
        for link, parent in missing:
            bibliography.problems.append(_finding(
                path, *positions.get(link, (block.start_line + 1, 1)),
                "citations.missing-parent",
                f"reference '{block.key}' takes fields from '{parent}' ({link}), "
                f"but there is no entry '{parent}'",
                f"add the entry '{parent}' to {path.name}, or correct the {link} field"))
        bibliography.parents.update(parent for _, parent in parents(sources[block.key].fields))
        csl = to_csl(block.key, block.entry_type, fields, latex)
        add_abbreviation(csl)
        bibliography.add(Entry(
            key=block.key, csl=csl, path=path, line=block.start_line + 1,
            fields={k: field_text(v) for k, v in fields.items()},
            field_positions=positions, unverified=unverified_words(comment),
        ))


def load_csl_json(path: Path, text: str, bibliography: Bibliography) -> None:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as err:
        bibliography.problems.append(_finding(
            path, err.lineno, err.colno, "citations.malformed-entry",
            f"this CSL-JSON file cannot be read: {err.msg}",
            "export it again from Zotero (File > Export Library > CSL JSON)",
        ))
        return
    if isinstance(items, dict):
        items = items.get("items", [items])
    lines = iter([(m.group("key"), text.count("\n", 0, m.start()) + 1)
                  for m in CSL_ID.finditer(text)])
    positions: dict[str, list[int]] = {}
    for key, line in lines:
        positions.setdefault(key, []).append(line)
    for index, item in enumerate(items if isinstance(items, list) else []):
        key = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(key, str | int) or not str(key):
            bibliography.problems.append(_finding(
                path, 1, 1, "citations.malformed-entry",
                f"item {index + 1} of this CSL-JSON file has no \"id\"",
                "give every item an \"id\" (its citation key)",
            ))
            continue
        key = str(key)
        line = positions.get(key, [1]).pop(0) if positions.get(key) else 1
        csl = dict(item)
        csl["id"] = key
        add_abbreviation(csl)
        note = str(csl.get("note", ""))
        bibliography.add(Entry(
            key=key, csl=csl, path=path, line=line,
            fields={k: str(v) for k, v in item.items() if isinstance(v, str | int)},
            unverified=unverified_words(note),
        ))


def likely_encoding(raw: bytes, bad: int) -> str:
    """What a file that is not UTF-8 probably is, and what its bad byte means there."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return f"Latin-1, where it is '{bytes([raw[bad]]).decode('latin-1')}'"
    return f"Windows-1252, where it is '{bytes([raw[bad]]).decode('cp1252')}'"


def unreadable(path: Path, raw: bytes) -> tuple[str, Finding | None]:
    """The text of a bibliography file, or the one problem that stops it being read."""
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n"), None
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return "", _finding(
            path, line, col, "citations.unreadable-bibliography",
            f"the bibliography is not UTF-8: byte 0x{raw[err.start]:02x} at byte offset "
            f"{err.start} cannot be decoded (the file looks like "
            f"{likely_encoding(raw, err.start)})",
            "save it as UTF-8 (in Zotero's export dialog: Character Encoding: Unicode "
            "(UTF-8)); nothing in this file can be cited until then")


def load_files(paths: list[Path]) -> Bibliography:
    """Every entry of every file, in order; problems recorded, nothing raised.

    A file that cannot be read at all (not UTF-8, or without a single entry) is one
    problem in ``unreadable``: the unknown keys it causes are its consequence.
    """
    return load_bytes((path, read_file(path)) for path in paths)  # one file's bytes at a time


def read_file(path: Path) -> bytes | None:
    """A bibliography file's bytes, or None when it is not there (or not a file)."""
    return path.read_bytes() if path.is_file() else None


def load_bytes(files: Iterable[tuple[Path, bytes | None]]) -> Bibliography:
    """``load_files`` of files already read: each file's path and bytes are all it reads."""
    bibliography = Bibliography()
    for path, raw in files:
        if raw is None:
            bibliography.missing.append(path)
            continue
        bibliography.files.append(path)
        text, problem = unreadable(path, raw)
        del raw  # its text is kept while it is parsed, not its bytes too (memory)
        if problem is not None:
            bibliography.unreadable.append(problem)
            continue
        before = (len(bibliography.entries), len(bibliography.problems))
        if path.suffix.lower() == ".json":
            load_csl_json(path, text, bibliography)
        else:
            load_bibtex(path, text, bibliography)
        if (len(bibliography.entries), len(bibliography.problems)) == before:
            bibliography.unreadable.append(_finding(
                path, 1, 1, "citations.unreadable-bibliography",
                "the bibliography has no entries" + (" (the file is empty)"
                                                     if not text.strip() else ""),
                "export the references again (Zotero: Export Item... > BibTeX) or remove "
                "the file from CITATIONS_BIBLIOGRAPHY"))
    return bibliography


def bibliography_paths(base: str | Path, files: str | Sequence[str]) -> list[Path]:
    """The files of CITATIONS_BIBLIOGRAPHY (one name, or a list), under ``base`` (PATH)."""
    return [Path(base) / f for f in ([files] if isinstance(files, str) else files)]
