"""The content tree is closed: nothing is read or published through a symbolic link.

A link under content/ could publish any file the build can read (``images/env.png ->
/proc/self/environ`` published the build's environment). Pelican walks its folders with
``os.walk(followlinks=True)``, so each generator's ``get_files`` is replaced by
:func:`files_without_links`, the same rules without following or listing any link; the
data-file loaders ask :func:`is_linked` before they read; and :func:`links_under`
lists every link for the ``static.symlink`` diagnostic.
"""

# Pelican's get_files works on os.path strings and returns them; Path.resolve() would
# follow the very links this module must see.
# ruff: noqa: PTH100, PTH110, PTH112, PTH114, PTH118

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any


def is_linked(path: Path | str, root: Path | str) -> bool:
    """True when ``path`` lies outside ``root``, or it or a folder between ``root`` and
    it is a symbolic link, or it is a pipe, socket or device (reading one could wait
    for ever): such a file must not be read."""
    # Asked before every source is read: on strings, with one system call a part and one
    # for the file, as pathlib answers each question (a path of "//", which POSIX may
    # read otherwise, goes through pathlib itself).
    top, full = os.path.abspath(root), os.path.abspath(path)
    if top.startswith("//") or full.startswith("//"):
        return _is_linked_by_pathlib(top, full)
    base = top.rstrip("/") + "/"
    if full != top and not full.startswith(base):
        return True  # outside root
    if _is_link(top):
        return True  # content/ itself is a link: reported, nothing under it is read
    current = top
    for part in full[len(base):].split("/") if full != top else ():
        current = os.path.join(current, part)
        if _is_link(current):
            return True
    mode = _mode(current, os.stat)
    return mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


# The errors pathlib's is_symlink, exists, is_file and is_dir read as "no such file"
# (False); any other is raised, by them and here.
NO_SUCH_FILE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _mode(path: str, call: Callable[[str], os.stat_result]) -> int | None:
    """``call(path).st_mode``, or None where pathlib would answer False."""
    try:
        return call(path).st_mode
    except OSError as error:
        if error.errno not in NO_SUCH_FILE:
            raise
        return None
    except ValueError:
        return None


def _is_link(path: str) -> bool:
    mode = _mode(path, os.lstat)
    return mode is not None and stat.S_ISLNK(mode)


def _is_linked_by_pathlib(top: str, full: str) -> bool:
    try:
        relative = Path(full).relative_to(top)
    except ValueError:
        return True
    current = Path(top)
    if current.is_symlink():
        return True
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return True
    return current.exists() and not (current.is_file() or current.is_dir())


def ignored(patterns: Iterable[str]) -> Callable[[str], bool]:
    """``any(fnmatch.fnmatch(name, p) for p in patterns)`` as one compiled pattern: a
    file name is tried once, not once a pattern (IGNORE_FILES has five)."""
    found = [f"(?:{fnmatch.translate(os.path.normcase(p))})" for p in patterns]
    if not found:
        return lambda name: False
    match = re.compile("|".join(found)).match
    return lambda name: match(os.path.normcase(name)) is not None


def links_under(folder: Path, ignore: Iterable[str] = ()) -> Iterator[Path]:
    """Every symbolic link under ``folder`` (files and folders), never followed, and
    every pipe, socket or device.

    Names matching IGNORE_FILES are left out: Pelican reads none of them, and editors
    make some as links themselves (Emacs's ``.#name`` lock files)."""
    yield from _links(os.fspath(folder), ignored(ignore))


def _links(top: str, skip: Callable[[str], bool]) -> Iterator[Path]:
    """``os.walk(top)``'s order, top-down: each folder's names sorted, then its folders
    in listing order. Each entry's type is the one its folder's listing gives (a system
    call only where the listing does not say), not two system calls a file."""
    found, folders = [], []  # not every entry: content/articles/ holds thousands
    try:
        with os.scandir(top) as listing:
            for entry in listing:
                if not skip(entry.name) and (
                        entry.is_symlink() or not (entry.is_file() or entry.is_dir())):
                    found.append(entry.path)
                if entry.is_dir() and not entry.is_symlink():
                    folders.append(entry.path)
    except OSError:
        return  # as os.walk: a folder that cannot be listed has nothing in it
    yield from (Path(path) for path in sorted(found, key=os.path.basename))
    for folder in folders:
        yield from _links(folder, skip)


def outside(folder: Path, project: Path) -> bool:
    """True when ``folder``'s real path is not inside the project."""
    real, top = folder.resolve(), project.resolve()
    return real != top and top not in real.parents


def files_without_links(generator: Any, paths: Any, exclude: list[str] | None = None,
                        extensions: Any = None) -> set[str]:
    """Pelican's ``Generator.get_files`` (4.12), except that no link is followed or listed."""
    if isinstance(paths, str):
        paths = [paths]
    exclusions: dict[str, set[str]] = {}
    for excluded in exclude or []:
        parent, name = os.path.split(os.path.join(generator.path, excluded))
        exclusions.setdefault(parent, set()).add(name)
    ignores = generator.settings["IGNORE_FILES"]
    files: set[str] = set()
    if os.path.islink(generator.path):
        return files  # content/ itself is a link: reported, nothing under it is read
    for path in paths:
        root = os.path.join(generator.path, path) if path else generator.path
        if is_linked(root, generator.path):
            continue  # reported as static.symlink; never walked
        if os.path.isdir(root):
            _walk(generator, root, exclusions, ignored(ignores), extensions, files)
        elif os.path.exists(root) and generator._include_path(path, extensions):
            files.add(path)
    return files


def _walk(generator: Any, folder: str, exclusions: dict[str, set[str]],
          skip: Callable[[str], bool], extensions: Any, files: set[str]) -> None:
    """What ``os.walk(folder, followlinks=False)`` gives ``get_files``: its folders (less
    the excluded, the ignored and the links) walked, its regular files that are not
    links offered to Pelican's ``_include_path``. Each entry's type is the one the
    folder's listing gives: no system call a file (the files come out as a set)."""
    excluded = exclusions.get(folder, ())
    relative_dir = os.path.relpath(folder, generator.path)
    folders, taken = [], []  # kept only once the whole listing is read, as os.walk does
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                try:
                    is_dir = entry.is_dir()  # os.walk's test: a link to a folder is one
                except OSError:
                    is_dir = False
                if is_dir:
                    if (entry.name not in excluded and not entry.is_symlink()
                            and not skip(entry.name)):
                        folders.append(entry.path)
                elif not entry.is_symlink() and entry.is_file():
                    relative = os.path.join(relative_dir, entry.name)
                    if generator._include_path(relative, extensions):
                        taken.append(relative)
    except OSError:
        return  # as os.walk: a folder that cannot be listed has nothing in it
    files.update(taken)
    for path in folders:
        _walk(generator, path, exclusions, skip, extensions, files)
