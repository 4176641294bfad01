"""What every coder shares: the ``Coder`` interface (articles in, canonical event rows out) and how text is cut into
the sentences coders read (issue 18: split from coding/coder.py)."""

from __future__ import annotations

import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from geodrift.coding.articles import Article
from geodrift.coding.furniture import Span, news_only
from geodrift.coding.pieces import pieces
from geodrift.events import EVENT_SCHEMA

SOURCE = "text"
ARTICLES_AT_ONCE = 256
"""Articles coded together (``Coder.code_many``): enough for the hybrid coder to embed full batches."""


def chunks(items: Iterable[Any], size: int = ARTICLES_AT_ONCE) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last may be shorter): itertools.batched, which Python 3.11 lacks."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n\n")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Sen|Rep|Gov|Pres|Prof|"
                           r"St|Mt|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Ltd)\.)$")
"""Periods that end an abbreviation, not a sentence: initialisms ("U.N.", "U.S."), titles, months."""


def sentences(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, sentence) spans of ``text``; splits between paragraphs and after ., ! or ? followed by a
    capital, except after an abbreviation ("U.N. Secretary-General Kofi Annan said ...")."""
    start = 0
    for match in _SENTENCE.finditer(text):
        if match.group(0) != "\n\n" and _ABBREVIATION.search(text, max(start, match.start() - 12), match.start()):
            continue
        yield from _span(text, start, match.start())
        start = match.end()
    yield from _span(text, start, len(text))


def _span(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """The sentence in text[start:end] without the blanks before it (a sentence set apart by language is blanked),
    in pieces of at most LONG_SENTENCE characters when longer."""
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        yield from pieces(text, start + lead, end)


def reported_sentences(text: str) -> list[Span]:
    """The sentences of ``text`` that may report news: no byline, caption, author's note or call to subscribe, and
    no heading that restates a body sentence (coding.furniture)."""
    return news_only(text, list(sentences(text)))


class Coder(ABC):
    """Turns articles into canonical event rows (dicts with EVENT_SCHEMA's columns)."""

    name: str

    @abstractmethod
    def code(self, article: Article) -> list[dict[str, Any]]:
        """Events found in one article."""

    def code_many(self, articles: Sequence[Article]) -> list[list[dict[str, Any]]]:
        """Events of each article; a coder that gains from batching (the hybrid's embeddings) overrides it."""
        return [self.code(article) for article in articles]

    def batches(self, articles: Iterable[Article], size: int = 10_000) -> Iterator[pa.RecordBatch]:
        """Events of many articles as canonical Arrow batches."""
        rows: list[dict[str, Any]] = []
        for chunk in chunks(articles):
            rows += [row for coded in self.code_many(chunk) for row in coded]
            if len(rows) >= size:
                yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)
                rows = []
        if rows:
            yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)
