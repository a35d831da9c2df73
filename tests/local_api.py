"""A real HTTP server on 127.0.0.1 for the tasks that use the network (`invoke cite`,
`invoke audit`): tests serve answers in each API's shape; none reaches the internet."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = tuple[int, dict[str, str], bytes, float]  # status, headers, body, delay in seconds
# What answers a GET: a Reply, or None when it wrote the whole answer itself (a drip, a
# redirect loop, a huge body).
Answer = Callable[[BaseHTTPRequestHandler], "Reply | None"]


class LocalServer:
    """Serves every GET with ``answer`` on a free loopback port (``url``), and keeps each
    request's path (with its query) and headers in ``requests``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                with contextlib.suppress(OSError):  # the client gave up: a timeout test
                    reply = server.answer(self)
                    if reply is None:
                        return
                    status, headers, body, delay = reply
                    time.sleep(delay)
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @contextlib.contextmanager
    def running(self) -> Iterator[LocalServer]:
        thread = threading.Thread(target=self.httpd.serve_forever,
                                  kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()
