"""Claims in the text a visitor reads outside a page's body: each page's title and summary
(front-matter), and the text of the data files (conditions.yaml: names, in_short,
summaries; studies.yaml: outcomes, details; pharmacy.yaml: bios, captions, ...), each hit
at its own line and column in its own file. Pure but for reading the data files.

The rules are the body's (rules.py), applied the same way (claims.lint_claims) to each
value, except ``claims.uncited-result``: a title, a summary or a study record stands for
text whose sources are cited where it is expanded (the page's body, the record's key).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from plugins.conditions.settings import condition_settings
from plugins.diagnostics import Build, Finding
from plugins.evidence.settings import evidence_settings
from plugins.sitedata.settings import site_data_settings
from plugins.sources.spans import line_col, offset_of
from plugins.sources.yamldoc import SourceError, compose

from .claims import lint_claims

FRONT_MATTER_FIELDS = ("title", "summary")
NOT_HERE = ("claims.uncited-result",)
WORD = re.compile(r"\S+")
STRING = "tag:yaml.org,2002:str"


def lint_value(source: str, start: int, value: str,
               severities: Mapping[str, str] | None = None) -> list[Finding]:
    """The claims in one text value (no suppression comments: those are for the body),
    placed in ``source``, where the value is written from ``start``."""
    return [replace(hit, line=line, col=col) for hit in lint_claims(value, severities=severities)
            if hit.code.startswith("claims.") and hit.code not in NOT_HERE
            for line, col in [line_col(source, locate(source, start, value,
                                                      offset_of(value, hit.line, hit.col)))]]


def locate(source: str, start: int, value: str, offset: int) -> int:
    """Where ``value[offset]`` is in ``source``, for a YAML scalar written from ``start``
    (plain, quoted, or a block ``>-`` / ``|``): the value's words are found in order in
    the source; a word written differently there (an escape) gives the word's start."""
    if source.startswith((">", "|"), start):
        start = source.find("\n", start) + 1 or start
    elif source.startswith(("'", '"'), start):
        start += 1
    written = WORD.finditer(source, start)
    for word in WORD.finditer(value):
        there = next(written, None)
        if there is None:
            break
        if word.end() > offset:
            inside = offset - word.start()
            if inside <= 0 or not there.group().startswith(word.group()):
                return there.start()
            return there.start() + inside
    return start


def front_matter_hits(text: str, data: Mapping[str, object],
                      positions: Mapping[str, tuple[int, int]],
                      severities: Mapping[str, str] | None = None) -> Iterator[Finding]:
    """Each claim in the title and summary, placed in the file ``text``."""
    for name in FRONT_MATTER_FIELDS:
        value = data.get(name)
        if not isinstance(value, str) or name not in positions:
            continue
        yield from lint_value(text, offset_of(text, *positions[name]), value, severities)


def _strings(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Every text value of a data file (mapping keys are names, not text)."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STRING:
            yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _strings(item)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _strings(value)


def data_file_hits(path: Path, severities: Mapping[str, str] | None = None
                   ) -> list[Finding]:
    """Each claim in the file's text values. A file that is missing or cannot be read
    gives none: the plugin that reads it reports why."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return text_hits(text, severities)


def text_hits(text: str, severities: Mapping[str, str] | None = None) -> list[Finding]:
    """Each claim in the text values of a data file's ``text`` (none if it is not YAML)."""
    try:
        node = compose(text, "the data file", "editorial")
    except SourceError:
        return []
    return [hit for scalar in (_strings(node) if node is not None else ())
            for hit in lint_value(text, scalar.start_mark.index, scalar.value, severities)]


def data_files(build: Build) -> list[Path]:
    """The data files whose text the site shows: conditions, studies, pharmacy facts."""
    base = Path(str(build.settings.get("PATH") or "."))
    names = [build.state(condition_settings).conditions_registry,
             build.state(evidence_settings).studies]
    site_data = build.state(site_data_settings).site_data
    if isinstance(site_data, Mapping):
        names += list(site_data.values())
    return [base / str(name) for name in names if isinstance(name, str) and name]
