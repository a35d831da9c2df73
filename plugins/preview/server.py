"""The preview's web server: the last good build's files, each HTML page with the preview
script added as it is sent, and an event stream that tells each open page when its HTML
changed and what the last build found.

Same origin as the pages, so the site's Content-Security-Policy (script-src 'self',
connect-src 'self', style-src 'self') allows the script, its stylesheet and the stream.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import mimetypes
import posixpath
import urllib.parse
from pathlib import Path
from typing import Any

from .session import Outcome, Session

PREFIX = "/__preview__/"
CLIENT = Path(__file__).resolve().parent / "client"
CLIENT_FILES = {"preview.js": "text/javascript", "preview.css": "text/css"}
HEAD_END = b"</head>"
KEEPALIVE_SECONDS = 15.0


def page_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def inject(html: bytes) -> bytes:
    """The page with the preview's stylesheet and script at the end of its head, the
    script carrying the digest of the page as built (to tell when it changed)."""
    tags = (f'<link rel="stylesheet" href="{PREFIX}preview.css">'
            f'<script src="{PREFIX}preview.js" data-digest="{page_digest(html)}" defer>'
            "</script>").encode()
    at = html.find(HEAD_END)
    return html[:at] + tags + html[at:] if at >= 0 else tags + html


def resolve(folder: Path, url_path: str) -> Path | None:
    """The file a site URL names inside ``folder`` (``/a/`` is ``a/index.html``), or None."""
    parts = [p for p in posixpath.normpath(urllib.parse.unquote(url_path)).split("/")
             if p not in ("", ".", "..")]
    target = folder.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    try:
        target.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


# Before any build has succeeded there is no page to show: this one stands in, with the
# preview's script, so that the first build's problems show in the browser too.
NO_BUILD_YET = (b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                b'<meta name="viewport" content="width=device-width, initial-scale=1">'
                b"<title>Preview: no good build yet</title></head><body><main>"
                b"<h1>No good build yet</h1><p>The preview shows the site once a build "
                b"succeeds. The problems to fix are listed over this page and in the "
                b"terminal.</p></main></body></html>\n")


def state_of(outcome: Outcome, url_path: str) -> dict[str, Any]:
    """What one open page is told: its HTML's digest now, and the last build's problems."""
    digest = page_digest(NO_BUILD_YET)
    if outcome.folder is not None:
        # An address with no page is answered with the 404 page: compare with that.
        found = resolve(outcome.folder, url_path) or resolve(outcome.folder, "/404.html")
        if found is not None:
            digest = page_digest(found.read_bytes())
    return {"generation": outcome.generation, "digest": digest, "ok": outcome.ok,
            "errors": list(outcome.errors), "warnings": list(outcome.warnings),
            "edited": list(outcome.edited), "seconds": round(outcome.seconds, 3),
            "rendered": outcome.rendered, "copied": outcome.copied,
            "read": outcome.read, "cached": outcome.cached,
            # The folder served (this machine's path): for tests and the benchmark.
            "folder": str(outcome.folder) if outcome.folder else None}


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    session: Session  # set by make_server
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: object) -> None:
        pass  # the terminal is for the build's diagnostics

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith(PREFIX):
            name = url.path.removeprefix(PREFIX)
            if name == "events":
                self._events(urllib.parse.parse_qs(url.query).get("path", ["/"])[0])
            elif name == "state":
                page = urllib.parse.parse_qs(url.query).get("path", ["/"])[0]
                state = {**state_of(self.session.outcome, page),
                         "building": self.session.building}
                self._send(200, "application/json", json.dumps(state).encode(), body)
            elif name in CLIENT_FILES:
                self._send(200, CLIENT_FILES[name], (CLIENT / name).read_bytes(), body)
            else:
                self._send(404, "text/plain", b"not found", body)
            return
        folder = self.session.outcome.folder
        if folder is None:
            self._send(503, "text/html; charset=utf-8", inject(NO_BUILD_YET), body)
            return
        if not url.path.endswith("/") and (folder / url.path.lstrip("/")).is_dir():
            self.send_response(301)
            self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        found = resolve(folder, url.path)
        status = 200
        if found is None:
            status, found = 404, resolve(folder, "/404.html")
            if found is None:
                self._send(404, "text/plain", b"not found", body)
                return
        data = found.read_bytes()
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data, kind = inject(data), "text/html; charset=utf-8"
        elif kind.startswith("text/") or kind in ("application/javascript", "text/javascript"):
            kind += "; charset=utf-8"
        self._send(status, kind, data, body)

    def _send(self, status: int, kind: str, data: bytes, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, page: str) -> None:
        """Server-sent events: the page's state now, then after every build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        generation = None
        try:
            while True:
                outcome = self.session.outcome if generation is None else \
                    self.session.wait(generation, KEEPALIVE_SECONDS)
                if outcome.generation == generation:
                    self.wfile.write(b": still here\n\n")
                else:
                    generation = outcome.generation
                    message = json.dumps(state_of(outcome, page))
                    self.wfile.write(f"retry: 500\ndata: {message}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(session: Session, host: str, port: int) -> PreviewServer:
    handler = type("BoundPreviewHandler", (PreviewHandler,), {"session": session})
    return PreviewServer((host, port), handler)
