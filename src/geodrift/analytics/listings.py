"""Lists of stored events for people to read: pages of an explorer, one event with its reports, a country's partners.

The CLI, the API and the dashboard list events only through these functions, so the same filter gives
the same rows everywhere.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from collections.abc import Callable, Sequence, Sized
from dataclasses import replace
from typing import Any, TypeVar

import duckdb
import pandas as pd

from geodrift.cluster_units import clusters_state
from geodrift.errors import InputError, StoreError
from geodrift.events import in_date_range
from geodrift.query import ALL_MODALITIES, EventFilter, parse_day, resolve, sql_in
from geodrift.store import Store
from geodrift.units_sql import MONTH_ONLY

EVENT_COLUMNS = ["event_id", "source", "event_date", "event_date_precision", "date_added", "actor1_name",
                 "actor1_country", "actor1_role", "actor2_name", "actor2_country", "actor2_role", "event_code",
                 "event_root_code", "quad_class",
                 "goldstein", "plover", "num_mentions", "num_sources", "modality", "confidence", "action_geo_name",
                 "action_geo_country", "action_geo_lat", "action_geo_lon", "source_url", "outlet",
                 "evidence_sentence"]
"""The fields a listed event shows (the canonical schema's main ones; docs/schema.md)."""

EVIDENCE_COLUMNS = ["article_id", "url", "outlet", "published", "sentence", "start_offset", "end_offset"]


def encode_cursor(day: dt.date | pd.Timestamp, event_id: str) -> str:
    """An opaque keyset cursor: the (event_date, event_id) of the last row served."""
    return base64.urlsafe_b64encode(f"{pd.Timestamp(day).date().isoformat()}|{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, str]:
    """The (event_date, event_id) a cursor stands for; a clear error for anything not made by ``encode_cursor``."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, event_id = text.split("|", 1)
        when = dt.date.fromisoformat(day)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InputError("cursor: not a cursor returned by this API") from None
    if not in_date_range(when):  # a forged day near date.max would overflow the page's date windows
        raise InputError("cursor: not a cursor returned by this API")
    return when, event_id


Part = TypeVar("Part", bound=Sized)

SORTS = ("oldest", "newest")
"""Orders of an event page: by (event_date, event_id) ascending, or descending (newest first)."""


def event_page(reader: Store, where: EventFilter, limit: int, cursor: str | None = None,
               sort: str = "oldest") -> tuple[pd.DataFrame, str | None]:
    """Up to ``limit`` events after ``cursor`` and the next page's cursor (None on the last page).

    ``sort="oldest"`` orders by (event_date, event_id), ``"newest"`` by both descending; the cursor is the last row
    served, so following cursors visits every matching event once, in either order.

    Raises:
        InputError: an unknown sort, or a cursor not made by ``encode_cursor``.
    """
    return _frame_page(_page_parts(reader, where, limit, cursor, sort, reader.df), limit)


def _frame_page(frames: list[pd.DataFrame], limit: int) -> tuple[pd.DataFrame, str | None]:
    """A page from the frames its windows read (``_page_parts``): its first ``limit`` rows, and the cursor after
    them when there are more."""
    found = [f for f in frames if len(f)]
    frame = pd.concat(found, ignore_index=True) if len(found) > 1 else (found or frames)[0]
    more = len(frame) > limit
    frame = frame.head(limit)
    return frame, encode_cursor(frame.event_date.iloc[-1], frame.event_id.iloc[-1]) if more else None


def event_records(reader: Store, where: EventFilter, limit: int, cursor: str | None = None,
                  sort: str = "oldest") -> tuple[list[dict[str, Any]], str | None]:
    """``event_page`` as rows of Python values (NULL as None) without pandas: what the JSON API serves, where the
    frame and its conversion cost more than the query."""
    parts = _page_parts(reader, where, limit, cursor, sort, lambda sql, params: _tuples(reader, sql, params))
    rows = [dict(zip(EVENT_COLUMNS, row, strict=True)) for part in parts for row in part]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1]["event_date"], rows[-1]["event_id"]) if more else None


def _tuples(reader: Store, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of a query as tuples: DuckDB's own conversion, a third cheaper than through Arrow for a page."""
    try:
        return reader.con.execute(sql, params).fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {str(exc).strip().splitlines()[0]}") from None


def _page_parts(reader: Store, where: EventFilter, limit: int, cursor: str | None, sort: str,
                fetch: Callable[[str, list[Any]], Part], *, clusters: bool = False) -> list[Part]:
    """The rows of a page, ``fetch``ed window by window (``_windows``) until one more than ``limit`` are read: reports,
    or (``clusters``) the clusters of ``where.unit`` with their ``cluster_id`` and ``reports`` (``_unit_relation``)."""
    if sort not in SORTS:
        raise InputError(f"sort: use one of {', '.join(SORTS)}, not {sort[:40]!r}")
    after, order = (">", "") if sort == "oldest" else ("<", " DESC")
    after_cursor, params = "", []
    last: dt.date | None = None
    if cursor:
        last, event_id = decode_cursor(cursor)
        after_cursor, params = f" AND (event_date, event_id) {after} (?, ?)", [last, event_id]
    parts: list[Part] = []
    for low, high in _windows(reader, where, last, sort == "oldest", limit):
        if clusters:
            relation, extra = _unit_relation(reader, replace(where, start=low, end=high))
            select, window = f"SELECT {', '.join(EVENT_COLUMNS)}, {extra} FROM {relation} AS u WHERE TRUE", []
        else:
            select = (f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE {where.where()} "
                      "AND event_date >= ? AND event_date < ?")
            window = [low, high]
        parts.append(fetch(f"{select}{after_cursor} ORDER BY event_date{order}, event_id{order} "
                           f"LIMIT {int(limit) + 1 - sum(map(len, parts))}", [*window, *params]))
        if sum(map(len, parts)) > limit:
            break
    return parts


def _unit_relation(reader: Store, where: EventFilter) -> tuple[str, str]:
    """The relation a listing in ``where.unit`` reads (query.EventFilter.rows) and its cluster_id, reports columns.

    A store none of whose reports is clustered yet lists each report as a cluster of its own."""
    if where.unit == "clusters" and clusters_state(reader) != "none":
        return where.rows(clustered=True), "cluster_id, reports"
    return where.rows(clustered=False), "event_id AS cluster_id, 1 AS reports"


def unit_page(reader: Store, where: EventFilter, limit: int, cursor: str | None = None,
              sort: str = "oldest") -> tuple[pd.DataFrame, str | None]:
    """A page of what ``where.unit`` counts: reports (``event_page``, each with ``reports`` 1) or clusters.

    A cluster row is the cluster as every measure counts it (query.EventFilter.rows): its representative report on
    the cluster's first day, ``num_sources`` its distinct sources, ``reports`` its number of reports, and its
    ``cluster_id``; it is listed when a report of it matches the filter and its first day lies in the range. Pages
    go by (first day, representative id) in either order, so the explorer, its map and the measures count the
    same happenings.

    Raises:
        InputError: an unknown sort, or a cursor not made by ``encode_cursor``.
    """
    if where.unit == "reports":
        frame, nxt = event_page(reader, where, limit, cursor, sort)
        return frame.assign(reports=1, cluster_id=frame.event_id), nxt
    if sort not in SORTS:
        raise InputError(f"sort: use one of {', '.join(SORTS)}, not {sort[:40]!r}")
    frames = [pd.DataFrame(columns=[*EVENT_COLUMNS, "cluster_id", "reports"])]
    if reader.con.execute("SELECT count(*) FROM events").fetchall()[0][0]:  # no dates to window an empty store by
        frames += _page_parts(reader, where, limit, cursor, sort, reader.df, clusters=True)
    return _frame_page(frames, limit)


def cluster_reports(reader: Store, cluster_ids: Sequence[str], per_cluster: int = 10) -> pd.DataFrame:
    """Up to ``per_cluster`` reports of each cluster (best-sourced first), with ``cluster_id``: what a listed
    cluster expands to. A report not yet clustered is its own cluster."""
    wanted = sorted({str(c) for c in cluster_ids})
    if not wanted:
        return pd.DataFrame(columns=["cluster_id", *EVENT_COLUMNS])
    cluster = "coalesce(c.cluster_id, e.event_id)"
    return reader.df(f"""SELECT {cluster} AS cluster_id, {', '.join('e.' + c for c in EVENT_COLUMNS)}
        FROM events AS e LEFT JOIN clusters AS c USING (event_id) WHERE {cluster} IN {sql_in(wanted)}
        QUALIFY row_number() OVER (PARTITION BY {cluster}
                                   ORDER BY e.num_sources DESC NULLS LAST, e.event_date, e.event_id) <= {int(per_cluster)}
        ORDER BY 1, e.num_sources DESC NULLS LAST, e.event_date, e.event_id""")


FIRST_WINDOW_DAYS = 8
"""Most days an event page reads first (fewer when the store holds enough events a day); each further window is
four times longer."""


def _windows(reader: Store, where: EventFilter, cursor_day: dt.date | None, oldest: bool,
             limit: int = 100) -> list[tuple[dt.date, dt.date]]:
    """Date windows [low, high) a page reads in turn, from its first possible day onwards, until it is full.

    Why: the events are stored in (event_date, event_id) order (``Store.optimize``), so a window reads only
    the row groups of its days, and a page of the newest 100 reads the last days instead of every matching
    event (a LIMIT after ORDER BY still scans them all). Together the windows cover the whole range once. The
    first window holds about twice ``limit`` events at the store's mean rate: on 10 million events 8 days are
    22,000 rows, whose columns cost 4 ms to read for a page of 100. The store's date range is read once by a store
    opened read-only (``Store.fact``).
    """
    first, last, count = reader.fact("event_dates", lambda: reader.con.execute(
        "SELECT min(event_date), max(event_date), count(*) FROM events").fetchall()[0])
    if first is None:
        return [(dt.date.min, dt.date.max)]
    per_day = count / ((last - first).days + 1)
    low = max(d for d in (first, where.start, cursor_day if oldest else None) if d is not None)
    high = min(d for d in (last + dt.timedelta(days=1), where.end,
                           None if oldest or cursor_day is None else cursor_day + dt.timedelta(days=1)) if d is not None)
    # After a cursor, part of its day was served already: one day more keeps the page to one window.
    span = min(FIRST_WINDOW_DAYS, max(1, math.ceil(2 * (limit + 1) / per_day)) + (cursor_day is not None))
    windows: list[tuple[dt.date, dt.date]] = []
    edge = low if oldest else high
    while (edge < high) if oldest else (edge > low):
        step = dt.timedelta(days=span)
        window = (edge, min(edge + step, high)) if oldest else (max(edge - step, low), edge)
        windows.append(window)
        edge, span = (window[1] if oldest else window[0]), span * 4
    return windows or [(low, max(low, high))]


def event_with_evidence(reader: Store, event_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """One event and every report behind it (article, URL, outlet, published, sentence, offsets); None if unknown.

    Events from event datasets have no rows in ``evidence``: their one report is the event's own source URL.
    """
    frame = reader.df(f"SELECT {', '.join(EVENT_COLUMNS)}, evidence_article_id, evidence_start, evidence_end, "
                      "date_added_precision FROM events WHERE event_id = ?", [event_id])
    if frame.empty:
        return None
    row = _records(frame)[0]
    evidence: list[dict[str, Any]] = []
    if reader.has_table("evidence"):
        evidence = _records(reader.df(f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM evidence "
                                      "WHERE event_id = ? ORDER BY published, article_id", [event_id]))
    if not evidence:
        added = row["date_added"]
        evidence = [{"article_id": row["evidence_article_id"], "url": row["source_url"], "outlet": row["outlet"],
                     "published": added.date() if isinstance(added, pd.Timestamp) else added,
                     "published_precision": row["date_added_precision"],
                     "sentence": row["evidence_sentence"], "start_offset": row["evidence_start"],
                     "end_offset": row["evidence_end"]}]
    return {k: row[k] for k in [*EVENT_COLUMNS, "date_added_precision"]}, evidence


def event_cluster(reader: Store, event_id: str, shown: int = 50) -> dict[str, Any] | None:
    """The cluster a report belongs to, for its page: ``cluster_id``, how many ``reports`` and which ``outlets``
    (every one), and up to ``shown`` of its reports (``listed``, best-sourced first); None when the report is not
    clustered with any other, so an event page tells its corroboration and not only the one report asked for.

    The counts are the cluster's summary (cluster_summary.py), the ones /api/v1/clusters/{id} and every report
    print, so a page and the API never count a cluster's reports or outlets two ways."""
    if not reader.has_table("clusters"):
        return None
    found = reader.con.execute("""SELECT s.cluster_id, s.reports, s.outlets FROM clusters AS c
                                  JOIN cluster_summary AS s USING (cluster_id) WHERE c.event_id = ?""",
                               [event_id]).fetchall()
    if not found or int(found[0][1]) < 2:
        return None
    cluster_id, reports, outlets = found[0]
    listed = cluster_reports(reader, [cluster_id], per_cluster=shown)
    listed["date_added_precision"] = reader.df(
        f"SELECT event_id, date_added_precision FROM events WHERE event_id IN {sql_in(list(listed.event_id))}"
    ).set_index("event_id").date_added_precision.reindex(listed.event_id).to_numpy()
    return {"cluster_id": str(cluster_id), "reports": int(reports), "outlets": list(outlets), "listed": _records(listed)}


_PRECISION = "{pick}(precision, ({order}))"
"""The precision of a partner's first (last) day: a report dated to that day wins over one dated to its month."""


def country_partners(reader: Store, country: str, limit: int = 15, unit: str = "clusters") -> pd.DataFrame:
    """The countries ``country`` has most events with: events, conflict events, mean Goldstein, first and last day,
    counted in ``unit`` (clusters, each once with its representative report's code and Goldstein value, or reports)."""
    iso3 = resolve(country)[0]
    relation, _ = _unit_relation(reader, EventFilter(actors=(iso3,), modalities=ALL_MODALITIES, unit=unit))
    return reader.df(f"""
        SELECT CASE WHEN actor1_country = ? THEN actor2_country ELSE actor1_country END AS partner,
               count(*) AS events, count(*) FILTER (WHERE quad_class = 4) AS conflict,
               avg(goldstein) AS goldstein, min(event_date) AS first, max(event_date) AS last,
               -- each as precisely as it is known: a last event dated "January 2021" reads 2021-01, not the 1st
               {_PRECISION.format(pick="arg_min", order="event_date, precision <> 'day'")} AS first_precision,
               {_PRECISION.format(pick="arg_max", order="event_date, precision = 'day'")} AS last_precision
        FROM (SELECT *, coalesce(event_date_precision, 'day') AS precision FROM {relation}) AS u
        GROUP BY 1 HAVING partner IS NOT NULL AND partner <> ? ORDER BY events DESC, partner LIMIT ?""",
                     [iso3, iso3, int(limit)])


def pair_events(reader: Store, a: str, b: str, limit: int = 50, unit: str = "clusters") -> pd.DataFrame:
    """The latest events between two countries (either direction), best-sourced first within a day, counted in
    ``unit``: a cluster is listed once (its representative report on its first day, with its ``reports``)."""
    first, second = resolve(a)[0], resolve(b)[0]
    relation, extra = _unit_relation(reader, EventFilter(actors=(first,), modalities=ALL_MODALITIES, unit=unit))
    return reader.df(f"""SELECT {', '.join(EVENT_COLUMNS)}, {extra} FROM {relation} AS u
        WHERE (actor1_country = ? AND actor2_country = ?) OR (actor1_country = ? AND actor2_country = ?)
        ORDER BY event_date DESC, num_sources DESC, event_id LIMIT ?""", [first, second, second, first, int(limit)])


def latest_day(reader: Store, countries: Sequence[str]) -> dt.date | None:
    """The last day with an event involving any of ``countries`` (None: none stored)."""
    value = reader.df(f"""SELECT max(event_date) AS d FROM events
                          WHERE actor1_country IN {sql_in(countries)} OR actor2_country IN {sql_in(countries)}""").d
    return None if value.isna().all() else pd.Timestamp(value.iloc[0]).date()


def busiest_days(reader: Store, countries: Sequence[str], limit: int = 60, unit: str = "clusters",
                 before: dt.date | str | None = None) -> pd.DataFrame:
    """The latest days (before ``before``, if given) with reports involving ``countries``, with their ``reports`` and
    their ``events`` counted in ``unit`` (a cluster on its first day only, so a day of echoes of yesterday's event
    counts no new event): the briefings index. A report dated only to its month or year (stored on the 1st) is no
    day's news and is left out, and so is an undated record (stored on its report's day, which it happened on or
    before: a 2021 report of the 2020 war), as the briefing places neither on a day (analytics/salience.py)."""
    day = parse_day(before, "before") if isinstance(before, str) else before
    until = f"AND event_date < DATE '{day.isoformat()}'" if day else ""
    days = reader.df(f"""SELECT event_date AS day, count(*) AS reports FROM events
        WHERE (actor1_country IN {sql_in(countries)} OR actor2_country IN {sql_in(countries)}) {until}
          AND NOT {MONTH_ONLY} AND coalesce(event_date_precision, 'day') <> 'unknown'
        GROUP BY 1 ORDER BY 1 DESC LIMIT {int(limit)}""")
    if days.empty or unit == "reports":
        return days.assign(events=days.reports)[["day", "events", "reports"]]
    first, last = (pd.Timestamp(d).date() for d in (days.day.min(), days.day.max()))
    relation, extra = _unit_relation(reader, EventFilter(actors=tuple(countries), modalities=ALL_MODALITIES,
                                                         unit=unit, start=first, end=last + dt.timedelta(days=1)))
    # a cluster of undated records only is no day's event (a collapsed cluster reads 'day' for them: units_sql)
    undated = (f"""AND u.cluster_id NOT IN (SELECT c.cluster_id FROM clusters AS c JOIN events AS e USING (event_id)
                   WHERE e.event_date >= DATE '{first.isoformat()}' AND e.event_date <= DATE '{last.isoformat()}'
                   GROUP BY 1 HAVING bool_and(coalesce(e.event_date_precision, 'day') = 'unknown'))"""
               if extra.startswith("cluster_id") else "AND coalesce(u.event_date_precision, 'day') <> 'unknown'")
    events = reader.df(f"SELECT event_date AS day, count(*) AS events FROM {relation} AS u WHERE NOT {MONTH_ONLY} "
                       f"{undated} GROUP BY 1")
    found = days.merge(events, on="day", how="left")
    return found.assign(events=found.events.fillna(0).astype(int))[["day", "events", "reports"]]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): (None if _missing(v) else v) for k, v in r.items()} for r in frame.to_dict("records")]


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)
