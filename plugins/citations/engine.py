"""citeproc-py, run in a process of its own or, failing that, in the build.

citeproc-py and the lxml it loads take about 5 MB that a process never gives back, and
a build keeps every page until it ends: formatted in the build, the entries would cost
that for the whole build. So when the build reads its first citation, it starts this
file as a script (``python -P engine.py REQUEST ANSWER``) with every entry to format in
one JSON file. The worker formats them while the build goes on reading pages, writes
the HTML to the answer file and exits; the build reads the answer when it first needs
a formatted entry, once every page is read.

The file imports nothing of the plugin, so the worker starts without Pelican. The
build uses ``CiteprocRun`` in its own process only when the worker cannot run.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import tempfile
import time
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]?\s*")
# citeproc-py takes 1 to 5 ms an entry; a worker that takes far longer is stuck.
TIMEOUT_SECONDS = 60.0
TIMEOUT_PER_ENTRY = 0.1


XPathMemo = dict[tuple[Any, str], list[Any]]


@contextmanager
def memoized_xpath(memo: XPathMemo) -> Iterator[None]:
    """While in the block, citeproc-py's style lookups are answered from ``memo``.

    citeproc-py finds macros, terms, layouts and inherited options by running an XPath
    query on the style for every element of every entry it formats: the same few
    hundred queries on the same elements, thousands of times, and 40% (AMA) to 60%
    (APA) of its time. The style never changes once parsed, so each (element, query)
    has one answer. The memo belongs to one parsed style and goes with it; the
    element in each key keeps lxml's Python object for it, and so its identity, alive.
    """
    from citeproc.model import CitationStylesElement  # noqa: PLC0415 - only where it runs

    search = CitationStylesElement.__dict__["xpath_search"]

    def xpath_search(element: Any, expression: str) -> list[Any]:
        found = memo.get((element, expression))
        if found is None:
            found = memo[element, expression] = search(element, expression)
        return found

    CitationStylesElement.xpath_search = xpath_search  # type: ignore[method-assign]
    try:
        yield
    finally:
        CitationStylesElement.xpath_search = search  # type: ignore[method-assign]


class CiteprocRun:
    """One parsed style and one source of entries, formatting an entry at a time."""

    def __init__(self, style_path: str, items: list[dict[str, Any]], *, numbered: bool) -> None:
        from citeproc import CitationStylesStyle  # noqa: PLC0415 - only where it runs
        from citeproc.source.json import CiteProcJSON  # noqa: PLC0415

        self.style = CitationStylesStyle(style_path, validate=False)
        self.source = CiteProcJSON(items)
        self.numbered = numbered  # the style numbers its list: the number is not kept
        self.memo: XPathMemo = {}

    def format(self, key: str) -> str:
        """The entry as the style writes it in a reference list, as HTML."""
        from citeproc import (  # noqa: PLC0415
            Citation,
            CitationItem,
            CitationStylesBibliography,
            formatter,
        )

        with warnings.catch_warnings(), memoized_xpath(self.memo):
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


def _stop(process: subprocess.Popen[bytes], folder: tempfile.TemporaryDirectory[str]) -> None:
    """Stop the worker if it still runs, and remove its files."""
    if process.poll() is None:
        process.kill()
        process.wait()
    folder.cleanup()


@dataclass
class Worker:
    """A worker process formatting entries while the build goes on reading pages.

    Request and answer go through files, not pipes: a worker with its answer ready must
    exit at once, not wait with its memory held until the build reads a pipe. A build
    that fails before it asks for the answer stops the worker when it exits.
    """

    process: subprocess.Popen[bytes]
    folder: tempfile.TemporaryDirectory[str]
    keys: frozenset[str]
    deadline: float
    stop: weakref.finalize[Any, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.stop = weakref.finalize(self, _stop, self.process, self.folder)

    @classmethod
    def start(cls, request: dict[str, Any], command: list[str] | None = None, *,
              timeout: float | None = None) -> Worker | None:
        """The worker, formatting ``request["keys"]``; None if it cannot start."""
        if command is None:
            if not sys.executable:
                return None
            # -P: the script's folder holds modules (cache, check, ...) that must not
            # shadow any that citeproc-py or lxml import.
            command = [sys.executable, "-P", str(Path(__file__).resolve())]
        try:
            folder = tempfile.TemporaryDirectory(prefix="citations-")
        except OSError as err:
            logger.debug("citations: no folder for the citeproc worker (%s)", err)
            return None
        request_path, answer_path, log_path = (Path(folder.name) / name
                                               for name in ("request", "answer", "log"))
        try:
            request_path.write_text(json.dumps(request), encoding="utf-8")
            with log_path.open("wb") as log:
                process = subprocess.Popen([*command, str(request_path), str(answer_path)],
                                           stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        except OSError as err:
            logger.debug("citations: the citeproc worker did not start (%s)", err)
            folder.cleanup()
            return None
        if timeout is None:
            timeout = TIMEOUT_SECONDS + TIMEOUT_PER_ENTRY * len(request["keys"])
        return cls(process, folder, frozenset(request["keys"]), time.monotonic() + timeout)

    def result(self) -> dict[str, str | None] | None:
        """The worker's answer once it has exited; None when it gave none.

        Whatever went wrong there (citeproc-py missing, a crash, a timeout, a file that
        is not the answer) the build formats the entries itself, with the same result,
        so the reason is only logged for whoever debugs the build.
        """
        folder = Path(self.folder.name)
        try:
            code = self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
            if code != 0:
                log = (folder / "log").read_text(encoding="utf-8", errors="replace")
                logger.debug("citations: the citeproc worker failed (exit %s): %s", code,
                             log[-2000:])
                return None
            answer = json.loads((folder / "answer").read_text(encoding="utf-8"))
        except subprocess.TimeoutExpired:
            logger.debug("citations: the citeproc worker took too long and was stopped")
            return None
        except (OSError, ValueError) as err:
            logger.debug("citations: the citeproc worker's answer cannot be read (%s)", err)
            return None
        finally:
            self.stop()
        if not isinstance(answer, dict):
            return None
        return {key: value for key, value in answer.items()
                if key in self.keys and (value is None or isinstance(value, str))}


def main(argv: list[str]) -> int:
    """``engine.py REQUEST ANSWER``: format what the request file asks, write the answer."""
    request_path, answer_path = map(Path, argv)
    request = json.loads(request_path.read_text(encoding="utf-8"))
    answer_path.write_text(json.dumps(format_all(request), ensure_ascii=False),
                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
