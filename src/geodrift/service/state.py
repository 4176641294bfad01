"""The service's tables (store_schema migration 5): feeds, fetch records, validators, seen articles, runs, state.

Writes that belong together commit together (``transaction``): a feed's seen articles, its new validators and
its fetch record, so a run killed between two statements never remembers an article it did not store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from geodrift.errors import InputError, StoreError
from geodrift.lake_store import is_lake
from geodrift.registered import registered
from geodrift.store import Store

KINDS = ("feed", "page")


def now_utc() -> dt.datetime:
    """The current UTC time, naive (the store keeps UTC without a zone)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextmanager
def transaction(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """Everything inside commits together or not at all.

    Raises:
        StoreError: ``store`` is a lake, which keeps no service tables (they would be lost with its connection), or
            the write failed.
    """
    if is_lake(store.path):
        raise StoreError(f"{store.path}: a lake keeps no feeds, runs or alerts (nor the evidence of coded text); "
                         "run the service on a DuckDB store (--store FILE.duckdb)")
    store.con.begin()
    try:
        yield store.con
        store.con.commit()
    except BaseException as exc:
        with suppress(duckdb.Error):
            store.con.rollback()
        if isinstance(exc, duckdb.Error):
            raise StoreError(f"{store.path}: cannot write the service's state ({str(exc).splitlines()[0]})") from None
        raise


def _rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, list(params)).fetchall()


# -- feeds ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    """A feed or page to follow: a row of the ``feeds`` table, or an entry of geodrift.toml (added to it at each run)."""

    url: str
    kind: str = "feed"
    outlet: str | None = None
    country: str | None = None
    language: str | None = None


CONFIG_FEEDS = "config_feeds"
"""``service_state`` key: the URLs geodrift.toml listed at the last run, so a run can tell which were taken out."""
REMOVED_FEEDS = "removed_feeds"
"""``service_state`` key: {url: {"on": day, "by": "geodrift.toml" or "feeds remove"}} of feeds no longer followed."""


def _check_feed(feed: Feed) -> None:
    if not feed.url.startswith(("http://", "https://")):
        raise InputError(f"{feed.url[:80]!r} is not an http(s) URL")
    if feed.kind not in KINDS:
        raise InputError(f"--kind must be feed or page, got {feed.kind!r}")


def _put_feed(con: duckdb.DuckDBPyConnection, feed: Feed) -> bool:
    """Insert or update one feed inside the caller's transaction (it is followed again if it was removed)."""
    new = not con.execute("SELECT count(*) FROM feeds WHERE url = ?", [feed.url]).fetchall()[0][0]
    con.execute("INSERT INTO feeds VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET kind = excluded.kind, "
                "outlet = excluded.outlet, country = excluded.country, language = excluded.language",
                [feed.url, feed.kind, feed.outlet, feed.country.upper() if feed.country else None, feed.language,
                 now_utc()])
    return bool(new)


def _json_state(con: duckdb.DuckDBPyConnection, key: str, default: Any) -> Any:
    rows = con.execute("SELECT value FROM service_state WHERE key = ?", [key]).fetchall()
    return json.loads(rows[0][0]) if rows else default


def _mark_removed(con: duckdb.DuckDBPyConnection, urls: dict[str, str]) -> None:
    """Record ``urls`` (url: how) as removed today, and forget the removal of feeds followed again."""
    removed: dict[str, dict[str, str]] = _json_state(con, REMOVED_FEEDS, {})
    followed = {r[0] for r in con.execute("SELECT url FROM feeds").fetchall()}
    removed = {url: why for url, why in removed.items() if url not in followed}
    removed |= {url: {"on": now_utc().date().isoformat(), "by": how} for url, how in urls.items()}
    put_state(con, REMOVED_FEEDS, json.dumps(removed, sort_keys=True))


def add_feed(store: Store, feed: Feed) -> bool:
    """Add a feed or page (or update its outlet, country and language); True when it was new.

    Raises:
        InputError: not an http(s) URL, or an unknown kind.
    """
    _check_feed(feed)
    with transaction(store) as con:
        new = _put_feed(con, feed)
        _mark_removed(con, {})
    return new


def remove_feed(store: Store, url: str) -> None:
    """Remove a feed (its fetch records and stored events stay; ``geodrift status`` lists it as removed).

    Raises:
        InputError: no such feed.
    """
    with transaction(store) as con:
        if not con.execute("SELECT count(*) FROM feeds WHERE url = ?", [url]).fetchall()[0][0]:
            raise InputError(f"no feed {url[:200]!r} (geodrift feeds list shows them)")
        con.execute("DELETE FROM feeds WHERE url = ?", [url])
        _mark_removed(con, {url: "feeds remove"})


def taken_out(store: Store, listed: Sequence[Feed]) -> list[str]:
    """Feeds the last run's geodrift.toml listed that ``listed`` (today's) does not, and still in the table: a run
    stops following them (``sync_config``) and fetches them no more."""
    before = set(json.loads(get_state(store, CONFIG_FEEDS) or "[]"))
    now = {feed.url for feed in listed}
    followed = {row[0] for row in _rows(store, "SELECT url FROM feeds")}
    return sorted((before - now) & followed)


def sync_config(store: Store, listed: Sequence[Feed]) -> list[str]:
    """Make the table follow geodrift.toml: its feeds are added (an entry there wins over an earlier ``feeds add``)
    and those it listed at the last run but no longer does are removed, in one transaction; returns those removed.

    A feed added with ``feeds add`` and never listed in the file stays; one listed in the file and then taken out of
    it is no longer fetched, though ``feeds add`` had added it too (the file is the operator's latest word)."""
    for feed in listed:
        _check_feed(feed)
    gone = taken_out(store, listed)
    with transaction(store) as con:
        for feed in listed:
            _put_feed(con, feed)
        for url in gone:
            con.execute("DELETE FROM feeds WHERE url = ?", [url])
        _mark_removed(con, dict.fromkeys(gone, "geodrift.toml"))
        put_state(con, CONFIG_FEEDS, json.dumps(sorted({feed.url for feed in listed})))
    return gone


def removed_feeds(store: Store) -> list[dict[str, Any]]:
    """Feeds no longer followed, each with when and how it was removed and the events its fetches stored (they stay
    in the store): what ``geodrift status`` lists under the sources."""
    removed: dict[str, dict[str, str]] = json.loads(get_state(store, REMOVED_FEEDS) or "{}")
    if not removed:
        return []
    events = dict(_rows(store, "SELECT url, coalesce(sum(new_events), 0)::BIGINT FROM fetches WHERE url IN "
                               f"({', '.join('?' * len(removed))}) GROUP BY url", list(removed)))
    return [{"url": url, "removed": why["on"], "by": why["by"], "events": int(events.get(url, 0))}
            for url, why in sorted(removed.items())]


def list_feeds(store: Store) -> list[Feed]:
    return [Feed(*row) for row in _rows(store, "SELECT url, kind, outlet, country, language FROM feeds ORDER BY url")]


def feeds_health(store: Store) -> pd.DataFrame:
    """Each feed with its last fetch: outcome, HTTP status, when, articles found, and failures in a row."""
    return store.df("""
        WITH last AS (SELECT url, outcome, http_status, started_at, reason, new_articles,
                             row_number() OVER (PARTITION BY url ORDER BY fetch_id DESC) AS n FROM fetches),
             ok AS (SELECT url, max(fetch_id) AS good FROM fetches WHERE outcome IN ('ok', 'not-modified') GROUP BY url),
             streak AS (SELECT f.url, count(*) AS failures FROM fetches f LEFT JOIN ok USING (url)
                        WHERE f.outcome = 'failed' AND f.fetch_id > coalesce(ok.good, 0) GROUP BY f.url),
             total AS (SELECT url, sum(new_articles)::BIGINT AS articles FROM fetches GROUP BY url)
        SELECT f.url, f.kind, f.outlet, f.country, f.language, l.started_at AS last_fetch, l.outcome, l.http_status,
               coalesce(s.failures, 0) AS failures_in_a_row, coalesce(t.articles, 0) AS articles, l.reason
        FROM feeds f LEFT JOIN last l ON l.url = f.url AND l.n = 1 LEFT JOIN streak s ON s.url = f.url
        LEFT JOIN total t ON t.url = f.url ORDER BY f.url""")


def sources_health(store: Store) -> pd.DataFrame:
    """Each source (a feed or page by URL; GDELT by stream): its last fetch, last success and failures since."""
    return store.df("""
        WITH f AS (SELECT CASE WHEN kind IN ('feed', 'page') THEN url ELSE kind END AS source, * FROM fetches),
             last AS (SELECT source, outcome, http_status, started_at, reason,
                             row_number() OVER (PARTITION BY source ORDER BY fetch_id DESC) AS n FROM f),
             ok AS (SELECT source, max(fetch_id) AS good, max(started_at) AS last_ok FROM f
                    WHERE outcome IN ('ok', 'not-modified') GROUP BY source),
             agg AS (SELECT f.source, count(*) FILTER (WHERE f.outcome IN ('failed', 'refused')
                                                       AND f.fetch_id > coalesce(ok.good, 0)) AS failures_in_a_row,
                            sum(new_articles)::BIGINT AS articles, sum(new_events)::BIGINT AS events
                     FROM f LEFT JOIN ok USING (source) GROUP BY f.source)
        SELECT l.source, l.started_at AS last_fetch, l.outcome, l.http_status, ok.last_ok, agg.failures_in_a_row,
               agg.articles, agg.events, l.reason
        FROM last l JOIN agg USING (source) LEFT JOIN ok USING (source) WHERE l.n = 1 ORDER BY l.source""")


# -- fetch records, validators, seen articles ------------------------------------------------------------------------


@dataclass
class FetchRecord:
    """One request the service made (or refused to make), as a row of ``fetches``."""

    url: str
    kind: str
    started_at: dt.datetime
    outcome: str
    """ok, not-modified, failed, or refused (robots.txt, size cap before any byte)."""
    seconds: float = 0.0
    http_status: int | None = None
    bytes: int = 0
    new_articles: int = 0
    new_events: int = 0
    reason: str | None = None
    coded_in_part: int = 0
    """New articles coded without their sentences in another script (not a column: the reason says it)."""
    recoded: int = 0
    """Articles whose text changed since they were coded: their earlier coding replaced (not a column, as the next)."""
    unchanged: int = 0
    """Articles coded before into what the store holds, skipped."""
    replaced_events: int = 0
    """Events of the re-coded articles' earlier coding that re-coding deleted."""


def record_fetch(con: duckdb.DuckDBPyConnection, run_id: str, record: FetchRecord) -> None:
    """Insert one fetch record (inside the caller's transaction)."""
    con.execute("INSERT INTO fetches VALUES (nextval('fetch_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, record.url, record.kind, record.started_at, round(record.seconds, 3), record.outcome,
                 record.http_status, record.bytes, record.new_articles, record.new_events, record.reason])


def save_fetch(store: Store, run_id: str, record: FetchRecord) -> None:
    """Insert one fetch record in its own transaction."""
    with transaction(store) as con:
        record_fetch(con, run_id, record)


def validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of the last complete fetch of ``url``."""
    rows = _rows(store, "SELECT etag, last_modified FROM http_validators WHERE url = ?", [url])
    return (rows[0][0], rows[0][1]) if rows else (None, None)


def save_validators(con: duckdb.DuckDBPyConnection, url: str, etag: str | None, last_modified: str | None) -> None:
    con.execute("INSERT OR REPLACE INTO http_validators VALUES (?, ?, ?, ?)", [url, etag, last_modified, now_utc()])


def seen_key(article_id: str, text: str) -> str:
    """An article as read: its id and a hash of its text, so an updated page is coded again (new sentences only
    add evidence: events are keyed by content)."""
    return f"{article_id}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def unseen(store: Store, keys: Sequence[str]) -> set[str]:
    """The keys not yet recorded as coded."""
    if not keys:
        return set()
    frame = pd.DataFrame({"seen_key": list(keys)})
    with registered(store.con, "incoming_keys", frame):
        rows = _rows(store, "SELECT seen_key FROM incoming_keys WHERE seen_key NOT IN (SELECT seen_key FROM seen_articles)")
    return {r[0] for r in rows}


def mark_seen(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str | None, str]]) -> None:
    """Record (seen_key, article_id, url, feed_url) rows as coded."""
    when = now_utc()
    for key, article, url, feed in rows:
        con.execute("INSERT INTO seen_articles VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", [key, article, url, feed, when])


def failed_files(store: Store, fmt: str) -> list[tuple[str, str | None, int | None]]:
    """(location, checksum, size) of files of ``fmt`` that failed and were never stored since."""
    rows = _rows(store, """
        SELECT location, any_value(checksum), any_value(size_bytes) FROM ingested_files f WHERE format = ? AND status = 'failed'
        AND NOT EXISTS (SELECT 1 FROM ingested_files d WHERE d.location = f.location AND d.status = 'done')
        GROUP BY location ORDER BY location""", [fmt])
    return [(r[0], r[1], None if r[2] is None else int(r[2])) for r in rows]


# -- runs and key-value state -------------------------------------------------------------------------------------------


def get_state(store: Store, key: str) -> str | None:
    rows = _rows(store, "SELECT value FROM service_state WHERE key = ?", [key])
    return rows[0][0] if rows else None


def put_state(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO service_state VALUES (?, ?)", [key, value])


def start_run(store: Store, run_id: str, now: dt.datetime) -> None:
    with transaction(store) as con:
        con.execute("INSERT INTO service_runs VALUES (?, ?, NULL, ?, 'running', NULL)", [run_id, now_utc(), now])


def finish_run(store: Store, run_id: str, status: str, summary: dict[str, str]) -> None:
    with transaction(store) as con:
        con.execute("UPDATE service_runs SET finished_at = ?, status = ?, summary = ? WHERE run_id = ?",
                    [now_utc(), status, json.dumps(summary), run_id])


def runs(store: Store, limit: int = 20) -> pd.DataFrame:
    """The latest runs, newest first (a run killed before its end stays 'running')."""
    return store.df(f"SELECT * FROM service_runs ORDER BY started_at DESC LIMIT {int(limit)}")


def fetches(store: Store, run_id: str | None = None) -> pd.DataFrame:
    """Fetch records, of one run or all, in order."""
    where = "WHERE run_id = ?" if run_id else ""
    return store.df(f"SELECT * FROM fetches {where} ORDER BY fetch_id", [run_id] if run_id else [])
