"""Reading event clusters (geodrift.clustering maintains them): a cluster per real-world happening, with its reports.

Everything that lists or weighs events can ask for clusters here: pages of clusters for the API, one cluster with
its reports, the cluster of each of a set of reports, and the corroboration notes every report and page shows
("one outlet", "only media from Azerbaijan"). A report not yet clustered counts as its own cluster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from geodrift.analytics.engine import Engine, engine_for
from geodrift.analytics.listings import EVENT_COLUMNS, decode_cursor, encode_cursor
from geodrift.codebooks import country_name
from geodrift.errors import InputError
from geodrift.events import count_label
from geodrift.query import CLUSTER_MARGIN, EventFilter, sql_in
from geodrift.registered import registered
from geodrift.store import Store
from geodrift.units_sql import month_only

UNITS = ("clusters", "reports")
"""What a listing or measure counts: one row per happening (default) or every stored report."""

SUMMARY_COLUMNS = ["cluster_id", "first_date", "last_date", "side_a", "side_b", "mutual", "root", "event_code",
                   "quad_class", "goldstein", "modality", "place", "place_country", "reports", "datasets", "outlets",
                   "outlet_countries", "sources", "first_reported", "sides_only", "witness_country"]


def check_unit(unit: str) -> None:
    """A clear error for a unit other than clusters or reports."""
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}; use {' or '.join(UNITS)}")


def cluster_ids(reader: Store, event_ids: Iterable[str]) -> dict[str, str]:
    """The cluster of each report (a report not yet clustered is its own cluster)."""
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    frame = pd.DataFrame({"event_id": ids})
    with registered(reader.con, "wanted_reports", frame):
        rows = reader.con.execute("SELECT w.event_id, coalesce(c.cluster_id, w.event_id) FROM wanted_reports AS w "
                                  "LEFT JOIN clusters AS c USING (event_id)").fetchall()
    return {str(e): str(c) for e, c in rows}


def distinct_events(reader: Store, event_ids: Sequence[str], limit: int | None = None) -> list[str]:
    """``event_ids`` keeping the first report of each cluster, in order: a list cites each happening once."""
    clusters = cluster_ids(reader, event_ids)
    seen: set[str] = set()
    kept = []
    for event_id in event_ids:
        if clusters.get(event_id, event_id) not in seen:
            seen.add(clusters.get(event_id, event_id))
            kept.append(event_id)
    return kept[:limit] if limit is not None else kept


def cluster_page(reader: Store, where: EventFilter, limit: int,
                 cursor: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """Up to ``limit`` clusters with a report matching ``where``, in (first_date, cluster_id) order, and the next
    page's cursor (None on the last page)."""
    conditions, params = [f"cluster_id IN (SELECT c.cluster_id FROM clusters AS c JOIN events USING (event_id) "
                          f"WHERE {where.where()})"], []
    if cursor:
        conditions.append("(first_date, cluster_id) > (?, ?)")
        params += list(decode_cursor(cursor))
    frame = reader.df(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cluster_summary WHERE {' AND '.join(conditions)} "
                      f"ORDER BY first_date, cluster_id LIMIT {int(limit) + 1}", params)
    more = len(frame) > limit
    frame = frame.head(limit)
    return frame, encode_cursor(frame.first_date.iloc[-1], frame.cluster_id.iloc[-1]) if more else None


def cluster_with_reports(reader: Store, cluster_id: str) -> tuple[dict[str, Any], pd.DataFrame] | None:
    """One cluster's summary and its reports (best-sourced first); None if there is no such cluster."""
    summary = reader.df(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cluster_summary WHERE cluster_id = ?", [cluster_id])
    if summary.empty:
        return None
    reports = reader.df(f"""SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM clusters AS c
        JOIN events AS e USING (event_id) WHERE c.cluster_id = ?
        ORDER BY e.num_sources DESC NULLS LAST, e.date_added, e.event_id""", [cluster_id])
    return {str(k): v for k, v in summary.to_dict("records")[0].items()}, reports


def summaries(reader: Store, clusters: Iterable[str]) -> pd.DataFrame:
    """The summary rows of these clusters (clusters without one, i.e. unclustered reports, are left out)."""
    wanted = sorted(set(clusters))
    if not wanted:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    return reader.df(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cluster_summary WHERE cluster_id IN {sql_in(wanted)}")


REPRESENTATIVE = ["event_id", "event_code", "goldstein", "actor1_country", "actor2_country"]
"""What ``with_clusters`` gives of each report's cluster representative, as ``rep_`` columns."""


def representatives(reader: Store | Engine, clusters: Iterable[str], where: EventFilter | None = None,
                    days: tuple[dt.date, dt.date] | None = None) -> pd.DataFrame:
    """Each cluster's representative report (``cluster_id`` and REPRESENTATIVE), the one every cluster read picks
    (query.EventFilter.rows, units_sql.collapse_sql: the modal CAMEO code; ties: day-dated before month-only,
    earliest, smallest id) among the cluster's reports passing ``where`` but its dates and minimum of sources: a
    cluster is read whole, so a report just outside the range still counts toward its act.

    ``days``, the first and last day of the clusters' reports the caller holds, bounds the read to the reports within
    two CLUSTER_MARGINs of them (a cluster spans less than one), instead of every report of the store; without it
    the whole store is read. Runs on a Store or an engine (Spark), as the measures do.

    Why not a copy of the rule: what weighs a cluster as its act (the analysis's evidence) or names a development
    after it (analytics/salience.py) then weighs the act the measures weigh."""
    wanted = sorted({str(c) for c in clusters})
    if not wanted:
        return pd.DataFrame(columns=["cluster_id", *REPRESENTATIVE])
    margin = dt.timedelta(days=CLUSTER_MARGIN)
    start, end = (days[0] - margin, days[1] + margin + dt.timedelta(days=1)) if days else (None, None)
    whole = replace(where or EventFilter(), start=start, end=end, min_sources=1, unit="clusters")
    # cluster membership holds for all of a cluster's reports or none, as EventFilter.rows asks of ``sides``
    member = f"coalesce(c.cluster_id, e.event_id) IN {sql_in(wanted)}"
    return engine_for(reader).df(f"SELECT cluster_id, {', '.join(REPRESENTATIVE)} FROM "
                                 f"{whole.rows(clustered=True, sides=member)} AS u ORDER BY cluster_id")


def with_clusters(reader: Store, events: pd.DataFrame, where: EventFilter | None = None) -> pd.DataFrame:
    """``events`` (reports with ``event_id`` and ``event_date``) with what weighing them as happenings needs: each
    report's ``cluster_id``, the cluster's day (``cluster_date``: its first day-dated report; a month-only record is
    stored on the 1st and its ``event_date_precision`` says so), whether the report is ``dated`` to its day, and its
    cluster's representative report as ``rep_event_id``, ``rep_event_code``, ... (``representatives`` for ``where``)."""
    clusters = events.event_id.map(cluster_ids(reader, events.event_id))
    days = summaries(reader, clusters).set_index("cluster_id").first_date
    day = pd.to_datetime(clusters.map(days)).fillna(pd.to_datetime(events.event_date))
    if "event_date_precision" not in events:
        events = events.assign(event_date_precision=events.event_id.map(_precisions(reader, events.event_id)))
    read = pd.to_datetime(events.event_date)
    bounds = (read.min().date(), read.max().date()) if len(events) else None
    picked = representatives(reader, clusters, where, bounds).set_index("cluster_id").add_prefix("rep_")
    events = events.assign(cluster_id=clusters, cluster_date=day, dated=~month_only(events))
    return events.join(picked, on="cluster_id")


def _precisions(reader: Store, event_ids: pd.Series) -> dict[str, str]:
    """The stored precision of each report's event date (alignment_events does not list it)."""
    with registered(reader.con, "precision_reports", pd.DataFrame({"event_id": sorted(set(event_ids))})):
        rows = reader.con.execute("SELECT event_id, event_date_precision FROM events "
                                  "JOIN precision_reports USING (event_id)").fetchall()
    return {str(e): str(p) for e, p in rows if p is not None}


def sources_phrase(outlets: Iterable[str | None], dataset_sources: int, datasets: Iterable[str | None]) -> str:
    """'from 3 sources': the distinct outlets of the reports, so never more than the reports. GDELT's own
    NumSources (the most of any report: a count of source mentions, not of the reports stored here) is named as
    such: 'from 1 source (GDELT counts 9 source mentions)', 'with no outlet named (GDELT counts 31 source
    mentions)' (GDELT 1.0's backfile names no outlet)."""
    named = len({o for o in outlets if isinstance(o, str) and o})
    said = f"from {count_label(named, 'source')}" if named else "with no outlet named"
    if any(str(d).startswith("gdelt") for d in datasets) and (dataset_sources > named or not named):
        said += f" (GDELT counts {count_label(dataset_sources, 'source mention')})"
    return said


def witness_note(sources: int, outlet_countries: Iterable[str | None], sides: Iterable[str | None],
                 outlets: Iterable[str | None] = ()) -> str:
    """'' when a happening is corroborated; else 'one outlet (tass.com)' or 'only media from Azerbaijan' or 'only the
    two sides' media': what every report and page says of a claim resting on one outlet or one side."""
    named = sorted({o for o in outlets if isinstance(o, str) and o})
    if sources <= 1:  # with no outlet named, sources_phrase says so
        return f"one outlet ({named[0]})" if len(named) == 1 else ""
    countries = list(outlet_countries)
    parties = {s for s in sides if isinstance(s, str)}
    if not countries or any(not isinstance(c, str) for c in countries) or not set(countries) <= parties:
        return ""
    if len(set(countries)) == 1:
        return f"only media from {country_name(countries[0])}"
    return "only the two sides' media"
