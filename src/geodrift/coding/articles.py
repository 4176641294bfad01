"""Reading news articles from text files, HTML pages, RSS/Atom feeds and JSON lines.

Each kind of file has an ArticleReader (the built-ins in coding/readers.py) registered in the
``geodrift.readers`` group; ``read_articles`` picks one per file by suffix, else by its first bytes.

Every input becomes ``Article`` records or, for what cannot be read, ``Skipped`` records that
name the file (and line or entry) and the reason: one bad file never stops a batch.
Untrusted markup is reduced to text here (trafilatura for pages, an HTML parser for feed
summaries); nothing downstream sees tags or scripts.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

from geodrift import plugins
from geodrift.coding.dates import dateline_date
from geodrift.coding.language import Split, split_by_language
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
    published_precision: str = "day"
    """How precise ``published`` is: day, or month / year for a page dated "2020-09" / "2020" (stored on the
    period's first day and known only by its end: units_sql.PUBLISHED)."""
    guid: str | None = None
    """A feed entry's own id (RSS ``guid``, Atom ``id``): what names the item across fetches when its link changes
    (service/feeds.py), read in the one parse of the feed."""
    published_from: str = "given"
    """Where ``published`` came from: "given" (the page, feed or record, or --published) or "dateline" (no date
    was given and the text's dateline names a full one, "YEREVAN, Sept. 13, 2022 -": the day the story was filed)."""


@dataclass(frozen=True)
class Skipped:
    """An input (or part of one) that was not coded, and why."""

    origin: str
    reason: str
    partial: bool = False
    """Only part of the input: the rest was coded (an English article's quote in Russian)."""
    language: str | None = None
    """The language of what was not coded, when that is why (as detected)."""
    sentences: int = 0
    """Sentences not coded, of a partial skip."""
    of: int = 0
    """Sentences of the whole input, of a partial skip."""


_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone UTF-16 surrogate: JSON's "\\ud800" escape or a lenient decoder can put one in a str, and no UTF-8 write
(a hash, the store, a page) can encode it."""


def unencodable(fields: dict[str, str | None]) -> str | None:
    """Why these text fields cannot be stored, naming the first with a lone surrogate and its position; or None."""
    for name, value in fields.items():
        found = _SURROGATE.search(value) if value else None
        if found:
            return (f"field {name!r} holds a lone surrogate (U+{ord(found.group()):04X} at character {found.start()}), "
                    "which is not valid Unicode text")
    return None


def article_id(url: str | None, text: str) -> str:
    """Stable id: hash of the URL when known, else of the text."""
    return hashlib.sha256((url or text).encode("utf-8")).hexdigest()[:16]


def outlet_of(url: str | None) -> str | None:
    """Web domain of a URL without 'www.'."""
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


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


def decode(data: bytes, origin: str) -> str | Skipped:
    """The text of a file's bytes: UTF-8 or a marked wide encoding, else the best guess; Skipped if binary."""
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


def finish(origin: str, text: str, *, title: str | None = None, url: str | None = None, outlet: str | None = None,
           published: dt.date | None = None, language: str | None = None, ident: str | None = None,
           paragraph_break: str = BLANK_LINE, guid: str | None = None,
           undated: str | None = None, dateline_in: str | None = None) -> Iterator[Article | Skipped]:
    """An Article from extracted text: normalised, cut at MAX_CHARS, skipped if empty or not in LANGUAGES; its
    sentences in another script (a quote in Russian) are left out and reported as a partial skip; an input with a
    lone surrogate in any field is skipped with the field named. ``undated``: the reason to skip it for when neither
    ``published`` nor the text's dateline dates it (a feed item whose own date is no day); ``dateline_in``: where
    that dateline is, when not at the text's start (a feed item's body, which its title precedes in the text)."""
    bad = unencodable({"text": text, "title": title, "url": url, "outlet": outlet, "id": ident, "guid": guid})
    if bad:
        yield Skipped(origin, bad)
        return
    text = normalize_text(text, paragraph_break)
    if not text:
        yield Skipped(origin, "no text")
        return
    truncated = len(text) > MAX_CHARS
    text = text[:MAX_CHARS]
    split = split_by_language(text, language)
    code = split.language.split("-")[0].lower()
    if code not in LANGUAGES:
        yield Skipped(origin, f"language {split.language!r} is not coded (supported: {', '.join(LANGUAGES)})",
                      language=split.language)
        return
    dated = dateline_date(normalize_text(dateline_in) if dateline_in else split.text) if published is None else None
    if undated and not (published or dated):
        yield Skipped(origin, undated)
        return
    yield Article(id=ident or article_id(url, text), text=split.text, title=title, url=url,
                  outlet=outlet or outlet_of(url), published=published or dated, language=code, origin=origin,
                  truncated=truncated, guid=guid, published_from="dateline" if dated else "given")
    if split.set_apart:
        yield set_apart(origin, split)


def set_apart(origin: str, split: Split) -> Skipped:
    """The partial skip of an input whose ``split`` set sentences apart: how many, of how many, in which language."""
    return Skipped(origin, f"{len(split.set_apart)} of {split.sentences} sentences not coded, in language "
                           f"{split.other!r} (supported: {', '.join(LANGUAGES)}); the rest was coded", partial=True,
                   language=split.other, sentences=len(split.set_apart), of=split.sentences)


PublishedLike = dt.date | dt.datetime | str | None
"""What callers may pass as a publication date: a date, a datetime (its day is kept) or an ISO 8601 string, which
may name a month ("2020-09") or a year ("2020") only."""

_COARSE = {4: "year", 7: "month"}
"""Length of an ISO string naming a year or a month only, and that precision."""


def published_precision(value: object) -> str:
    """How precise a publication date ``value`` is: 'month' for "2020-09", 'year' for "2020", else 'day'."""
    return _COARSE.get(len(value.strip()), "day") if isinstance(value, str) else "day"


def as_published(value: object, name: str = "published") -> dt.date | None:
    """``value`` as a publication day in the supported range: a date, a datetime, an ISO 8601 string
    ("2021-03-03", "2021-03-03T10:00:00Z", a month "2021-03" or a year "2021", each on its first day) or None.

    Raises:
        InputError: anything else, an unreadable string, or a day outside the supported range.
    """
    day: dt.date | None
    if value is None or (isinstance(value, str) and not value.strip()):
        day = None
    elif isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        first = {"year": "-01-01", "month": "-01"}.get(published_precision(text), "")
        try:
            if not first and len(text) != 10:
                day = dt.datetime.fromisoformat(text).date()
            else:
                day = dt.date.fromisoformat(text + first) if (first or text[4:5] == "-") else None
        except ValueError:
            day = None
        if day is None:
            raise InputError(f"{name} {value!r} is not an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY for a page dated "
                             "to a month or a year)")
    else:
        raise InputError(f"{name} must be a date, a datetime or an ISO date string, not {type(value).__name__}")
    return check_published(day, name)


def check_published(day: dt.date | None, name: str = "publication date") -> dt.date | None:
    """``day`` if it lies in the supported range (or is None).

    Raises:
        InputError: it does not (e.g. --published 9999-12-31): events dated from it would be out of range.
    """
    if day is not None and not in_date_range(day):
        raise InputError(f"{name} {day} is outside the supported range {date_range_text()}")
    return day


def in_range(day: dt.date | None) -> dt.date | None:
    """A date found in a document, or None when it is outside the supported range (a placeholder such as
    0001-01-01 in page metadata is no publication date)."""
    return day if day is not None and in_date_range(day) else None


def parse_date(value: object) -> dt.date | None:
    """A date from ISO text, else from any English date expression dateparser reads; None if neither."""
    if not value:
        return None
    text = str(value)
    try:
        return in_range(dt.date.fromisoformat(text[:10]))
    except ValueError:
        import dateparser

        try:
            parsed = dateparser.parse(text, languages=["en"])
        except (OverflowError, ValueError):
            return None
        return in_range(parsed.date()) if parsed else None


class ArticleReader(ABC):
    """A kind of article file (plain text, an HTML page, a feed, JSON lines), registered by name in the
    ``geodrift.readers`` group (geodrift/plugins.py)."""

    suffixes: ClassVar[tuple[str, ...]] = ()
    """File suffixes (lower case, with the dot) this reader claims."""

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """Whether a file whose suffix no reader claims is of this kind, judged from its first 4096 bytes."""
        return False

    @abstractmethod
    def read(self, path: Path, data: bytes, published: dt.date | None) -> Iterator[Article | Skipped]:
        """The articles of one file (``data`` its bytes), and Skipped records for what cannot be read;
        ``published`` dates the articles that carry no date of their own."""


FALLBACK = "text"
"""The reader of files that no reader claims by suffix or recognises."""


def readers() -> dict[str, type[ArticleReader]]:
    """Every registered article reader by name, built-ins first."""
    return dict(plugins.load(plugins.READERS))


def reader_for(path: Path, head: bytes) -> ArticleReader:
    """The reader claiming ``path``'s suffix, else the first that recognises ``head``, else the text reader."""
    registered = readers()
    suffix = path.suffix.lower()
    for cls in registered.values():
        if suffix in cls.suffixes:
            return cls()
    for cls in registered.values():
        if cls.sniff(path, head):
            return cls()
    return registered[FALLBACK]()


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
            yield from reader_for(path, data[:4096]).read(path, data, published)
