"""Signal wiring: every Markdown file's front-matter is checked against the schema."""

from __future__ import annotations

from typing import Any

from plugins.diagnostics import Build
from plugins.sources import SourceDocument, source_read

from .findings import report_all
from .schema import validate


def check_front_matter(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    report_all(build.report, doc.path, validate(doc.front_matter))


def register() -> None:
    source_read.connect(check_front_matter)
