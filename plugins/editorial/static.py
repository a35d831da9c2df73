"""Which files under content/ may be there, and what they must really be.

Pelican copies everything under STATIC_PATHS as it is, so a ``.js`` file under
``content/images/`` would be served from the site's own origin, where the
Content-Security-Policy (``script-src 'self'``) lets it run; so would a ``.pdf`` or
``.png`` that is really text. Only known file types are published, each checked by its
bytes (sniff.py, svg.py); and no symbolic link is allowed anywhere under content/ or the
theme (plugins/sources/tree.py keeps Pelican from reading through one). Pure: paths in,
findings out.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from plugins.diagnostics import Finding
from plugins.sources.tree import ignored, links_under, outside

from .sniff import IMAGE_NAMES, image_problem, pdf_problem

SOURCES = frozenset({".md", ".markdown"})
# Read by the build (bibliography, registry, pharmacy facts), never copied.
DATA = frozenset({".bib", ".json", ".yaml", ".yml"})
# Copied as they are from STATIC_PATHS: images and documents that cannot run code.
STATIC = frozenset({*IMAGE_NAMES, ".pdf"})
IMAGE_HEAD = 64  # bytes: enough for every image signature


def file_finding(path: Path, code: str, message: str, hint: str) -> Finding:
    """An error about a whole file, at its first line."""
    return Finding(str(path), 1, 1, code, message, hint=hint)


def under(relative: Path, folders: Iterable[str]) -> bool:
    return any(relative.parts[: len(Path(f).parts)] == Path(f).parts for f in folders)


def _suffix(name: str) -> str:
    """``Path(name).suffix``, without making the Path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _files(folder: Path, skip: Callable[[str], bool]) -> Iterator[Path]:
    """Every regular file under ``folder`` but those ``skip`` names and the Markdown
    sources (most files, and where one lies does not matter), in order, without following
    links (each entry's type as its folder's listing gives it: no system call a file)."""
    found, folders = [], [str(folder)]
    while folders:
        try:
            listing = os.scandir(folders.pop())
        except OSError:
            continue  # as os.walk: a folder that cannot be listed has nothing in it
        with listing:
            for entry in listing:
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    folders.append(entry.path)
                elif (entry.is_file() and _suffix(entry.name).lower() not in SOURCES
                      and not skip(entry.name)):
                    found.append(Path(entry.path))
    yield from sorted(found)


def check_links(folder: Path, project: Path | None,
                ignore: Iterable[str] = ()) -> list[Finding]:
    """Every symbolic link under ``folder``, or the folder itself when it is a link or
    (``project`` given) its real path is outside the project: nothing is read through
    them."""
    if not folder.exists():
        return []
    if folder.is_symlink() or (project is not None and outside(folder, project)):
        return [file_finding(folder, "static.symlink", "this folder is a symbolic link (or "
                            "lies outside the project); nothing is read through it",
                            "make it a real folder inside the project")]
    return [_link(path) for path in links_under(folder, ignore)]


def _link(path: Path) -> Finding:
    if not path.is_symlink():
        return file_finding(path, "static.file-type", "this is not a regular file (a pipe, "
                           "socket or device); it is never read", "remove it")
    return file_finding(
        path, "static.symlink",
        f"this is a symbolic link{' to a folder' if path.is_dir() else ''}; links are "
        "never followed or published",
        "replace the link with a copy of the file itself, or remove it")


def check_files(content: Path, static_paths: Iterable[str],
                ignore: Iterable[str] = ()) -> list[Finding]:
    """Every file under ``content`` that is not a source, a data file or a known static
    type, and every static file whose bytes are not what its name says."""
    static_paths = list(static_paths)
    findings: list[Finding] = []
    for path in _files(content, ignored(ignore)):
        suffix = path.suffix.lower()
        published = under(path.relative_to(content), static_paths)
        if suffix == ".svg":
            # Imported here: defusedxml is two milliseconds of every build's start, and
            # most sites (ours) have no SVG under content/.
            from .svg import svg_problems  # noqa: PLC0415

            findings.extend(replace(p, path=str(path)) for p in svg_problems(path.read_bytes()))
            if published:
                continue
        elif suffix in STATIC and published:
            findings.extend(check_static(path, suffix))
            continue
        elif suffix in DATA and not published:
            continue
        findings.append(_unknown(path, static_paths))
    return findings


def check_static(path: Path, suffix: str) -> list[Finding]:
    """An image must start with its format's signature; a PDF must be a PDF that runs
    nothing."""
    if suffix == ".pdf":
        problem = pdf_problem(path.read_bytes())
        return [] if problem is None else [file_finding(
            path, "static.bad-pdf", problem,
            "save the document again as a plain PDF, without scripts, attachments or form "
            "actions (for example with Print > Save as PDF)")]
    with path.open("rb") as file:
        problem = image_problem(suffix, file.read(IMAGE_HEAD))
    return [] if problem is None else [file_finding(
        path, "static.bad-image", problem,
        f"export the picture again as {IMAGE_NAMES[suffix]}, or give the file the "
        "extension of what it really is (.png, .jpg, .gif, .webp, .avif)")]


def _unknown(path: Path, static_paths: list[str]) -> Finding:
    suffix = path.suffix.lower() or "(none)"
    where = ", ".join(f"content/{p}/" for p in static_paths) or "nowhere"
    if suffix in {".js", ".mjs", ".html", ".htm", ".xhtml"}:
        message = f"a {suffix} file in content/ would be published as code from this site"
    else:
        message = f"files of type {suffix} are not published from here"
    return file_finding(path, "static.file-type", message,
                       f"remove it; images ({', '.join(sorted(STATIC))}, .svg) go under "
                       f"{where}, Markdown under articles/ or pages/")
