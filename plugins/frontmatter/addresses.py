"""Where a page is written and linked: ``slug``, ``url``, ``save_as`` and ``template``
stay inside the site, and no two pages (or a page and a file the build writes itself)
share an address.

Pelican uses these values as they are: ``url: "/evil.example/x"`` becomes
``//evil.example/x`` in every link to the page, ``save_as: robots.txt`` replaces
robots.txt, ``template: ../../etc/passwd`` is looked up on disk, and two pages with one
slug end in a traceback (or one silently replaces the other). Pure: values in, findings out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.diagnostics import Finding
from plugins.sources.document import FrontMatter

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SEGMENT = r"[a-z0-9][a-z0-9._-]*"
URL = re.compile(rf"(?:{_SEGMENT}/)*(?:{_SEGMENT})?")
SAVE_AS = re.compile(rf"(?:{_SEGMENT}/)*{_SEGMENT}\.html")
TEMPLATE = re.compile(r"[a-z0-9][a-z0-9_-]*")
# What the build writes besides pages, whatever the settings say: the sitemap, the
# search index (tasks.py), the theme's files, feeds, condition pages.
BUILD_FILES = ("robots.txt", "sitemap.xml", "CNAME", "404.html")
BUILD_FOLDERS = ("pagefind/", "feeds/", "conditions/", "search/", "references/")
# The content's own patterns (drafts included): pages are checked page against page.
OWN = ("ARTICLE_", "PAGE_", "DRAFT_")


# (field, grammar, code, what is wrong, how to fix it) of the two address fields.
PLACES = (
    ("url", URL, "frontmatter.bad-url", "is not an address inside this site",
     "write it relative to the site, without a leading '/', '..' or 'https:', e.g. "
     "url: ldn-dosing/ (or leave url out: the page is at /<slug>/)"),
    ("save_as", SAVE_AS, "frontmatter.bad-save-as", "is not an .html file inside the site",
     "write a path like ldn-dosing/index.html, without a leading '/' or '..' (or leave "
     "save_as out: the page is written to <slug>/index.html)"),
)


def _clean(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def as_path(url: str) -> str:
    """The file a site URL is served from: ``a/`` and ``""`` name an index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


@dataclass(frozen=True)
class Reserved:
    """Files and folders of the output that no page may take."""

    files: frozenset[str]
    folders: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Reserved:
        files, folders = set(BUILD_FILES), set(BUILD_FOLDERS)
        folders.add(str(settings.get("THEME_STATIC_DIR") or "theme").strip("/") + "/")
        folders.update(str(p).strip("/") + "/" for p in settings.get("STATIC_PATHS") or [])
        names = [f"{n.upper()}_SAVE_AS" for n in settings.get("DIRECT_TEMPLATES") or []]
        for name in names:
            if name not in settings:
                files.add(name[: -len("_SAVE_AS")].lower() + ".html")
        for key, value in settings.items():
            if not isinstance(value, str) or not value or key.startswith(OWN) or not (
                    key.endswith(("_SAVE_AS", "_ATOM", "_RSS"))):
                continue
            fixed = value.split("{", 1)[0]
            if "{" in value:
                if "/" in fixed:
                    folders.add(fixed[: fixed.rindex("/") + 1])
            else:
                files.add(value)
        return cls(frozenset(files), frozenset(f for f in folders if f != "/"))

    def owner(self, path: str) -> str | None:
        """What the build writes at ``path`` (a file or a folder), if anything."""
        if path in self.files:
            return path
        return next((f for f in sorted(self.folders) if path.startswith(f)), None)


def check_fields(front_matter: FrontMatter, templates: Iterable[str],
                 reserved: Reserved) -> list[Finding]:
    """Each of slug, url, save_as and template that is text but not a safe address, or
    an address the build writes itself."""
    findings = []
    data = front_matter.data

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None  # other types: the schema's

    slug = text("slug")
    if slug is not None and not SLUG.fullmatch(slug):
        findings.append(Finding.at(
            front_matter.value_position("slug"), "frontmatter.bad-slug",
            f"the slug '{slug[:80]}' may hold only lower-case letters, digits and hyphens",
            f"for example slug: {_clean(slug) or 'ldn-fibromyalgia'}"))
    for key, grammar, code, problem, hint in PLACES:
        value = text(key)
        owner = None if value is None else reserved.owner(as_path(value))
        if owner is not None:
            findings.append(Finding.at(
                front_matter.value_position(key), "frontmatter.address-taken",
                f"{key} '{value[:80]}' is the address of files the build writes itself "
                f"({owner})",
                f"remove {key} (the page is then at /<slug>/), or choose another address"))
        elif value is not None and not grammar.fullmatch(value):
            findings.append(Finding.at(front_matter.value_position(key), code,
                                    f"{key} '{value[:80]}' {problem}", hint))
    template = text("template")
    known = sorted(templates)
    if template is not None and not (TEMPLATE.fullmatch(template) and template in known):
        findings.append(Finding.at(
            front_matter.value_position("template"), "frontmatter.bad-template",
            f"'{template[:80]}' is not a page template of the theme",
            f"use one of {', '.join(known)} (PAGE_TEMPLATES in pelicanconf.py), or "
            "leave template out"))
    return findings


@dataclass(frozen=True)
class Address:
    """One page's place in the output, and where its source sets it."""

    source: str  # path relative to the project
    slug: str
    url: str
    save_as: str
    draft: bool = False
    explicit: bool = False  # its url or save_as is written in its front-matter


def collisions(pages: list[Address], reserved: Reserved) -> list[tuple[Address, str, str, str]]:
    """(page, field, code, message) for each page whose slug, file or URL is taken: by a
    file the build writes, or by a page before it (by source path)."""
    found: list[tuple[Address, str, str, str]] = []
    taken: dict[str, Address] = {}
    slugs: dict[str, Address] = {}
    # A page at the address its slug gives keeps it; one that claims it with url or
    # save_as is the one reported.
    for page in sorted(pages, key=lambda p: (p.explicit, p.source)):
        if page.slug and not SLUG.fullmatch(page.slug):
            found.append((page, "slug", "frontmatter.bad-slug",
                          f"the slug '{page.slug[:80]}' may hold only lower-case letters, "
                          "digits and hyphens"))
            continue
        first = slugs.setdefault(page.slug, page) if page.slug else page
        if first is not page and first.draft == page.draft:
            found.append((page, "slug", "frontmatter.duplicate-slug",
                          f"the slug '{page.slug}' is also the slug of {first.source}; "
                          "two pages cannot share an address"))
            continue
        for field, path in (("save_as", page.save_as), ("url", as_path(page.url))):
            owner = reserved.owner(path)
            other = taken.get(path)
            if owner is not None:
                found.append((page, field, "frontmatter.address-taken",
                              f"this page would be written to '{path}', the address of "
                              f"files the build writes itself ({owner})"))
                break
            if other is not None and other.source != page.source:
                found.append((page, field, "frontmatter.address-taken",
                              f"this page would be written to '{path}', the address of "
                              f"{other.source}"))
                break
        else:
            for path in {page.save_as, as_path(page.url)}:
                taken.setdefault(path, page)
    return found


def template_names(theme: str | Path | None) -> set[str]:
    folder = Path(theme or ".") / "templates"
    return {p.stem for p in folder.glob("*.html") if p.is_file() and not p.is_symlink()}
