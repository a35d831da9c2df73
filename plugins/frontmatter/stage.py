"""The schema stage of the page pipeline (every field checked against the schema, the
address fields against the theme and the build's own files), and the site check that no
two pages, or a page and a file the build writes, share an address."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.diagnostics import Build, Finding
from plugins.sources import Position, SourceError, parse_source
from plugins.sources.contents import contents

from .addresses import Address, Reserved, check_fields, collisions, template_names
from .schema import FIELDS, validate
from .settings import front_matter_settings

if TYPE_CHECKING:
    from plugins.pipeline.page import Page

ADDRESS_FIELDS = ("slug", "url", "save_as")


@dataclass
class Addresses:
    """The build's theme templates a page may name, and the addresses the build keeps."""

    templates: set[str]
    reserved: Reserved

    @classmethod
    def start(cls, build: Build) -> Addresses:
        settings = build.settings
        # Only the templates made for a page: the others expect other data than a page's.
        pages = set(build.state(front_matter_settings).page_templates)
        return cls(template_names(settings.get("THEME")) & pages,
                   Reserved.from_settings(build.settings))


def check(page: Page, build: Build) -> list[Finding]:
    """The front-matter's types, and its address fields; a refused address skips the page."""
    state = build.state(Addresses.start)
    front_matter = page.source.front_matter
    typed = validate(front_matter)
    findings = check_fields(front_matter, state.templates, state.reserved)
    # Where the fields are written is worked out again for the rare page whose address
    # collides (positions_of): kept for every page, it was memory for nothing.
    page.explicit_address = "url" in front_matter.data or "save_as" in front_matter.data
    pelicans = {front_matter.value_position(key) for key, spec in FIELDS.items()
                if spec.owner == "pelican" and key in front_matter.data}
    if findings or any(f.position in pelicans for f in typed):
        # Pelican never uses a refused address or a wrongly typed value of its own
        # fields: the page is skipped (Pelican would otherwise log an error of its own
        # for the same mistake, or write outside the site). One report is enough.
        page.metadata["status"] = "skip"
        page.address_refused = True
    return typed + findings


def positions_of(path: str) -> dict[str, Position]:
    """Where a page's address fields are written (none if it cannot be read again)."""
    try:
        front_matter = parse_source(Path(path), Path(path).read_bytes()).front_matter
    except (OSError, SourceError):
        return {}
    return {key: front_matter.value_position(key)
            for key in ADDRESS_FIELDS if key in front_matter.data}


def check_addresses(pages: list[Page], generators: list[Any], build: Build) -> None:
    state = build.state(Addresses.start)
    report = build.report
    # Each page by the source path its content object keeps too (stages.render); and by
    # its name in the report, worked out once a page.
    by_path = {page.path: page for page in pages}
    read: dict[str, Page] = {}
    addresses = []
    for obj in contents(generators):
        source = report.relpath(obj.source_path)
        page = by_path.get(str(obj.source_path))
        if page is not None:
            read[source] = page
        explicit = page is not None and page.explicit_address
        addresses.append(Address(source, str(getattr(obj, "slug", "") or ""), str(obj.url),
                                 str(obj.save_as), obj.status == "draft", explicit))
    for address, key, code, message in collisions(addresses, state.reserved):
        page = read.get(address.source)
        if page is not None and page.address_refused:
            continue  # its address is already reported where it is written
        fields = positions_of(page.path) if page is not None else {}
        where = fields.get(key) or fields.get("slug") or Position(1, 1)
        hint = {"frontmatter.bad-slug": "rename the file, or give it a slug: such as "
                "ldn-fibromyalgia",
                "frontmatter.duplicate-slug": "give one of them another slug"}.get(
                    code, "choose another slug, or remove save_as and url")
        report.error(report.root / address.source, *where, code, message, hint=hint)
