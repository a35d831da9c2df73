"""The Markdown reader, the pipeline's entry: each source parsed once (YAML front-matter
through pelican-yaml-metadata's processing, positions kept), its page stages run
(stages.py), then its body converted; problems reported instead of raised."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pelican.plugins.yaml_metadata import YAMLMetadataReader

from plugins.diagnostics import Build, Finding
from plugins.diagnostics.settings import diagnostics_settings
from plugins.sources import SourceDocument, SourceError, parse_source
from plugins.sources.spans import holds
from plugins.sources.tree import is_linked

from .stages import read_page

# Pelican drops a file whose metadata says this, without logging an error of its own:
# the diagnostic we report is the one the editor sees.
SKIP = {"status": "skip"}
# `<!-- lint: allow ... "reason" -->` (plugins/editorial): read by the lint, not published.
# One that ends its line goes with the spaces before it; any other leaves a space, so
# that taking it out never joins what was around it (`<<!-- lint: ... -->script`).
LINT_COMMENT = re.compile(r"[ \t]*<!--\s*lint\s*:.*?-->(?P<end>\n|\Z)?", re.DOTALL)
# Front-matter fields that are text, whatever characters they hold, but that Pelican
# treats as HTML (it typogrifies them; the summary goes through Markdown first).
TEXT_FIELDS = ("title", "summary")
DATE_FIELDS = ("date", "modified", "last_reviewed", "next_review")


def as_html(text: str) -> str:
    """Text as HTML that shows it literally: ``&``, ``<``, ``>`` and ``"`` escaped.

    The apostrophe is left for typogrify to curl (no template quotes an attribute
    with it); plugins.escaping marks the typogrified result as Markup.
    """
    return html.escape(text, quote=False).replace('"', "&quot;")


def _without_lint_comment(match: re.Match[str]) -> str:
    return match.group("end") if match.group("end") is not None else " "


class SourceReader(YAMLMetadataReader):
    """Markdown with YAML front-matter; keeps the source for checks that need positions."""

    build: Build  # the run's, given by plugin.prepare before anything is read

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        report = self.build.report
        path = Path(source_path)
        if is_linked(path, self.settings["PATH"]):
            return "", dict(SKIP)  # never read through a link: static.symlink reports it
        try:
            doc = parse_source(path, path.read_bytes())
        except SourceError as err:
            report.extend(path, [err.finding])
            return "", dict(SKIP)

        found: list[Finding] = []  # the page's first findings: its front-matter's
        metadata = self._metadata(doc, found)
        if metadata is None:
            report.extend(path, found)
            return "", dict(SKIP)
        page = read_page(doc, metadata, self.build, found, source_path)

        if self.build.state(diagnostics_settings).check_only:
            page.release()
            return "", metadata  # checks need positions, not HTML: skip the costly part
        markdown = page.body
        if holds(markdown, "<!--"):
            markdown = LINT_COMMENT.sub(_without_lint_comment, markdown)  # not for visitors
        # No table of contents is kept: the theme reads it from the HTML (see toc.py).
        html = self._md.reset().convert(markdown)
        refused = self._refused_attributes(doc, "body", page.findings)
        page.findings += tuple(refused)
        report.extend(path, refused)
        page.release()  # the build keeps only the stage results: memory for large sites
        return html, metadata

    def _refused_attributes(self, doc: SourceDocument, field: str,
                            linted: Sequence[Finding] = ()) -> list[Finding]:
        """Each attribute list the last conversion refused (plugins/sources/attrlist.py),
        unless the raw-HTML lint (``linted``: the page's findings) named that line."""
        findings = []
        start = 0
        for keys in getattr(self._md, "attr_list_refused", ()):
            names = ", ".join(f"'{key}'" for key in keys)
            if field == "body":
                match = re.compile(rf"\{{[^{{}}\n]*?(?<![\w-]){re.escape(keys[0])}(?![\w-])",
                                   re.IGNORECASE).search(doc.body, start)
                offset = match.start() if match else 0
                start = match.end() if match else start
                where = doc.body_position(offset)
            else:
                where = doc.front_matter.value_position(field)
            if any(f.line == where.line and f.code.startswith("html.") for f in linted):
                continue  # the raw-HTML lint named what is in those braces already
            findings.append(Finding.at(
                where, "html.attr-list",
                f"an attribute list may set only an id and classes, not {names}",
                hint="write {: #name } or {: .name }, or remove the braces; attributes "
                     "such as onclick, style or href cannot be set from content"))
        return findings

    def _metadata(self, doc: SourceDocument, found: list[Finding]) -> dict[str, Any] | None:
        """Pelican metadata from the front-matter, or None when the file must be skipped;
        each problem added to ``found``."""
        front_matter = doc.front_matter
        for key, first, again in front_matter.duplicates:
            found.append(Finding.at(
                again, "sources.duplicate-field",
                f"field '{key}' is given twice (first on line {first.line})",
                hint="keep one of them",
            ))
        title = front_matter.data.get("title")
        if not isinstance(title, str) or not title.strip():
            where = front_matter.value_position("title")
            problem = ("is missing" if "title" not in front_matter.data
                       else "is empty" if title is None or isinstance(title, str)
                       else "must be text (one line, in quotes if it holds a ': ')")
            found.append(Finding.at(
                where, "sources.missing-title",
                f"the front-matter field 'title' {problem}",
                hint="add a line such as 'title: Low-dose naltrexone for fibromyalgia'",
            ))
            return None

        metadata: dict[str, Any] = {}
        ok = True
        for key, value in front_matter.data.items():
            if key in TEXT_FIELDS and isinstance(value, str):
                value = as_html(value)  # noqa: PLW2901 - the field's value from here on
            try:
                metadata.update(self._parse_yaml_metadata({key: value}, str(doc.path)))
                if key == "summary":  # through Markdown, as the body is
                    found += self._refused_attributes(doc, key)
            except (ValueError, TypeError) as err:
                ok = False
                found.append(Finding.at(
                    front_matter.value_position(key), "sources.bad-value",
                    f"field '{key}' has a value Pelican cannot use ({err})",
                    hint="dates are written YYYY-MM-DD" if key in DATE_FIELDS
                    else f"write '{key}' as the front-matter guide (docs/front-matter.md) shows",
                ))
        reviewed = front_matter.data.get("last_reviewed")
        if "date" not in metadata and isinstance(reviewed, datetime.date):
            # Reference content has no publication date of its own: the last review stands in.
            metadata.update(self._parse_yaml_metadata({"date": reviewed}, str(doc.path)))
        elif "date" not in metadata and reviewed is not None:
            # A last_reviewed that is not a date is reported by the review check; Pelican
            # would report the missing date of the same mistake again.
            metadata.update(SKIP)
        return metadata if ok else None
