"""citeproc-py, run in a process of its own or, failing that, in the build.

citeproc-py and the lxml it loads take about 5 MB that a process never gives back, and
a build keeps every page until it ends: formatted in the build, the entries would cost
that for the whole build. So the build runs this file as a script (``python -P
engine.py``), sends every entry to format at once as JSON on stdin, and reads the HTML
back from stdout; the worker exits before the build has read most of its pages.

The file imports nothing of the plugin, so the worker starts without Pelican. The
build uses ``CiteprocRun`` in its own process only when the worker cannot run.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")
# citeproc-py takes about 5 ms an entry; a worker that takes far longer is stuck.
TIMEOUT_SECONDS = 60.0
TIMEOUT_PER_ENTRY = 0.1


class CiteprocRun:
    """One parsed style and one source of entries, formatting an entry at a time."""

    def __init__(self, style_path: str, items: list[dict[str, Any]], *, numbered: bool) -> None:
        from citeproc import CitationStylesStyle  # noqa: PLC0415 - only where it runs
        from citeproc.source.json import CiteProcJSON  # noqa: PLC0415

        self.style = CitationStylesStyle(style_path, validate=False)
        self.source = CiteProcJSON(items)
        self.numbered = numbered  # the style numbers its list: the number is not kept

    def format(self, key: str) -> str:
        """The entry as the style writes it in a reference list, as HTML."""
        from citeproc import (  # noqa: PLC0415
            Citation,
            CitationItem,
            CitationStylesBibliography,
            formatter,
        )

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns on CSL features it skips
            bib = CitationStylesBibliography(self.style, self.source, formatter.html)
            bib.register(Citation([CitationItem(key)]))
            text = str(bib.bibliography()[0])
        if self.numbered:
            text = LEADING_NUMBER.sub("", text, count=1)
        return text.strip()


def format_all(request: dict[str, Any]) -> dict[str, str | None]:
    """``request["keys"]`` formatted: None for an entry citeproc-py fails on."""
    run = CiteprocRun(request["style"], request["items"], numbered=request["numbered"])
    formatted: dict[str, str | None] = {}
    for key in request["keys"]:
        try:
            formatted[key] = run.format(key)
        except Exception:  # citeproc-py raises many kinds of errors on odd data
            formatted[key] = None
    return formatted


def run_worker(request: dict[str, Any],
               command: list[str] | None = None) -> dict[str, str | None] | None:
    """``format_all(request)`` in a new process; None when the worker did not answer.

    Whatever goes wrong there (no interpreter, citeproc-py missing, a crash, a timeout,
    output that is not the answer) the build formats the entries itself, with the same
    result, so the reason is only logged for whoever debugs the build.
    """
    keys = request["keys"]
    if command is None:
        if not sys.executable:
            return None
        # -P: the script's folder holds modules (cache, check, ...) that must not
        # shadow any that citeproc-py or lxml import.
        command = [sys.executable, "-P", str(Path(__file__).resolve())]
    timeout = TIMEOUT_SECONDS + TIMEOUT_PER_ENTRY * len(keys)
    try:
        done = subprocess.run(command, input=json.dumps(request).encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as err:
        logger.debug("citations: the citeproc worker did not run (%s)", err)
        return None
    if done.returncode != 0:
        logger.debug("citations: the citeproc worker failed (exit %s): %s", done.returncode,
                      done.stderr.decode("utf-8", "replace")[-2000:])
        return None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except ValueError as err:
        logger.debug("citations: the citeproc worker's answer cannot be read (%s)", err)
        return None
    if not isinstance(answer, dict):
        return None
    wanted = set(keys)
    return {key: value for key, value in answer.items()
            if key in wanted and (value is None or isinstance(value, str))}


def main() -> int:
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    answer = json.dumps(format_all(request), ensure_ascii=False)
    sys.stdout.buffer.write(answer.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
