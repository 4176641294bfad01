"""A local news-and-data web site on 127.0.0.1 for the service tests: pages with ETag/Last-Modified (answering
conditional requests with 304), files from a folder (GDELT exports and lists), robots.txt, and scripted
misbehaviour: HTTP errors, redirects (loops too), slow answers, endless bodies, HTML where a feed should be."""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.httpserver import running


@dataclass
class Page:
    body: bytes
    content_type: str
    modified: float

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        return email.utils.formatdate(self.modified, usegmt=True)


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root.resolve()
        self.pages: dict[str, Page] = {}
        self.redirects: dict[str, str] = {}
        self.slow: dict[str, float] = {}
        self.endless: dict[str, bool] = {}
        """Paths that stream filler forever: True with a 50 MB Content-Length, False without one."""
        self.trickle: dict[str, str] = {}
        """Paths answered a byte every 0.2 s: "head" (the status line and headers too) or "body" (headers at once)."""
        self.faults: dict[str, list[str]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
        self.post_faults: dict[str, list[int]] = {}
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (timeout, size cap) is what these tests provoke

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def put(self, path: str, body: str | bytes, content_type: str = "application/rss+xml") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        old = self.pages.get(path)
        if old is None or old.body != data:
            self.pages[path] = Page(data, content_type, time.time() if old is None else max(time.time(), old.modified + 1))

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p == path]


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.posts.append((self.path, dict(self.headers), body))
            fault = self.server.post_faults.get(self.path, [])
            status = fault.pop(0) if fault else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = self.path
        with self.server.lock:
            self.server.requests.append((path, dict(self.headers)))
            fault = self.server.faults.get(path, [])
            action = fault.pop(0) if fault else "ok"
        if action.isdigit():
            self.send_error(int(action))
            return
        if path in self.server.redirects:
            self.send_response(302)
            self.send_header("Location", self.server.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in self.server.slow:
            time.sleep(self.server.slow[path])
        if path in self.server.trickle:
            self._trickle(self.server.trickle[path] == "head")
            return
        if path in self.server.endless:
            self._endless(self.server.endless[path])
            return
        page = self.server.pages.get(path)
        if page is not None:
            if self.headers.get("If-None-Match") == page.etag or (
                    self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == page.last_modified):
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.end_headers()
                return
            self._send(page.body, page.content_type, {"ETag": page.etag, "Last-Modified": page.last_modified})
            return
        target = self.server.root / path.lstrip("/").split("?")[0]
        if target.is_file() and self.server.root in target.resolve().parents:
            self._send(target.read_bytes(), "application/octet-stream", {})
            return
        self.send_error(404)

    def _send(self, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, head: bool) -> None:
        """A 200 of 1,000 bytes sent a byte every 0.2 s (its headers too when ``head``): each read gets a byte well
        within any read timeout, and the whole answer would take over 3 minutes."""
        top = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000\r\n\r\n"
        try:
            if not head:
                self.wfile.write(top)
                self.wfile.flush()
            for byte in (top if head else b"") + b"<" * 1000:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client gave up
            pass

    def _endless(self, with_length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if with_length:
            self.send_header("Content-Length", str(50 << 20))
        self.end_headers()
        chunk = b"<!-- filler -->" * 4096
        try:
            for _ in range((50 << 20) // len(chunk)):
                self.wfile.write(chunk)
        except OSError:  # the client stopped reading at its cap
            pass


@contextmanager
def serve(root: Path) -> Iterator[Site]:
    root.mkdir(parents=True, exist_ok=True)
    with running(Site(root)) as site:
        yield site
