"""The citeproc-py worker: a process of its own that formats entries during the build.

citeproc-py and the lxml it loads take about 5 MB that a process never gives back, and
a build keeps every page until it ends: formatted in the build, the entries would cost
that for the whole build. So when the build reads its first citation, it starts
engine.py as a script with every entry to format in one JSON file. The worker formats
them while the build goes on reading pages, writes the HTML to the answer file and
exits; the build reads the answer when it first needs a formatted entry, once every
page is read.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import subprocess
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import engine

logger = logging.getLogger(__name__)
# citeproc-py takes 1 to 5 ms an entry; a worker that takes far longer is stuck.
TIMEOUT_SECONDS = 60.0
TIMEOUT_PER_ENTRY = 0.1


def library_paths() -> list[str] | None:
    """The folders holding citeproc-py and lxml, the worker's only imports beyond the
    standard library; None if one is not installed. Finding them imports neither."""
    paths = []
    for name in ("citeproc", "lxml"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
        if spec is None or spec.origin is None:
            return None
        paths.append(str(Path(spec.origin).parent.parent))  # <folder>/<name>/__init__.py
    return list(dict.fromkeys(paths))


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
            paths = library_paths()
            if not sys.executable or paths is None:
                return None
            command = [sys.executable, "-S", "-P", str(Path(engine.__file__).resolve())]
            request = {**request, "path": paths}
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


