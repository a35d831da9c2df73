"""Each plugin declares its settings once, with their defaults (plugins/diagnostics/settings.py):
the declarations document every field, and the project's settings files never state a
default again."""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, fields

import pytest
from pelican.settings import read_settings

from conftest import ROOT
from plugins.citations.settings import CitationSettings
from plugins.conditions.settings import ConditionSettings
from plugins.diagnostics.settings import DiagnosticsSettings, read_declared
from plugins.editorial.settings import EditorialSettings
from plugins.evidence.settings import EvidenceSettings
from plugins.frontmatter.settings import FrontMatterSettings
from plugins.integrity.settings import IntegritySettings
from plugins.review.settings import ReviewSettings
from plugins.safety.settings import SafetySettings
from plugins.sitedata.settings import SiteDataSettings
from plugins.sitemap.settings import SitemapSettings
from plugins.sources.settings import TocSettings

DECLARATIONS = [(CitationSettings, "CITATIONS_"), (ConditionSettings, ""),
                (DiagnosticsSettings, ""), (EditorialSettings, ""),
                (EvidenceSettings, "EVIDENCE_"), (FrontMatterSettings, ""),
                (IntegritySettings, "INTEGRITY_"), (ReviewSettings, "REVIEW_"),
                (SafetySettings, "SAFETY_"), (SiteDataSettings, ""),
                (SitemapSettings, ""), (TocSettings, "")]


def defaults(declaration):
    made = declaration()
    return {field.name: getattr(made, field.name) for field in fields(declaration)}


@pytest.mark.parametrize(("declaration", "prefix"), DECLARATIONS,
                         ids=[d.__name__ for d, _ in DECLARATIONS])
def test_every_field_has_a_docstring(declaration, prefix):
    del prefix
    body = ast.parse(inspect.getsource(declaration)).body[0].body
    pairs = zip(body, [*body[1:], None], strict=True)
    documented = {statement.target.id for statement, after in pairs
                  if isinstance(statement, ast.AnnAssign) and isinstance(after, ast.Expr)
                  and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)}
    assert {field.name for field in fields(declaration)} - documented == set()


@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_the_settings_files_never_repeat_a_declared_default(settings_file):
    settings = read_settings(str(ROOT / settings_file))
    repeated = [f"{prefix}{name}".upper()
                for declaration, prefix in DECLARATIONS
                for name, default in defaults(declaration).items()
                if f"{prefix}{name}".upper() in settings
                and same(settings[f"{prefix}{name}".upper()], default)]
    assert repeated == []


def same(given, default):
    """A list restates a tuple default as much as an equal tuple does."""
    if isinstance(given, list | tuple) and isinstance(default, list | tuple):
        return list(given) == list(default)
    return given == default


def test_a_declaration_reads_what_the_settings_give_and_defaults_the_rest():
    @dataclass(frozen=True)
    class Example:
        style: str = "ama"
        cache: bool = True
        url: str | None = "references/"

    read = read_declared(Example, {"X_STYLE": "apa", "X_URL": None, "STYLE": "no"}, "X_")
    assert read == Example(style="apa", cache=True, url=None)
