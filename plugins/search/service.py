"""A small client of Pagefind's service mode (`pagefind --service`).

Pagefind documents the protocol its Node and Python APIs speak: each message is
base64(JSON) followed by a comma, on the service's stdin; each answer comes the same way
on its stdout, with the message_id it answers. The service reads stdin on a thread of its
own into an unbounded queue and handles messages one at a time, in the order they came,
so a sender never waits for it and pages go into the index in the order they were sent.

Pagefind's own Python client (`pagefind.index`) is not used: its response loop sleeps
0.1 s before reading each answer (pagefind 1.5.2, `service._wait_for_responses`), which
made indexing a page at a time cost 100 ms a page. Here answers are read only at the end,
all at once; the binary is still the one that package ships.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from pagefind.service import get_executable

WRITE_TIMEOUT = 60  # seconds

class PagefindError(RuntimeError):
    """The service failed, refused a message, or ended before answering them all."""


def _frame(message: dict[str, Any]) -> bytes:
    return base64.b64encode(json.dumps(message).encode("utf-8")) + b","


class PagefindService:
    """One `pagefind --service` process and one index in it.

    Paths are relative to `site`, the service's working folder, so that Pagefind makes
    each page's URL from its path exactly as `pagefind --site <site>` does.
    """

    def __init__(self, site: Path, config: dict[str, Any]) -> None:
        binary = get_executable()
        if binary is None:
            raise PagefindError("the Pagefind binary was not found (pip package "
                                "pagefind[extended])")
        # Open as long as the service runs (close() closes it); read when it fails.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                [str(binary), "--service"], cwd=site, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=self._stderr)
        except OSError as failed:
            raise PagefindError(f"Pagefind did not start: {failed}") from None
        # Written without blocking: a service that stops reading fails the build, where
        # a blocking write would hang it.
        self._stdin = self._process.stdin.fileno()
        os.set_blocking(self._stdin, False)
        self._sent = 0
        self._buffer = b""
        self._index = self._new_index(config)

    def _send(self, payload: dict[str, Any]) -> int:
        """Write one message; fails if the service takes none of it for WRITE_TIMEOUT."""
        self._sent += 1
        data = memoryview(_frame({"message_id": self._sent, "payload": payload}))
        while data:
            if not select.select([], [self._stdin], [], WRITE_TIMEOUT)[1]:
                self._process.kill()
                raise PagefindError(f"Pagefind read nothing for {WRITE_TIMEOUT} s")
            try:
                data = data[os.write(self._stdin, data):]
            except BlockingIOError:
                continue
            except OSError:
                raise PagefindError(self._ended()) from None
        return self._sent

    def _answers(self, until: int, timeout: float) -> list[dict[str, Any]]:
        """Every answer up to message `until`, which must come within `timeout` seconds."""
        answers: list[dict[str, Any]] = []
        watchdog = threading.Timer(timeout, self._process.kill)
        watchdog.start()
        try:
            while True:
                while b"," not in self._buffer:
                    chunk = self._process.stdout.read1(1 << 16)
                    if not chunk:
                        raise PagefindError(self._ended())
                    self._buffer += chunk
                frame, self._buffer = self._buffer.split(b",", 1)
                answer = json.loads(base64.b64decode(frame))
                answers.append(answer)
                payload = answer.get("payload", {})
                if payload.get("type") == "Error" or answer.get("message_id") is None:
                    raise PagefindError(f"Pagefind refused a request: {payload.get('message')}")
                if answer["message_id"] >= until:
                    return answers
        finally:
            watchdog.cancel()

    def _ended(self) -> str:
        code = self._process.poll()
        self._stderr.seek(0)
        said = self._stderr.read().decode("utf-8", "replace").strip()
        return (f"Pagefind ended unexpectedly (exit status {code})"
                + (f": {said.splitlines()[-1]}" if said else ""))

    def _new_index(self, config: dict[str, Any]) -> int:
        (answer,) = self._answers(self._send({"type": "NewIndex", "config": config}), 60)
        return answer["payload"]["index_id"]

    def add_file(self, path: str, html: str) -> None:
        """Queue a page; its answer is read in write()."""
        self._send({"type": "AddFile", "index_id": self._index, "file_path": path,
                    "url": None, "file_contents": html})

    def write(self, bundle: Path, timeout: float = 600) -> None:
        """Wait for every page, then write the index into `bundle`."""
        self._answers(self._send({"type": "WriteFiles", "index_id": self._index,
                                  "output_path": str(bundle)}), timeout)

    def close(self) -> None:
        """End the service (it exits when its stdin closes), whatever state it is in."""
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._stderr.close()
