"""News text into events, in one pipeline: read articles, code them, merge reports of one event, optionally store.

``geodrift code``, the API's coding endpoint and the demo all go through ``code_files`` or ``code_articles``,
so a text gives the same events whichever door it comes in by.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geodrift.coding.articles import Article, PublishedLike, Skipped, as_published, published_precision, read_articles
from geodrift.coding.base import Coder, chunks
from geodrift.coding.coder import default_coder
from geodrift.coding.documents import Document
from geodrift.coding.merge import evidence_table, merge_reports
from geodrift.errors import InputError, StoreError

if TYPE_CHECKING:  # the store stack (DuckDB, pyarrow, clustering) is imported by ``store_text``: coding text
    # without storing it does not load it
    import pyarrow as pa

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
    dateline_dated: list[tuple[str, dt.date]] = field(default_factory=list)
    """Articles given no publication date whose dateline's date was taken as it, with that date."""
    stored: FileResult | None = None
    reports_stored: int = 0
    documents: list[Document] = field(default_factory=list)
    """The articles coded, each as the document it came from (what a later coding of it replaces)."""
    replaced: int = 0
    """Events of an earlier coding of these documents that storing this one deleted."""
    replaced_documents: list[str] = field(default_factory=list)
    """The documents (URL, else ``file:`` path and line) whose earlier coding storing this one removed."""

    @cached_property
    def evidence(self) -> pa.Table:
        """``reports`` as the store's evidence table (built on first use: see ``merge.evidence_table``)."""
        return evidence_table(self.reports)


def code_articles(articles: Iterable[Article | Skipped], coder: Coder | None = None) -> CodedText:
    """Code articles (skips passed through) with ``coder`` (the default coder, the hybrid, when None) and merge the
    reports of one event into one row with its evidence."""
    coder = coder or default_coder()
    rows: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    undated: list[str] = []
    dateline_dated: list[tuple[str, dt.date]] = []
    documents: dict[str, Document] = {}
    count = 0
    for chunk in chunks(articles):
        readable = [item for item in chunk if not isinstance(item, Skipped)]
        skipped += [item for item in chunk if isinstance(item, Skipped)]
        documents |= {(d := document_of(item)).key: d for item in readable}
        count += len(readable)
        undated += [item.origin for item in readable if item.published is None]
        dateline_dated += [(item.origin, item.published) for item in readable
                           if item.published is not None and item.published_from == "dateline"]
        rows += [row for coded in coder.code_many(readable) for row in coded]
    events, reports = merge_reports(rows)
    return CodedText(events, reports, count, skipped, undated, dateline_dated, documents=list(documents.values()))


_PART = re.compile(r" (?:line|entry) \d+$")
"""How an article's origin names the line (JSONL) or entry (a feed) of its file it was read from (coding/readers.py)."""


def document_of(article: Article) -> Document:
    """The document an article is: its URL, else the file (absolute) and the line or entry it was read from."""
    if article.url:
        key = article.url
    else:
        part = found.group(0) if (found := _PART.search(article.origin)) else ""
        key = "file:" + str(Path(article.origin.removesuffix(part)).resolve()) + part
    return Document.of(key, article.id, article.text, article.url)


UNDATED_NOT_STORED = ("no publication date (none given and no dateline with a year): its events would be stored "
                      "dated today, so it was not coded; pass --published YYYY-MM-DD (or YYYY-MM / YYYY)")
"""Why an undated text is not stored: a store would keep events dated by the day they were coded, not happened."""


def code_files(inputs: Sequence[Path], *, published: PublishedLike = None, store: Store | None = None,
               prepare: Callable[[Article], Article] | None = None, coder: Coder | None = None) -> CodedText:
    """Code text, HTML, RSS/Atom and JSONL files or folders; with ``store``, store the events and their reports in
    place of any earlier coding of the same articles (``store_text``).

    ``published`` dates undated texts (a month "2020-09" or a year "2020" is stored with that precision); a text
    with no date of its own and no ``published`` is dated by its dateline ("YEREVAN, Sept. 13, 2022 -"), else its
    relative dates are resolved against today, and with ``store`` it is skipped (with the reason), not stored with
    events dated today. ``prepare`` may fill an article's missing fields (URL, outlet) before coding.

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
    if store is not None:
        items = (Skipped(a.origin, UNDATED_NOT_STORED) if isinstance(a, Article) and a.published is None else a
                 for a in items)
    result = code_articles(items, coder)
    if store is not None and result.documents:
        store_text(store, result, f"code:{','.join(map(str, inputs))}")
    return result


def store_text(store: Store, coded: CodedText, location: str) -> None:
    """Store coded text in place of any earlier coding of its documents (store_recode), then cluster it; a coding the
    store already holds (the same texts coded into the same events) is skipped, and so are texts that code into
    nothing and were never stored. Sets ``coded.stored``, ``reports_stored`` and ``replaced``.

    Raises:
        StoreError: ``store`` is a lake (it keeps no evidence), or the write failed (the store is as it was).
    """
    import pyarrow as pa

    from geodrift.events import EVENT_SCHEMA
    from geodrift.lake_store import is_lake, update_clusters
    from geodrift.sources.base import Rejected, within_dates
    from geodrift.store import FileResult
    from geodrift.store_recode import coded_before, replace_coded, stored_coding

    if is_lake(store.path):
        raise StoreError(f"{store.path}: a lake keeps no evidence of coded text; code into a DuckDB store "
                         "(--store FILE.duckdb)")
    _adopt_moved(store, coded)
    ids = "\n".join(sorted(e["event_id"] for e in coded.events)).encode()
    checksum = "text:" + hashlib.sha256(ids).hexdigest()
    if not coded.events and not coded_before(store, coded.documents):
        return  # nothing to store and nothing to replace
    done = stored_coding(store, coded.documents, coded.evidence)
    if done is not None:
        coded.stored = FileResult(done, location, "skipped", message="these events are already stored")
        return
    rejected: list[Rejected] = []
    batches = list(within_dates([pa.RecordBatch.from_pylist(coded.events, schema=EVENT_SCHEMA)], rejected))
    coded.stored, coded.reports_stored, coded.replaced, coded.replaced_documents = replace_coded(
        store, pa.Table.from_batches(batches, schema=EVENT_SCHEMA), rejected, coded.evidence, coded.documents,
        location=location, checksum=checksum)
    update_clusters(store)


_SCOPED = re.compile(r"^(.+)@[0-9a-f]{12}$")
"""A URL-less JSONL record's own id scoped to its file (coding.readers.file_scope)."""


def _adopt_moved(store: Store, coded: CodedText) -> None:
    """Give a URL-less JSONL file's records the article ids the store holds their texts under: a file none of whose
    records changed keeps the ids its lines were stored with (ones schema 13 stored unscoped, too: re-coding it is
    then "already stored", not a refusal), and a record whose own id and text another file's record was coded with
    (the file moved, copied, its folder renamed) is that article, so coding it again adds no second report of its
    events. A scoped id whose records map to more than one stored id (or to none) keeps its own: the texts differ."""
    scoped = [d for d in coded.documents if d.url is None and _SCOPED.match(d.article_id)]
    if not scoped:
        return
    rows = store.con.execute(
        "SELECT document, article_id, content_hash FROM coded_documents WHERE url IS NULL "
        f"AND content_hash IN ({', '.join('?' * len(scoped))})", [d.content_hash for d in scoped]).fetchall()
    own = {str(document): (str(article), str(content)) for document, article, content in rows}
    keys = {d.key for d in scoped}
    unchanged = all(own.get(d.key, ("", ""))[1] == d.content_hash for d in scoped)
    held: dict[tuple[str, str], set[str]] = {}
    for document, article, content in rows:
        if str(document) not in keys:
            held.setdefault((str(article).rsplit("@", 1)[0], str(content)), set()).add(str(article))
    targets: dict[str, set[str]] = {}
    for d in scoped:
        match = {own[d.key][0]} if unchanged else held.get((d.article_id.rsplit("@", 1)[0], d.content_hash), set())
        targets.setdefault(d.article_id, set()).add(next(iter(match)) if len(match) == 1 else "")
    moved = {old: new.pop() for old, new in targets.items() if len(new) == 1 and "" not in new and new != {old}}
    if not moved:
        return
    coded.documents = [replace(d, article_id=moved.get(d.article_id, d.article_id)) for d in coded.documents]
    for event in coded.events:
        event["evidence_article_id"] = moved.get(event["evidence_article_id"], event["evidence_article_id"])
    for report in coded.reports:
        report["article_id"] = moved.get(report["article_id"], report["article_id"])
    coded.__dict__.pop("evidence", None)
