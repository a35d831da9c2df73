"""citeproc-py run in a child process, so that the build's own never loads it.

citeproc-py and lxml add about 5 MB to a build's peak memory (docs/performance.md), and
only a build with entries missing from the on-disk cache needs them. The child is a fresh
interpreter running engine.py as a script (``-P``: its folder, whose modules are named
like ``cache`` and ``settings``, is not put on sys.path); a fresh one rather than a
fork, because the editor preview builds in a process with threads. It receives the
entries and returns only their HTML, and for an entry it cannot format, the exception
(its class name and message) that ``citations.format-failed`` reports.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

ENGINE = Path(__file__).with_name("engine.py")


class FormattingProcessFailed(RuntimeError):
    """The child process ended without a result (citeproc-py missing, out of memory)."""


def format_entries(style_path: str, items: list[dict[str, Any]], *,
                   numbered: bool) -> dict[str, str | Exception]:
    """engine.format_entries, run in a child process: the same texts and exceptions."""
    done = subprocess.run(
        [sys.executable, "-P", str(ENGINE)], input=pickle.dumps((style_path, items, numbered)),
        capture_output=True, check=False)
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise FormattingProcessFailed(
            f"citations: formatting references in a child process failed "
            f"(exit {done.returncode}): {detail[0]}")
    # Our own child's output: pickled str and built-in exceptions only (engine.portable).
    texts = pickle.loads(done.stdout)  # noqa: S301
    return {key: text if isinstance(text, str | Exception) else stand_in(*text)
            for key, text in texts.items()}


def stand_in(name: str, message: str) -> Exception:
    """An exception of citeproc-py's own class, as the report shows it: the class's name
    and the message (the class itself stays in the child, with citeproc-py)."""
    return type(name, (Exception,), {})(message)
