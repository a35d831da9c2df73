"""Turn errors that Pelican only logs into diagnostics, so they fail the build.

Pelican logs, and carries on past, a plugin whose register() raised, a reader that
raised, or a page missing a mandatory field. A build that "succeeds" without a file
or a plugin is worse than one that stops, so every such error is reported."""

from __future__ import annotations

import logging

from .records import Report

CODE = "pelican.error"
HINT = "Pelican reported this itself; fix the file or setting it names"


class ErrorWatcher(logging.Handler):
    """Keeps Pelican's error records until a build's report can take them."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.pending: list[logging.LogRecord] = []
        self.report: Report | None = None
        self.after_resolve = 0

    def emit(self, record: logging.LogRecord) -> None:
        if self.report is None:
            self.pending.append(record)
        else:
            self._report(record)

    def bind(self, report: Report) -> None:
        """From now on, errors go into this build's report."""
        self.report, self.after_resolve = report, 0
        pending, self.pending = self.pending, []
        for record in pending:
            self._report(record)

    def _report(self, record: logging.LogRecord) -> None:
        assert self.report is not None
        path = _source_path(record) or "pelicanconf.py"
        message = record.getMessage().replace(str(path), self.report.relpath(path))
        self.report.error(path, 1, 1, CODE, message, hint=HINT)
        self.after_resolve += 1


def _source_path(record: logging.LogRecord) -> str | None:
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    for arg in args:
        source = getattr(arg, "source_path", None)
        if source:
            return str(source)
        if isinstance(arg, str) and arg.endswith((".md", ".markdown", ".html", ".rst")):
            return arg
    return None


def install(logger_name: str = "pelican") -> ErrorWatcher:
    """The watcher on Pelican's logger, added once however often plugins register."""
    logger = logging.getLogger(logger_name)
    for handler in logger.handlers:
        if isinstance(handler, ErrorWatcher):
            return handler
    watcher = ErrorWatcher()
    logger.addHandler(watcher)
    return watcher
