"""Which files under content/ may be there: only known file types are published.

Pelican copies everything under STATIC_PATHS as it is, so a ``.js`` file under
``content/images/`` would be served from the site's own origin, where the
Content-Security-Policy (``script-src 'self'``) lets it run. Pure: paths in, findings out.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

SOURCES = frozenset({".md", ".markdown"})
# Read by the build (bibliography, registry, pharmacy facts), never copied.
DATA = frozenset({".bib", ".json", ".yaml", ".yml"})
# Copied as they are from STATIC_PATHS: images and documents that cannot run code.
STATIC = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf"})
ACTIVE_SVG = re.compile(rb"<script|\son[a-z]+\s*=|javascript:|<foreignobject", re.IGNORECASE)


class FileFinding(NamedTuple):
    path: Path
    code: str
    message: str
    hint: str


def _under(relative: Path, folders: Iterable[str]) -> bool:
    return any(relative.parts[: len(Path(f).parts)] == Path(f).parts for f in folders)


def check_files(content: Path, static_paths: Iterable[str],
                ignore: Iterable[str] = ()) -> list[FileFinding]:
    """Every file under ``content`` that is not a source, a data file or a known static
    type, and every SVG that can run a script."""
    static_paths, ignore = list(static_paths), list(ignore)
    findings = []
    for path in sorted(p for p in content.rglob("*") if p.is_file()):
        relative = path.relative_to(content)
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in ignore):
            continue
        suffix = path.suffix.lower()
        published = _under(relative, static_paths)
        if suffix == ".svg":
            if ACTIVE_SVG.search(path.read_bytes()):
                findings.append(FileFinding(
                    path, "static.svg-script",
                    "this SVG contains a script, an event handler or a javascript: link",
                    "export the image again as plain SVG (no scripts), or as PNG"))
            elif not published:
                findings.append(_unknown(path, static_paths))
            continue
        if suffix in SOURCES or (suffix in DATA and not published) or \
                (suffix in STATIC and published):
            continue
        findings.append(_unknown(path, static_paths))
    return findings


def _unknown(path: Path, static_paths: list[str]) -> FileFinding:
    suffix = path.suffix.lower() or "(none)"
    where = ", ".join(f"content/{p}/" for p in static_paths) or "nowhere"
    if suffix in {".js", ".mjs", ".html", ".htm", ".xhtml"}:
        message = f"a {suffix} file in content/ would be published as code from this site"
    else:
        message = f"files of type {suffix} are not published from here"
    return FileFinding(path, "static.file-type", message,
                       f"remove it; images ({', '.join(sorted(STATIC))}, .svg) go under "
                       f"{where}, Markdown under articles/ or pages/")
