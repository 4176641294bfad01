"""Reading news articles from text files, HTML pages, RSS/Atom feeds and JSON lines.

Every input becomes ``Article`` records or, for what cannot be read, ``Skipped`` records that
name the file (and line or entry) and the reason: one bad file never stops a batch.
Untrusted markup is reduced to text here (trafilatura for pages, an HTML parser for feed
summaries); nothing downstream sees tags or scripts.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from geodrift.errors import InputError
from geodrift.events import date_range_text, in_date_range

MAX_CHARS = 200_000
"""Longest article text kept; longer texts are cut (and the cut reported) to bound memory."""
MAX_BYTES = 20_000_000
"""Files larger than this are refused without being read."""
LANGUAGES = ("en",)
"""Languages the coder codes; others are skipped with their detected language."""


@dataclass(frozen=True)
class Article:
    """One news article, its text and where it came from."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    language: str | None = None
    origin: str = ""
    truncated: bool = False


@dataclass(frozen=True)
class Skipped:
    """An input (or part of one) that was not coded, and why."""

    origin: str
    reason: str


def article_id(url: str | None, text: str) -> str:
    """Stable id: hash of the URL when known, else of the text."""
    return hashlib.sha256((url or text).encode("utf-8")).hexdigest()[:16]


def outlet_of(url: str | None) -> str | None:
    """Web domain of a URL without 'www.'."""
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid, a model shipped in the wheel)."""
    import py3langid

    code, _ = py3langid.classify(text[:5000])
    return str(code)


class _TextOnly(HTMLParser):
    """Collects text outside script/style: for feed summaries, which are small HTML fragments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment, scripts and styles dropped, whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
"""Byte-order marks of wide encodings (UTF-32 first: its little-endian mark begins like UTF-16's)."""


def _decode(data: bytes, origin: str) -> str | Skipped:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                return Skipped(origin, f"starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()} "
                                       f"(byte {error.start})")
    if b"\x00" in data[:4096]:
        return Skipped(origin, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            return Skipped(origin, "unknown text encoding (not UTF-8, no other encoding fits)")
        return str(best)


BLANK_LINE = r"\n\s*\n"
ANY_LINE = r"\s*\n\s*"


def normalize_text(text: str, paragraph_break: str = BLANK_LINE) -> str:
    """Whitespace collapsed within paragraphs; paragraphs (split at ``paragraph_break``: a blank line in plain
    text, any line break in extracted HTML) kept apart by a blank line, so a headline stays its own sentence."""
    paragraphs = (" ".join(part.split()) for part in re.split(paragraph_break, text or ""))
    return "\n\n".join(part for part in paragraphs if part)


def _finish(origin: str, text: str, *, title: str | None = None, url: str | None = None, outlet: str | None = None,
            published: dt.date | None = None, language: str | None = None, ident: str | None = None,
            paragraph_break: str = BLANK_LINE) -> Article | Skipped:
    text = normalize_text(text, paragraph_break)
    if not text:
        return Skipped(origin, "no text")
    truncated = len(text) > MAX_CHARS
    text = text[:MAX_CHARS]
    language = language or detect_language(text)
    if language.split("-")[0].lower() not in LANGUAGES:
        return Skipped(origin, f"language {language!r} is not coded (supported: {', '.join(LANGUAGES)})")
    return Article(id=ident or article_id(url, text), text=text, title=title, url=url,
                   outlet=outlet or outlet_of(url), published=published, language=language.split("-")[0].lower(),
                   origin=origin, truncated=truncated)


def check_published(day: dt.date | None, name: str = "publication date") -> dt.date | None:
    """``day`` if it lies in the supported range (or is None).

    Raises:
        InputError: it does not (e.g. --published 9999-12-31): events dated from it would be out of range.
    """
    if day is not None and not in_date_range(day):
        raise InputError(f"{name} {day} is outside the supported range {date_range_text()}")
    return day


def _in_range(day: dt.date | None) -> dt.date | None:
    """A date found in a document, or None when it is outside the supported range (a placeholder such as
    0001-01-01 in page metadata is no publication date)."""
    return day if day is not None and in_date_range(day) else None


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    text = str(value)
    try:
        return _in_range(dt.date.fromisoformat(text[:10]))
    except ValueError:
        import dateparser

        try:
            parsed = dateparser.parse(text, languages=["en"])
        except (OverflowError, ValueError):
            return None
        return _in_range(parsed.date()) if parsed else None


def read_text(path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
    decoded = _decode(data, str(path))
    if isinstance(decoded, Skipped):
        yield decoded
        return
    lines = decoded.strip().splitlines()
    title = lines[0].strip() if len(lines) > 1 and len(lines[0]) < 200 else None
    yield _finish(str(path), decoded, title=title, published=published)


def read_html(path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
    import trafilatura

    decoded = _decode(data, str(path))
    if isinstance(decoded, Skipped):
        yield decoded
        return
    document = trafilatura.bare_extraction(decoded, with_metadata=True, include_comments=False)
    extracted = document.as_dict() if document is not None and hasattr(document, "as_dict") else document
    if not isinstance(extracted, dict) or not extracted.get("text"):
        yield Skipped(str(path), "no main text found in the HTML page")
        return
    url = extracted.get("url")
    when = _date(extracted.get("date")) or published
    yield _finish(str(path), extracted["text"], title=extracted.get("title"), url=url,
                  outlet=extracted.get("sitename") or outlet_of(url), published=when, paragraph_break=ANY_LINE)


def read_feed(path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f"not a readable RSS/Atom feed ({feed.bozo_exception})" if feed.bozo else "feed has no entries"
        yield Skipped(str(path), reason)
        return
    outlet = outlet_of(feed.feed.get("link")) or feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        origin = f"{path} entry {number}"
        body = entry.get("content", [{}])[0].get("value") if entry.get("content") else entry.get("summary", "")
        when = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            try:
                when = _in_range(dt.date(*stamp[:3]))
            except ValueError:
                when = None
        title = strip_html(entry.get("title", "")) or None
        text = strip_html(body or "")
        yield _finish(origin, f"{title}. {text}" if title and text else text or (title or ""), title=title,
                      url=entry.get("link"), outlet=outlet or outlet_of(entry.get("link")), published=when or published)


def read_jsonl(path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
    decoded = _decode(data, str(path))
    if isinstance(decoded, Skipped):
        yield decoded
        return
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
        title = rec.get("title")
        yield _finish(origin, rec["text"], title=title if isinstance(title, str) else None, url=rec.get("url"),
                      outlet=rec.get("outlet"), published=_date(rec.get("published")) or published,
                      language=rec.get("language"), ident=str(rec["id"]) if rec.get("id") else None)


READERS = {".txt": read_text, ".text": read_text, ".html": read_html, ".htm": read_html, ".xml": read_feed,
           ".rss": read_feed, ".atom": read_feed, ".jsonl": read_jsonl, ".ndjson": read_jsonl}


def _reader_for(path: Path, head: bytes):  # type: ignore[no-untyped-def]
    if path.suffix.lower() in READERS:
        return READERS[path.suffix.lower()]
    start = head.lstrip()[:200].lower()
    if start.startswith(b"<?xml") and (b"<rss" in head[:2000].lower() or b"<feed" in head[:2000].lower()):
        return read_feed
    if start.startswith((b"<rss", b"<feed")):
        return read_feed
    if start.startswith((b"<!doctype html", b"<html")):
        return read_html
    if start.startswith(b"{"):
        return read_jsonl
    return read_text


def read_articles(inputs: Iterable[Path], published: dt.date | None = None) -> Iterator[Article | Skipped]:
    """Articles from files and folders (recursively), in order; ``published`` dates undated texts.

    Raises:
        InputError: ``published`` is outside the supported range (checked before anything is read).
    """
    check_published(published, "--published")
    yield from _read_articles(inputs, published)


def _read_articles(inputs: Iterable[Path], published: dt.date | None) -> Iterator[Article | Skipped]:
    for target in inputs:
        paths = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        for path in paths:
            if not path.is_file():
                yield Skipped(str(path), "not a regular file" if path.exists() else "no such file")
                continue
            size = path.stat().st_size
            if size == 0:
                yield Skipped(str(path), "empty file")
                continue
            if size > MAX_BYTES:
                yield Skipped(str(path), f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
                continue
            data = path.read_bytes()
            yield from _reader_for(path, data[:4096])(path, data, published)
