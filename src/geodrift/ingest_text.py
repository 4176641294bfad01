"""News text into events, in one pipeline: read articles, code them, merge reports of one event, optionally store.

``geodrift code``, the API's coding endpoint and the demo all go through ``code_files`` or ``code_articles``,
so a text gives the same events whichever door it comes in by.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa

from geodrift.coding.articles import Article, PublishedLike, Skipped, as_published, published_precision, read_articles
from geodrift.coding.coder import Coder, DictionaryCoder, chunks
from geodrift.coding.merge import evidence_table, merge_reports
from geodrift.errors import InputError
from geodrift.ingest import store_coded
from geodrift.store import FileResult, Store


@dataclass
class CodedText:
    """What a coding run produced: merged events, every report of them, and what it could not read."""

    events: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    """Every report of the events, one dict a row in the columns of the store's ``evidence`` table."""
    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    """Articles with no publication date (their relative dates were resolved against today)."""
    stored: FileResult | None = None
    reports_stored: int = 0

    @cached_property
    def evidence(self) -> pa.Table:
        """``reports`` as the store's evidence table (built on first use: see ``merge.evidence_table``)."""
        return evidence_table(self.reports)


def code_articles(articles: Iterable[Article | Skipped], coder: Coder | None = None) -> CodedText:
    """Code articles (skips passed through) and merge the reports of one event into one row with its evidence."""
    coder = coder or DictionaryCoder()
    rows: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    undated: list[str] = []
    count = 0
    for chunk in chunks(articles):
        readable = [item for item in chunk if not isinstance(item, Skipped)]
        skipped += [item for item in chunk if isinstance(item, Skipped)]
        count += len(readable)
        undated += [item.origin for item in readable if item.published is None]
        rows += [row for coded in coder.code_many(readable) for row in coded]
    events, reports = merge_reports(rows)
    return CodedText(events, reports, count, skipped, undated)


def code_files(inputs: Sequence[Path], *, published: PublishedLike = None, store: Store | None = None,
               prepare: Callable[[Article], Article] | None = None, coder: Coder | None = None) -> CodedText:
    """Code text, HTML, RSS/Atom and JSONL files or folders; with ``store``, append the events and their reports.

    ``published`` dates undated texts (a month "2020-09" or a year "2020" is stored with that precision);
    ``prepare`` may fill an article's missing fields (URL, outlet) before coding. Storing the same set of events again is skipped.

    Raises:
        InputError: an input does not exist.
    """
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise InputError(f"{missing[0]}: no such file or folder")
    day, precision = as_published(published, "--published"), published_precision(published)
    items = read_articles(inputs, day)
    if precision != "day":  # the texts dated by --published are dated to its month or year only
        items = (replace(a, published_precision=precision) if isinstance(a, Article) and a.published == day else a
                 for a in items)
    if prepare is not None:
        items = (prepare(a) if isinstance(a, Article) else a for a in items)
    result = code_articles(items, coder)
    if store is not None and result.events:
        result.stored, result.reports_stored = store_coded(
            store, result.events, result.evidence, f"code:{','.join(map(str, inputs))}")
    return result
