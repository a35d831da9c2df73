"""What a page's stages read of the bibliography and the study records, so that the page
cache (pagecache.py) keeps a page until one of those records changes, not until any
entry or record does.

A page's read depends on these, by the page pipeline's stages (plugins/pipeline/stages.py):
- each work it cites (in its text, its ``citations:``, and the safety blocks it places,
  whose citations are in its reference list): the work's bibliography entry (the
  citations stage), its formatted entry (the in-text citation and the reference list),
  its study record (the evidence stage's check of citations of works about other
  conditions) and its integrity flag (the integrity stage);
- whether there are any study records, and any flagged works (each stage's shortcut);
- the conditions as the evidence plugin marked them (tested or not: from all the
  records), which a page's conditions are;
- an ``!evidence`` table selects among all the records, with their works' names from
  the bibliography: a page with one (or the text ``!evidence`` anywhere) depends on the
  bibliography and study files whole (``WHOLE``).

Everything else the stages read (the other data files, the theme, the settings) is in
the cache's key. Each dependency is ``(kind, key)``; its digest is worked out once a build
(``Dependencies``) from the build's own loaded data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plugins.citations.bibliography import bibliography_paths
from plugins.citations.render import ReferenceList
from plugins.citations.settings import citation_settings
from plugins.citations.state import Citations
from plugins.conditions.stage import registry_of
from plugins.diagnostics import Build
from plugins.evidence.settings import evidence_settings
from plugins.evidence.state import Evidence
from plugins.integrity.stage import Integrity
from plugins.pipeline.page import Page, enabled

from .fingerprint import plain_digest

Dependency = tuple[str, str]
WHOLE: Dependency = ("files", "")  # the bibliography's and study records' files, as bytes
EVIDENCE = b"!evidence"


def precise_files(build: Build) -> list[Path]:
    """The files a page depends on by record (not in the cache's key): the bibliography
    and the study records."""
    settings = build.settings
    files = bibliography_paths(settings["PATH"], build.state(citation_settings).bibliography)
    return [*files, Path(settings["PATH"]) / build.state(evidence_settings).studies]


def dependencies(source: bytes, page: Page, metadata: dict[str, Any],
                 build: Build) -> tuple[Dependency, ...]:
    """What the page's read depended on of the bibliography and the study records."""
    on = build.state(enabled)
    evidence, integrity = "plugins.evidence" in on, "plugins.integrity" in on
    found: list[Dependency] = [("registry", "")] if evidence else []
    if EVIDENCE in source:
        return (*found, WHOLE)
    keys: set[str] = set()
    if page.uses is not None:
        keys.update(page.uses.found)
        keys.update(use.key for use in page.uses.unknown)
    for name in ("references", "further_reading"):
        listed = metadata.get(name)
        if isinstance(listed, ReferenceList):
            keys.update(listed._keys)
    if not keys:
        return tuple(found)
    per_key = ["entry", "formatted"]
    if evidence:
        found.append(("studies", ""))
        per_key.append("study")
    if integrity:
        found.append(("flagged", ""))
        per_key.append("flag")
    found += [(kind, key) for key in sorted(keys) for kind in per_key]
    return tuple(found)


class Dependencies:
    """Each dependency's digest in the running build, worked out once."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.known: dict[Dependency, bytes] = {}

    def digest(self, dependency: Dependency) -> bytes:
        found = self.known.get(dependency)
        if found is None:
            kind, key = dependency
            found = self.known[dependency] = plain_digest(KINDS[kind](self.build, key))
        return found

    def all(self, found: tuple[Dependency, ...]) -> tuple[bytes, ...]:
        return tuple(map(self.digest, found))


def _files(build: Build, key: str) -> Any:
    return [(str(path), hashlib.blake2b(path.read_bytes()).digest() if path.is_file()
             else None) for path in precise_files(build)]


def _registry(build: Build, key: str) -> Any:
    build.state(Evidence).mark_untested()  # as the pipeline's PREPARE does
    return build.state(registry_of).conditions


def _entry(build: Build, key: str) -> Any:
    return build.state(Citations).bibliography.entries.get(key)


def _formatted(build: Build, key: str) -> Any:
    try:
        return build.state(Citations).formatter[key]
    except Exception as error:  # what it is, as a value to compare
        return ("error", type(error).__name__, str(error))


def _studies(build: Build, key: str) -> Any:
    return bool(build.state(Evidence).studies)


def _study(build: Build, key: str) -> Any:
    return build.state(Evidence).studies.get(key)


def _flagged(build: Build, key: str) -> Any:
    return bool(build.state(Integrity.start).flagged)


def _flag(build: Build, key: str) -> Any:
    return build.state(Integrity.start).flagged.get(key)


KINDS: dict[str, Callable[[Build, str], Any]] = {
    "files": _files, "registry": _registry, "entry": _entry, "formatted": _formatted,
    "studies": _studies, "study": _study, "flagged": _flagged, "flag": _flag}
