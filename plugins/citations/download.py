"""One bounded HTTP GET for `invoke cite`: a deadline for the whole exchange, a cap on the
answer's size, and redirects only within the same host, a few at most.

httpx's timeouts apply to each read, so a server that sends a byte a second never times
out; here a timer shuts the connection's socket when the deadline passes, which ends any
read at once, headers or body. The answer is read in pieces and reading stops past the
cap, whatever Content-Length said. Every failure is one CiteError; nothing is raised past
this module but CiteError.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import httpx

from .newentry import CiteError


@dataclass(frozen=True)
class Limits:
    """How long and how much `invoke cite` waits for and reads from a service."""

    deadline: float = 30.0  # seconds for the whole exchange, redirects and body included
    max_bytes: int = 5_000_000  # a PubMed record with its reference list is ~200 kB
    max_redirects: int = 5


@dataclass
class Deadline:
    """Shuts every socket opened under it when ``seconds`` have passed."""

    seconds: float
    expired: bool = False
    sockets: list[socket.socket] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: each new connection's socket, as it is opened."""
        if event != "connection.connect_tcp.complete":
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):  # already closed: nothing left to stop
        sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    watch = Deadline(seconds)
    timer = threading.Timer(seconds, watch.expire)
    timer.daemon = True
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()


def _too_slow(service: str, watch: Deadline) -> CiteError:
    return CiteError(f"{service} did not answer within {watch.seconds:g} seconds; "
                     "try again later")


def _status(service: str, response: httpx.Response) -> None:
    if response.status_code == 404:
        raise CiteError(f"{service} has no record for this identifier (404); check it "
                        "for typos")
    if response.status_code == 429:
        wait = response.headers.get("Retry-After", "").strip()
        raise CiteError(f"{service} is limiting requests (429); try again in "
                        + (f"{wait} seconds" if wait.isdigit() and len(wait) < 6
                           else "a minute"))
    if response.status_code >= 400:
        raise CiteError(f"{service} answered with HTTP {response.status_code}; try again "
                        "later")


def _body(service: str, response: httpx.Response, limits: Limits) -> bytes:
    declared = response.headers.get("Content-Length", "").strip()
    too_big = CiteError(f"{service}'s answer is larger than {limits.max_bytes:,} bytes, "
                        "more than any one record; nothing was changed")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_big
    pieces, size = [], 0
    for piece in response.iter_bytes():
        size += len(piece)
        if size > limits.max_bytes:
            raise too_big
        pieces.append(piece)
    return b"".join(pieces)


def _redirect(service: str, response: httpx.Response, seen: set[str]) -> httpx.URL:
    """Where a redirect goes, if it stays on the same host and has not been there."""
    location = response.headers.get("Location", "")
    try:
        target = response.request.url.join(location)
    except (httpx.InvalidURL, ValueError):
        raise CiteError(f"{service} redirected to an address that cannot be read; "
                        "nothing was changed") from None
    here = response.request.url
    if (target.host, target.port) != (here.host, here.port) or \
            target.scheme not in (here.scheme, "https"):
        raise CiteError(f"{service} redirected to another host ({target.host[:80]}); "
                        "nothing was fetched from there and nothing was changed")
    if str(target) in seen:
        raise CiteError(f"{service} redirected in a loop; try again later")
    seen.add(str(target))
    return target


def fetch(http: httpx.Client, service: str, url: str, params: dict[str, str],
          limits: Limits) -> bytes:
    """The body of a successful answer, or one CiteError saying what went wrong."""
    with deadline(limits.deadline) as watch:
        request = http.build_request("GET", url, params=params,
                                     extensions={"trace": watch.trace})
        seen = {str(request.url)}
        started = time.monotonic()
        try:
            for _ in range(limits.max_redirects + 1):
                response = http.send(request, stream=True, follow_redirects=False)
                try:
                    if response.is_redirect:
                        target = _redirect(service, response, seen)
                        request = http.build_request("GET", target,
                                                     extensions={"trace": watch.trace})
                        continue
                    _status(service, response)
                    body = _body(service, response, limits)
                finally:
                    response.close()
                if watch.expired or time.monotonic() - started > limits.deadline:
                    raise _too_slow(service, watch)
                return body
        except httpx.TimeoutException:
            raise _too_slow(service, watch) from None
        except httpx.HTTPError as err:
            if watch.expired:
                raise _too_slow(service, watch) from None
            raise CiteError(f"{service} could not be reached ({str(err)[:200]}); check the "
                            "connection and try again") from None
    raise CiteError(f"{service} redirected more than {limits.max_redirects} times; "
                    "try again later")
