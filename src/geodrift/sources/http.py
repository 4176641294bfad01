"""Downloading files over HTTP with retries, resume (Range requests) and size/MD5 checks."""

from __future__ import annotations

import hashlib
import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from geodrift.errors import ChecksumError, DownloadError

USER_AGENT = "geodrift/0.1 (+https://github.com/geodrift)"
RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}

OnBytes = Callable[[int], None]
T = TypeVar("T")


def _retrying(url: str, action: Callable[[], T], *, retries: int, backoff: float) -> T:
    """Run ``action`` (one HTTP attempt), retrying network errors and retryable statuses with backoff.

    Raises:
        DownloadError: a non-retryable HTTP status, or retries exhausted.
    """
    for attempt in range(retries + 1):
        try:
            return action()
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRYABLE_STATUS or attempt == retries:
                raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if attempt == retries:
                raise DownloadError(f"{url}: {_reason(exc)} after {retries + 1} attempts") from None
        time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")


def get_text(url: str, *, retries: int = 3, backoff: float = 0.5, timeout: float = 60) -> str:
    """GET a small text document (a file list), retrying transient failures."""

    def attempt() -> str:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            data: bytes = resp.read()
            return data.decode("utf-8", errors="replace")

    return _retrying(url, attempt, retries=retries, backoff=backoff)


def md5_of(path: Path) -> str:
    """MD5 hex digest of a file (GDELT publishes MD5s)."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verify(path: Path, url: str, size: int | None, md5: str | None) -> None:
    actual = path.stat().st_size
    if size is not None and actual != size:
        raise ChecksumError(f"{url}: got {actual} bytes, the file list says {size}")
    if md5 is not None and md5_of(path) != md5.lower():
        raise ChecksumError(f"{url}: MD5 does not match the published {md5}")


def download(url: str, dest: Path, *, size: int | None = None, md5: str | None = None, retries: int = 4,
             backoff: float = 0.5, timeout: float = 60, on_bytes: OnBytes | None = None) -> Path:
    """Download ``url`` to ``dest``, resuming a partial ``dest.part`` and verifying size and MD5.

    A complete, verified ``dest`` is reused without a request. A checksum mismatch discards
    the partial file and downloads once more from scratch before giving up.

    Raises:
        DownloadError: a non-retryable HTTP status, or retries exhausted.
        ChecksumError: the bytes still do not match after a fresh download.
    """
    if dest.exists():
        try:
            _verify(dest, url, size, md5)
            return dest
        except ChecksumError:
            dest.unlink()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    for fresh_attempt in range(2):
        _fetch_resuming(url, part, retries=retries, backoff=backoff, timeout=timeout, on_bytes=on_bytes)
        try:
            _verify(part, url, size, md5)
        except ChecksumError:
            part.unlink(missing_ok=True)
            if fresh_attempt == 1:
                raise
            continue
        part.replace(dest)
        return dest
    raise AssertionError("unreachable")


def _fetch_resuming(url: str, part: Path, *, retries: int, backoff: float, timeout: float,
                    on_bytes: OnBytes | None) -> None:
    def attempt() -> None:
        have = part.stat().st_size if part.exists() else 0
        headers = {"User-Agent": USER_AGENT}
        if have:
            headers["Range"] = f"bytes={have}-"
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                mode = "ab" if have and resp.status == 206 else "wb"
                with part.open(mode) as out:
                    while chunk := resp.read(1 << 16):
                        out.write(chunk)
                        if on_bytes:
                            on_bytes(len(chunk))
                expected = resp.headers.get("Content-Length")
                written = part.stat().st_size - (have if mode == "ab" else 0)
                if expected is not None and written < int(expected):
                    raise http.client.IncompleteRead(b"", int(expected) - written)
        except urllib.error.HTTPError as exc:
            if exc.code != 416 or not have:  # 416 on a resume: nothing left, the partial file is complete
                raise

    _retrying(url, attempt, retries=retries, backoff=backoff)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    if isinstance(exc, http.client.IncompleteRead):
        return "connection closed before the end of the file"
    return str(exc) or type(exc).__name__
