"""GDELT's published file lists: which export files cover a UTC time range, with size and MD5.

- GDELT 2.0: ``gdeltv2/masterfilelist.txt`` (and ``masterfilelist-translation.txt`` for the
  translingual stream), lines ``<size> <md5> <url>``; exports every 15 minutes,
  named ``YYYYMMDDHHMMSS[.translation].export.CSV.zip``.
- GDELT 1.0: ``events/md5sums`` (``<md5>  <name>``) and ``events/filesizes`` (``<size> <name>``);
  daily ``YYYYMMDD.export.CSV.zip`` since April 2013, ``YYYYMM.zip`` months before, ``YYYY.zip`` years
  before 2006.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from geodrift.errors import InputError
from geodrift.sources.http import get_text

DEFAULT_BASE_URL = "http://data.gdeltproject.org"

GetText = Callable[[str], str]


@dataclass(frozen=True)
class RemoteFile:
    """One published export file."""

    url: str
    name: str
    start: dt.datetime
    end: dt.datetime
    size: int | None
    md5: str | None


class NoRealTime(ValueError):
    """A file list names an export whose name is no real time (20200732000000): it cannot be placed in a range."""


def _time(digits: str, pattern: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(digits, pattern)
    except ValueError:
        raise NoRealTime(name) from None


def _v2_span(name: str) -> tuple[dt.datetime, dt.datetime] | None:
    m = re.fullmatch(r"(\d{14})\.(?:translation\.)?export\.CSV\.zip", name)
    if not m:
        return None
    start = _time(m.group(1), "%Y%m%d%H%M%S", name)
    return start, start + dt.timedelta(minutes=15)


def _v1_span(name: str) -> tuple[dt.datetime, dt.datetime] | None:
    if m := re.fullmatch(r"(\d{8})\.export\.CSV\.zip", name):
        start = _time(m.group(1), "%Y%m%d", name)
        return start, start + dt.timedelta(days=1)
    if m := re.fullmatch(r"(\d{6})\.zip", name):
        start = _time(m.group(1), "%Y%m", name)
        nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return start, nxt
    if m := re.fullmatch(r"(\d{4})\.zip", name):
        start = _time(m.group(1), "%Y", name)
        return start, start.replace(year=start.year + 1)
    return None


def list_files(version: int, start: dt.datetime, end: dt.datetime, *, base_url: str = DEFAULT_BASE_URL,
               translingual: bool = False, get: GetText = get_text,
               unplaced: list[str] | None = None) -> list[RemoteFile]:
    """Export files of GDELT ``version`` (1 or 2) overlapping [start, end) UTC, oldest first.

    A listed name that is no real time (a damaged list line) is left out, and its URL appended to ``unplaced``
    so the caller can count it, instead of stopping the whole listing.

    Raises:
        InputError: the range is empty or the version unknown.
        DownloadError: a file list cannot be fetched.
    """
    if end <= start:
        raise InputError(f"empty time range: --from {start:%Y-%m-%d %H:%M} is not before --to {end:%Y-%m-%d %H:%M}")
    base = base_url.rstrip("/")
    files: list[RemoteFile] = []
    if version == 2:
        lists = ["masterfilelist.txt"] + (["masterfilelist-translation.txt"] if translingual else [])
        for listing in lists:
            for line in get(f"{base}/gdeltv2/{listing}").splitlines():
                parts = line.split()
                if len(parts) != 3:
                    continue
                name = parts[2].rsplit("/", 1)[-1]
                try:
                    span = _v2_span(name)
                except NoRealTime:
                    _unplaced(unplaced, f"{base}/gdeltv2/{name}")
                    continue
                if span and span[0] < end and span[1] > start:  # a size that is no number is unknown, as in v1
                    size = int(parts[0]) if parts[0].isdigit() else None
                    files.append(RemoteFile(f"{base}/gdeltv2/{name}", name, *span, size, parts[1]))
    elif version == 1:
        sizes = {}
        for line in get(f"{base}/events/filesizes").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit():
                sizes[parts[1]] = int(parts[0])
        for line in get(f"{base}/events/md5sums").splitlines():
            parts = line.split()
            if len(parts) != 2:
                continue
            md5, name = parts
            try:
                span = _v1_span(name)
            except NoRealTime:
                _unplaced(unplaced, f"{base}/events/{name}")
                continue
            if span and span[0] < end and span[1] > start:
                files.append(RemoteFile(f"{base}/events/{name}", name, *span, sizes.get(name), md5))
    else:
        raise InputError(f"unknown GDELT version {version}; use gdelt1 or gdelt2")
    return sorted(files, key=lambda f: (f.start, f.name))


def _unplaced(unplaced: list[str] | None, url: str) -> None:
    if unplaced is not None:
        unplaced.append(url)
