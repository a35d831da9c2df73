"""Kills the Pagefind service once Pelican has written a few pages, as the system would
kill a process it ran out of memory for: the build must fail, not hang or pass."""

import signal

from pelican import signals

from plugins.search.plugin import RUNNING

AFTER_PAGES = 3
written = []


def kill_after_a_few(path, context=None) -> None:
    written.append(path)
    if len(written) == AFTER_PAGES:
        for indexer in RUNNING.values():
            indexer.service._process.send_signal(signal.SIGKILL)


def register() -> None:
    signals.content_written.connect(kill_after_a_few)
