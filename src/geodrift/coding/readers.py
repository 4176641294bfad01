"""The built-in article readers: plain text, HTML pages, RSS/Atom feeds, JSON lines.

Each is an ArticleReader (coding/articles.py) registered in the ``geodrift.readers`` group.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geodrift.coding.articles import (
    ANY_LINE,
    Article,
    ArticleReader,
    Skipped,
    decode,
    finish,
    in_range,
    outlet_of,
    parse_date,
    strip_html,
)


def _start(head: bytes) -> bytes:
    return head.lstrip()[:200].lower()


class TextReader(ArticleReader):
    """A plain-text article; a short first line of several is its title. Also what unrecognised files are read as."""

    suffixes = (".txt", ".text")

    def read(self, path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
        decoded = decode(data, str(path))
        if isinstance(decoded, Skipped):
            yield decoded
            return
        lines = decoded.strip().splitlines()
        title = lines[0].strip() if len(lines) > 1 and len(lines[0]) < 200 else None
        yield from finish(str(path), decoded, title=title, published=published)


class HtmlReader(ArticleReader):
    """A saved web page: its main text, title, date and site by trafilatura (boilerplate and comments dropped)."""

    suffixes = (".html", ".htm")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return _start(head).startswith((b"<!doctype html", b"<html"))

    def read(self, path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
        import trafilatura

        decoded = decode(data, str(path))
        if isinstance(decoded, Skipped):
            yield decoded
            return
        document = trafilatura.bare_extraction(decoded, with_metadata=True, include_comments=False)
        extracted = document.as_dict() if document is not None and hasattr(document, "as_dict") else document
        if not isinstance(extracted, dict) or not extracted.get("text"):
            yield Skipped(str(path), "no main text found in the HTML page")
            return
        url = extracted.get("url")
        when = parse_date(extracted.get("date")) or published
        yield from finish(str(path), extracted["text"], title=extracted.get("title"), url=url,
                          outlet=extracted.get("sitename") or outlet_of(url), published=when, paragraph_break=ANY_LINE)


class FeedReader(ArticleReader):
    """An RSS or Atom feed (feedparser): one article per entry, its title and summary or content as text."""

    suffixes = (".xml", ".rss", ".atom")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        start = _start(head)
        if start.startswith(b"<?xml") and (b"<rss" in head[:2000].lower() or b"<feed" in head[:2000].lower()):
            return True
        return start.startswith((b"<rss", b"<feed"))

    def read(self, path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
        import feedparser

        refused = declared_entities(data)
        if refused:
            return iter([Skipped(str(path), refused)])
        return self.entries(path, feedparser.parse(data), published)

    def entries(self, path: Path, feed: Any, published: dt.date | None) -> Iterator[Article | Skipped]:
        """The articles of a feed already parsed by feedparser (the service parses each fetch once and reads its
        ``bozo`` flag too)."""
        if not feed.entries:
            reason = f"not a readable RSS/Atom feed ({feed.bozo_exception})" if feed.bozo else "feed has no entries"
            yield Skipped(str(path), reason)
            return
        outlet = outlet_of(feed.feed.get("link")) or feed.feed.get("title")
        for number, entry in enumerate(feed.entries, start=1):
            origin = f"{path} entry {number}"
            body = entry.get("content", [{}])[0].get("value") if entry.get("content") else entry.get("summary", "")
            raw = entry.get("published") or entry.get("updated")
            when = entry_day(raw, entry.get("published_parsed") or entry.get("updated_parsed"))
            title = strip_html(entry.get("title", "")) or None
            text = strip_html(body or "")
            # An item with a date that is no day is dated by its dateline, else skipped: never by the fetch's day.
            yield from finish(origin, f"{title}. {text}" if title and text else text or (title or ""), title=title,
                              url=entry.get("link"), outlet=outlet or outlet_of(entry.get("link")),
                              published=when or (None if raw else published), guid=entry.get("id") or None,
                              undated=f"its date {str(raw)[:40]!r} is unreadable or impossible and its text has no "
                                      "dateline" if raw and not when else None, dateline_in=text)


_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def declared_entities(data: bytes) -> str | None:
    """Why a feed is refused unread: its DOCTYPE declares XML entities (``<!ENTITY``), the means of the
    billion-laughs expansion and of external-entity reads; a news feed needs none. None when it declares none.

    Read from the prolog, before the first element, where XML allows a DTD (feedparser, which strips such
    entities itself, would otherwise read the feed with the references garbled and call it fine)."""
    first = _FIRST_ELEMENT.search(data)
    prolog = data[:first.start()] if first else data
    count = len(_ENTITY.findall(prolog))
    if not count:
        return None
    return (f"refused: the feed declares {count} XML entit{'y' if count == 1 else 'ies'} in its DOCTYPE "
            "(<!ENTITY>), which can expand without bound (billion laughs) or read other files; a news feed needs none")


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def entry_day(raw: object, stamp: Any) -> dt.date | None:
    """A feed item's day from feedparser's parse of its date, or None when the date is unreadable, is no day
    ("2020-13-45", which feedparser rolls into 2021-01-01; "30 Feb"), is out of range or lies after tomorrow."""
    if not stamp:
        return None
    iso = _ISO_DAY.match(str(raw or ""))
    try:
        day = dt.date(*stamp[:3])
        written = dt.date(*(int(part) for part in iso.groups())) if iso else day
    except ValueError:
        return None
    if abs(written - day) > dt.timedelta(days=1):  # more than a time zone's shift: feedparser rolled it over
        return None
    return in_range(day) if day <= dt.date.today() + dt.timedelta(days=1) else None


class JsonlReader(ArticleReader):
    """One JSON object a line with a ``text`` string (and optional id, title, url, outlet, published, language)."""

    suffixes = (".jsonl", ".ndjson")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return _start(head).startswith(b"{")

    def read(self, path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
        decoded = decode(data, str(path))
        if isinstance(decoded, Skipped):
            yield decoded
            return
        scope = file_scope(path)
        for number, line in enumerate(decoded.splitlines(), start=1):
            if not line.strip():
                continue
            origin = f"{path} line {number}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skipped(origin, f"not JSON ({exc.msg})")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                yield Skipped(origin, "expected an object with a 'text' string")
                continue
            title, url = rec.get("title"), rec.get("url")
            ident = str(rec["id"]) if rec.get("id") else None
            yield from finish(origin, rec["text"], title=title if isinstance(title, str) else None, url=url,
                              outlet=rec.get("outlet"), published=parse_date(rec.get("published")) or published,
                              language=rec.get("language"),
                              ident=f"{ident}@{scope}" if ident and not url else ident)


def file_scope(path: Path) -> str:
    """What scopes a URL-less JSONL record's own id to its file: the first 12 hex digits of the SHA-256 of the file's
    absolute path. Why: such ids are an export's row numbers ("1", "2", …), so two files' record 1 are two articles;
    unscoped, re-coding one file's edited record 1 could not tell its earlier events from the other file's (migration
    14 scopes the ids stored before, by the same hash in SQL)."""
    return hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:12]
