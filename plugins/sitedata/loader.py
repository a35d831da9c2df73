"""Load the YAML data files named in SITE_DATA, once per build, reporting bad YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plugins.diagnostics import Build, Report
from plugins.sources.frontmatter import SourceError, load_bounded, yaml_problem


@dataclass
class SiteData:
    """Each data file's contents under its context name, e.g. ``PHARMACY``."""

    values: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)


def load_data_file(path: Path, report: Report) -> Any:
    """The parsed YAML of ``path``, or None after reporting why it could not be read."""
    if not path.is_file():
        report.error(path, 1, 1, "sitedata.missing-file", f"data file {path.name} is missing",
                     hint="restore it from git, or remove it from SITE_DATA in pelicanconf.py")
        return None
    try:
        return load_bounded(path.read_text(encoding="utf-8"), path.name,
                            "sitedata.yaml-too-large")
    except SourceError as err:
        report.error(path, *err.position, err.code, err.message, hint=err.hint)
    except yaml.MarkedYAMLError as err:
        where, problem = yaml_problem(err)
        report.error(path, *where, "sitedata.bad-yaml", f"not valid YAML: {problem}",
                     hint="check the indentation and quoting on this line")
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        report.error(path, 1, 1, "sitedata.bad-yaml", f"cannot be read: {err}",
                     hint="save it as UTF-8 YAML")
    return None


def load_site_data(build: Build) -> SiteData:
    """Every file in SITE_DATA: the build's state, made once (``build.state(load_site_data)``)."""
    loaded = SiteData()
    for name, relative in build.settings.get("SITE_DATA", {}).items():
        path = Path(build.settings["PATH"]) / relative
        loaded.paths[name] = path
        loaded.values[name] = load_data_file(path, build.report) or {}
    return loaded
