"""Lines no parser should see: over-long lines and lines with NUL bytes, found in one bounded-memory pass.

Why: DuckDB's CSV reader (2.0) drops a line longer than its read buffer (32 MB by default) without a
trace, and with it every other reject of the file; it stores NUL bytes inside strings as if they were
text. So delimited files are scanned first, in chunks, and lines that are too long or hold a NUL are
quarantined here and blanked (emptied, keeping the line count) in a copy that DuckDB reads instead.
JSON lines are read with a bounded ``readline`` (``bounded_lines``). A line's text is never held
whole: only its first RAW_BYTES bytes are kept, for the quarantine.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from geodrift.sources.base import Rejected

MAX_LINE_BYTES = 2_000_000
"""Longest line (in bytes, without its line ending) a source accepts: DuckDB's default max_line_size.
Read at call time, so tests can lower it."""
RAW_BYTES = 1_000
"""Bytes of a bad line kept in the quarantine."""
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class BadLine:
    """A line to quarantine instead of parse."""

    line: int
    """1-based line number."""
    start: int
    """Byte offset of its first byte."""
    end: int
    """Byte offset of its line feed (or of the end of the file)."""
    length: int
    """Bytes without the line ending."""
    head: bytes
    """Its first RAW_BYTES bytes."""
    nul: int | None = None
    """Byte column (1-based) of its first NUL, if any."""

    def rejected(self, limit: int) -> Rejected:
        """The quarantine record: truncated text, the reason with the line's length."""
        raw = self.head.decode("utf-8", errors="replace").rstrip("\r\n")
        if self.length > limit:
            cut = f"; text cut to its first {RAW_BYTES:,} bytes" if self.length > RAW_BYTES else ""
            return Rejected(self.line, raw, f"LINE TOO LONG: {self.length:,} bytes (the limit is {limit:,}){cut}")
        return Rejected(self.line, raw, f"NUL BYTE: at byte {self.nul} of the line (binary data in a text file)")


def find_bad_lines(stream: BinaryIO, limit: int | None = None) -> list[BadLine]:
    """Lines longer than ``limit`` bytes (default MAX_LINE_BYTES) or holding a NUL byte, in order."""
    return check_lines(stream, limit)[0]


def check_lines(stream: BinaryIO, limit: int | None = None) -> tuple[list[BadLine], int]:
    """The bad lines of ``stream`` (as ``find_bad_lines``) and its number of lines, blank ones included.

    One pass in chunks of at most ``limit`` bytes, so a line wholly inside a chunk is short and only the
    lines crossing chunk edges need measuring; memory stays near one chunk whatever the line lengths. The
    count comes free with the pass: ingest compares it with the rows it stored to know that none went missing.
    """
    limit = MAX_LINE_BYTES if limit is None else limit
    size = max(1, min(CHUNK_BYTES, limit))
    found: list[BadLine] = []
    line, start, pos = 1, 0, 0
    head = bytearray()
    nul: int | None = None  # absolute offset of the first NUL of the current line
    before = b""  # the byte before the current chunk (a CR there may end a line whose LF opens the chunk)

    def close(end: int, cr: bool) -> None:
        length = end - start - (1 if cr else 0)
        if length > limit or nul is not None:
            found.append(BadLine(line, start, end, length, bytes(head), None if nul is None else nul - start + 1))

    while chunk := stream.read(size):
        first = chunk.find(b"\n")
        body = chunk if first < 0 else chunk[:first]
        if len(head) < RAW_BYTES:
            head += body[:RAW_BYTES - len(head)]
        if nul is None and (i := body.find(b"\x00")) >= 0:
            nul = pos + i
        if first < 0:
            pos += len(chunk)
            before = chunk[-1:]
            continue
        close(pos + first, (chunk[first - 1:first] if first else before) == b"\r")
        last = chunk.rfind(b"\n")
        # Lines wholly inside this chunk are short (chunk <= limit): only a NUL can make them bad.
        i = chunk.find(b"\x00", first + 1, last)
        while i >= 0:
            s = chunk.rfind(b"\n", 0, i) + 1
            e = chunk.find(b"\n", i)
            number = line + chunk.count(b"\n", 0, s)
            length = e - s - (chunk[e - 1:e] == b"\r")
            found.append(BadLine(number, pos + s, pos + e, length, chunk[s:min(e, s + RAW_BYTES)], i - s + 1))
            i = chunk.find(b"\x00", e + 1, last)
        line += chunk.count(b"\n")
        start = pos + last + 1
        tail = chunk[last + 1:]
        head = bytearray(tail[:RAW_BYTES])
        nul = pos + last + 1 + tail.find(b"\x00") if b"\x00" in tail else None
        pos += len(chunk)
        before = chunk[-1:]
    if pos > start:
        close(pos, before == b"\r")
    return found, line - 1 + (pos > start)


def copy_without(source: BinaryIO, target: BinaryIO, bad: list[BadLine]) -> None:
    """Copy ``source`` to ``target`` with the bad lines emptied (their line feeds kept, so numbering holds)."""
    at = 0
    for item in bad:
        _copy_bytes(source, target, item.start - at)
        source.seek(item.end - item.start, 1)
        at = item.end
    shutil.copyfileobj(source, target, CHUNK_BYTES)


def _copy_bytes(source: BinaryIO, target: BinaryIO, count: int) -> None:
    while count > 0:
        block = source.read(min(count, CHUNK_BYTES))
        if not block:
            return
        target.write(block)
        count -= len(block)


def bounded_lines(stream: BinaryIO, limit: int | None = None) -> Iterator[tuple[int, bytes | BadLine]]:
    """(number, line) for each line of ``stream``; a line over ``limit`` bytes comes as a BadLine, unread.

    At most ``limit`` + 2 bytes of a line are held at a time (the rest is skipped in chunks).
    """
    limit = MAX_LINE_BYTES if limit is None else limit
    pos = number = 0
    while raw := stream.readline(limit + 2):
        number += 1
        start, total, head, before, kept = pos, len(raw), raw[:RAW_BYTES], b"", [raw]
        if not raw.endswith(b"\n") and len(raw) == limit + 2:  # longer still: measure the rest, unkept
            while not raw.endswith(b"\n"):
                before = raw[-1:]
                raw = stream.readline(CHUNK_BYTES)
                if not raw:
                    break
                total += len(raw)
                if total <= limit + 2:  # only a CR LF split off a line of exactly ``limit`` bytes
                    kept.append(raw)
        pos = start + total
        lf = raw.endswith(b"\n")
        body_end = raw[:-1] if lf else raw
        cr = (body_end[-1:] if body_end else before) == b"\r"
        length = total - lf - cr
        if length <= limit:
            yield number, b"".join(kept)
        else:
            yield number, BadLine(number, start, pos - lf, length, head)
