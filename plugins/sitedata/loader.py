"""Load the YAML data files named in SITE_DATA, once per build, reporting bad YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from plugins.diagnostics import Build, Report
from plugins.sources.tree import is_linked
from plugins.sources.yamldoc import SourceError, parse

from .facts import is_placeholder
from .schema import SCHEMAS, check_shape, without
from .settings import site_data_settings


@dataclass
class SiteData:
    """Each data file's contents under its context name, e.g. ``PHARMACY``."""

    values: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    # The fields left out of each file because their values had the wrong type.
    refused: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    def was_refused(self, name: str, key: str) -> bool:
        """Whether field ``key`` of data file ``name`` (or all of it) was left out, so
        that a check does not report its absence again."""
        return any(path[:1] in ((), (key,)) for path in self.refused.get(name, ()))


class UnknownFact(NamedTuple):
    key: str  # dotted, e.g. contact.phone
    line: int
    col: int
    value: str


def unknown_facts(root: yaml.Node | None) -> list[UnknownFact]:
    """Every value of a data file's node tree that is still a PLACEHOLDER, where it is written."""
    found: list[UnknownFact] = []

    def walk(node: yaml.Node, key: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for name, value in node.value:
                walk(value, f"{key}.{name.value}" if key else str(name.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{key}[{index}]")
        elif isinstance(node, yaml.ScalarNode) and is_placeholder(str(node.value)):
            mark = node.start_mark
            found.append(UnknownFact(key, mark.line + 1, mark.column + 1, str(node.value)))

    if root is not None:
        walk(root, "")
    return found


def report_unknown_facts(path: Path, root: yaml.Node | None, report: Report) -> None:
    """One warning per unknown fact, so the pharmacy knows exactly what to supply."""
    for fact in unknown_facts(root):
        value = fact.value if len(fact.value) <= 80 else fact.value[:79] + "\u2026"
        report.warning(path, fact.line, fact.col, "sitedata.unknown-fact",
                       f"{fact.key} is not known yet ({value}); pages show it as to be "
                       "confirmed, or leave it out",
                       hint="replace the value with the fact the pharmacy supplies, never a guess")


def load_data_file(path: Path, report: Report) -> tuple[yaml.Node | None, Any]:
    """The node tree of ``path`` (positions) and its values, or (None, None) after
    reporting why it could not be read."""
    if not path.is_file():
        report.error(path, 1, 1, "sitedata.missing-file", f"data file {path.name} is missing",
                     hint="restore it from git, or remove it from SITE_DATA in pelicanconf.py")
        return None, None
    try:
        return parse(path.read_text(encoding="utf-8"), path.name, "sitedata")
    except SourceError as err:
        report.extend(path, [err.finding])
    except UnicodeDecodeError as err:
        report.error(path, 1, 1, "sitedata.bad-yaml", f"cannot be read: {err}",
                     hint="save it as UTF-8 YAML")
    return None, None


def load_site_data(build: Build) -> SiteData:
    """Every file in SITE_DATA: the build's state, made once (``build.state(load_site_data)``)."""
    loaded = SiteData()
    declared = build.state(site_data_settings)
    for name, relative in declared.site_data.items():
        path = Path(build.settings["PATH"]) / relative
        loaded.paths[name] = path
        if is_linked(path, build.settings["PATH"]):
            continue  # never read through a link: static.symlink reports it
        node, values = load_data_file(path, build.report)
        loaded.values[name] = values or {}
        shape = SCHEMAS.get(name)
        if loaded.values[name] and shape is not None:
            problems = check_shape(node, shape, path.name)
            build.report.extend(path, [problem.finding for problem in problems])
            loaded.values[name] = without(loaded.values[name], problems)
            loaded.refused[name] = [problem.field for problem in problems]
        if loaded.values[name] and declared.site_data_list_unknown:
            report_unknown_facts(path, node, build.report)
    return loaded
