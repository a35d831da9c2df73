"""Signal wiring: every Markdown file's front-matter is checked against the schema and
its address fields as it is read; once every page is read, the collect phase checks
that no two pages (or a page and a file the build writes) share an address."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plugins.diagnostics import Build, collect
from plugins.sources import Position, SourceDocument, source_read
from plugins.sources.contents import contents

from .addresses import Address, Reserved, check_fields, collisions, template_names
from .schema import FIELDS, validate

ADDRESS_FIELDS = ("slug", "url", "save_as")


@dataclass
class Addresses:
    """The build's theme templates, and where each source sets its address fields."""

    build: Build
    templates: set[str]
    reserved: Reserved
    positions: dict[str, dict[str, Position]] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)  # sources whose address was refused

    @classmethod
    def start(cls, build: Build) -> Addresses:
        settings = build.settings
        # Only the templates made for a page: the others expect other data than a page's.
        pages = set(settings.get("PAGE_TEMPLATES") or ("article", "page"))
        return cls(build, template_names(settings.get("THEME")) & pages,
                   Reserved.from_settings(build.settings))


def check_front_matter(doc: SourceDocument, metadata: dict[str, Any], build: Build) -> None:
    state = build.state(Addresses.start)
    front_matter = doc.front_matter
    typed = validate(front_matter)
    build.report.extend(doc.path, typed)
    findings = check_fields(front_matter, state.templates, state.reserved)
    build.report.extend(doc.path, findings)
    source = build.report.relpath(doc.path)
    positions = {key: front_matter.value_position(key)
                 for key in ADDRESS_FIELDS if key in front_matter.data}
    if positions:  # most pages set none: nothing is kept for them
        state.positions[source] = positions
    pelicans = {front_matter.value_position(key) for key, spec in FIELDS.items()
                if spec.owner == "pelican" and key in front_matter.data}
    if findings or any(f.position in pelicans for f in typed):
        # Pelican never uses a refused address or a wrongly typed value of its own
        # fields: the page is skipped (Pelican would otherwise log an error of its own
        # for the same mistake, or write outside the site). One report is enough.
        metadata["status"] = "skip"
        state.refused.add(source)


def check_addresses(generators: list[Any], build: Build) -> None:
    state = build.state(Addresses.start)
    report = build.report
    pages = []
    for obj in contents(generators):
        source = report.relpath(obj.source_path)
        explicit = bool({"url", "save_as"} & set(state.positions.get(source, {})))
        pages.append(Address(source, str(getattr(obj, "slug", "") or ""), str(obj.url),
                             str(obj.save_as), obj.status == "draft", explicit))
    for page, key, code, message in collisions(pages, state.reserved):
        if page.source in state.refused:
            continue  # its address is already reported where it is written
        fields = state.positions.get(page.source, {})
        where = fields.get(key) or fields.get("slug") or Position(1, 1)
        hint = {"frontmatter.bad-slug": "rename the file, or give it a slug: such as "
                "ldn-fibromyalgia",
                "frontmatter.duplicate-slug": "give one of them another slug"}.get(
                    code, "choose another slug, or remove save_as and url")
        report.error(report.root / page.source, *where, code, message, hint=hint)


def register() -> None:
    source_read.connect(check_front_matter)
    collect.connect(check_addresses)
