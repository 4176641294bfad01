"""A polite HTTP client for the service: conditional requests, robots.txt, a delay per host, timeouts, retries with
backoff, a size cap and redirect-loop detection. Every failure is a ``FetchFailed`` carrying a one-line reason.

Standard library only (urllib), like sources/http.py; redirects are followed here, not by urllib, so a loop is
named as one ("redirect loop: /a → /b → /a") and each hop obeys robots.txt and the host delay.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from geodrift.errors import DownloadError
from geodrift.service.settings import FetchPolicy

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}


class FetchFailed(DownloadError):
    """A fetch that gave no usable body; ``status`` is the last HTTP status, if any."""

    def __init__(self, reason: str, status: int | None = None, size: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.status, self.size = reason, status, size


@dataclass(frozen=True)
class Response:
    """A complete answer: 200 with its body, or 304 (not modified) without one."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class _Progress:
    """How far a request got, for the reason a deadline gives."""

    phase: str = "the status line and headers"
    size: int = 0


class _Watch:
    """A watchdog that shuts a request's sockets when the fetch's deadline passes. A socket timeout bounds each read
    only, and urllib reads the status line, headers and body in many reads, so a server sending a byte every few
    seconds was never cut off (attack review 6, F3); shut down, every blocked or later read returns at once."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], fetcher: Fetcher) -> type[http.client.HTTPConnection]:
    """``base`` whose socket, once connected, the fetcher's current watchdog may shut."""

    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            if fetcher.watch is not None and self.sock is not None:
                fetcher.watch.watch(self.sock)

    return Watched


class _Watching(urllib.request.AbstractHTTPHandler):
    """A handler whose connections register their socket with the fetcher's watchdog (``_watched``)."""

    def __init__(self, fetcher: Fetcher) -> None:
        super().__init__()
        self.fetcher = fetcher

    def do_open(self, http_class: Any, req: urllib.request.Request, **kwargs: Any) -> http.client.HTTPResponse:
        return super().do_open(_watched(http_class, self.fetcher), req, **kwargs)


class _HTTP(_Watching, urllib.request.HTTPHandler):
    pass


class _HTTPS(_Watching, urllib.request.HTTPSHandler):
    pass


class Fetcher:
    """One run's client: remembers robots.txt and the last request time of each host.

    Args:
        policy: timeouts, retries, caps and delays.
        sleep, clock: injectable for tests.
    """

    def __init__(self, policy: FetchPolicy, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy, self.sleep, self.clock = policy, sleep, clock
        self._opener = urllib.request.build_opener(_NoRedirect, _HTTP(self), _HTTPS(self))
        self.watch: _Watch | None = None
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    # -- politeness -------------------------------------------------------------------------------------------------

    def wait_turn(self, url: str, started: float | None = None) -> None:
        """Sleep until this host's delay (or its robots.txt Crawl-delay) has passed since the last request to it.

        Raises:
            FetchFailed: the wait would pass the deadline of the fetch begun at ``started`` (a host asking for a
                day's crawl delay is skipped this run, not waited for while every other feed waits too).
        """
        host = urlsplit(url).netloc
        delay = self.policy.host_delay
        robots = self._robots.get(host)
        if robots is not None:
            crawl = robots.crawl_delay(self.policy.user_agent)
            if crawl is not None:
                delay = max(delay, float(crawl))
        last = self._last.get(host)
        if last is not None:
            wait = delay - (self.clock() - last)
            if wait > 0:
                if started is not None and self.clock() - started + wait > self.policy.deadline:
                    raise FetchFailed(f"{host} asks for {delay:g} s between requests (robots.txt Crawl-delay), more "
                                      f"than the {self.policy.deadline:g} s deadline allows; skipped this run")
                self.sleep(wait)
        self._last[host] = self.clock()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets us fetch it (RFC 9309: a 4xx robots.txt allows everything,
        an unreachable or failing one disallows everything for this run)."""
        if not self.policy.robots:
            return True
        parts = urlsplit(url)
        if parts.netloc not in self._robots:
            self._robots[parts.netloc] = self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        robots = self._robots[parts.netloc]
        return True if robots is None else robots.can_fetch(self.policy.user_agent, url)

    def _load_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parser = urllib.robotparser.RobotFileParser(url)
        try:
            answer = self._get(url, {}, robots=False)
        except FetchFailed as failure:
            if failure.status is not None and 400 <= failure.status < 500:
                return None
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser
        parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        return parser

    # -- requests ----------------------------------------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url`` conditionally (If-None-Match / If-Modified-Since), following redirects politely.

        Raises:
            FetchFailed: refused by robots.txt, a redirect loop or too many redirects, a non-retryable status,
                retries exhausted, a body over the size cap, or the deadline passed.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, robots=True)

    def _get(self, url: str, headers: dict[str, str], *, robots: bool) -> Response:
        chain = [url]
        current = url
        started = self.clock()
        while True:
            if robots and not self.allowed(current):
                raise FetchFailed(f"robots.txt of {urlsplit(current).netloc} disallows {urlsplit(current).path or '/'}")
            answer = self._attempts(current, headers, started)
            if isinstance(answer, Response):
                return answer
            target = urljoin(current, answer)
            if target in chain:
                raise FetchFailed("redirect loop: " + " → ".join(_short(u) for u in [*chain[chain.index(target):], target]))
            if len(chain) > self.policy.max_redirects:
                raise FetchFailed(f"more than {self.policy.max_redirects} redirects (last: {_short(target)})")
            if not target.startswith(("http://", "https://")):
                raise FetchFailed(f"redirect to a non-web address {target[:80]!r}")
            chain.append(target)
            current = target

    def _attempts(self, url: str, headers: dict[str, str], started: float) -> Response | str:
        """One URL with retries: a Response, or the Location of a redirect."""
        policy = self.policy
        for attempt in range(policy.retries + 1):
            self.wait_turn(url, started)
            retry_after: float | None = None
            try:
                return self._once(url, headers, started)
            except urllib.error.HTTPError as exc:
                if exc.code in REDIRECTS:
                    location = exc.headers.get("Location")
                    if not location:
                        raise FetchFailed(f"HTTP {exc.code} without a Location", exc.code) from None
                    return str(location)
                if exc.code == 304:
                    return Response(url, 304, b"", exc.headers.get("Content-Type", ""), exc.headers.get("ETag"),
                                    exc.headers.get("Last-Modified"))
                if exc.code not in RETRYABLE or attempt == policy.retries:
                    raise FetchFailed(f"HTTP {exc.code} {exc.reason}"
                                      + (f" after {attempt + 1} attempts" if attempt else ""), exc.code) from None
                retry_after = _retry_after(exc.headers.get("Retry-After"))
                failure = f"HTTP {exc.code}"
            except FetchFailed:
                raise
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                failure = _reason(exc)
                if attempt == policy.retries:
                    raise FetchFailed(f"{failure} after {attempt + 1} attempts") from None
            pause = policy.backoff * 2**attempt
            if retry_after is not None:
                pause = min(max(pause, retry_after), 60.0)
            if self.clock() - started + pause > policy.deadline:
                raise FetchFailed(f"{failure}; no time left to retry within the {policy.deadline:g} s deadline")
            self.sleep(pause)
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str], started: float) -> Response:
        """One request, cut off when the fetch's deadline passes, whatever phase it is in (connecting, the status
        line and headers, the body): a watchdog shuts its socket then (``_Watch``)."""
        left = self.policy.deadline - (self.clock() - started)
        if left <= 0:
            raise FetchFailed(f"the {self.policy.deadline:g} s deadline passed before the request")
        watch = self.watch = _Watch(left)
        received = _Progress()
        try:
            return self._exchange(url, headers, min(self.policy.timeout, left), received)
        except (urllib.error.URLError, OSError, http.client.HTTPException):
            if watch.expired:
                raise FetchFailed(f"the {self.policy.deadline:g} s deadline passed while receiving {received.phase}"
                                  + (f" ({received.size:,} bytes in)" if received.size else "")) from None
            raise
        finally:
            watch.cancel()
            self.watch = None

    def _exchange(self, url: str, headers: dict[str, str], timeout: float, received: _Progress) -> Response:
        policy = self.policy
        request = urllib.request.Request(url, headers={"User-Agent": policy.user_agent, "Accept-Encoding": "identity",
                                                       **headers})
        with self._opener.open(request, timeout=timeout) as resp:
            if self.watch is not None and self.watch.expired:  # headers cut short by the watchdog read as ended
                raise OSError("shut at the deadline")
            received.phase = "the body"
            length = resp.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) > policy.max_bytes:
                raise FetchFailed(f"body is {int(length):,} bytes; the cap is {policy.max_bytes:,}", resp.status,
                                  0)
            chunks, size = [], 0
            while chunk := resp.read(1 << 16):
                size += len(chunk)
                received.size = size
                if size > policy.max_bytes:
                    raise FetchFailed(f"body exceeds the cap of {policy.max_bytes:,} bytes (stopped reading)",
                                      resp.status, size)
                chunks.append(chunk)
            if self.watch is not None and self.watch.expired:  # a body without a length, cut by the watchdog
                raise OSError("shut at the deadline")
            if length is not None and length.isdigit() and size < int(length):
                raise http.client.IncompleteRead(b"", int(length) - size)
            return Response(resp.geturl(), resp.status, b"".join(chunks), resp.headers.get("Content-Type", ""),
                            resp.headers.get("ETag"), resp.headers.get("Last-Modified"))


def _short(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "") or "/"


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, http.client.IncompleteRead):
        return "connection closed before the end of the body"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__
