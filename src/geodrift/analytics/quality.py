"""Data quality of a store, per source: how much of it is duplicated, which months it covers and which it misses,
what was quarantined and why, and how often actors and places were resolved to countries and coordinates.

``geodrift db quality``, ``GET /api/v1/quality`` and the dashboard's ``/quality`` all show ``quality_report``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from geodrift.store import Store

SECTIONS: dict[str, str] = {
    "duplicates": "Reports and clusters by source",
    "coverage": "Coverage by source and month",
    "resolution": "Actors and places resolved, by source (share of reports)",
    "quarantine_reasons": "Quarantined rows by reason and file format",
    "quarantine_formats": "Quarantined rows by file format",
}
"""The report's sections, in order, with their titles."""

ALL = "(all)"
"""The source label of the rows that total every source."""

_DUPLICATES = f"""
    SELECT CASE WHEN grouping(e.source) = 1 THEN '{ALL}' ELSE e.source END AS source, count(*) AS reports,
           count(c.cluster_id) AS clustered, count(DISTINCT c.cluster_id) AS clusters,
           1 - count(DISTINCT c.cluster_id) / nullif(count(c.cluster_id), 0) AS duplicate_rate
    FROM events AS e LEFT JOIN clusters AS c USING (event_id)
    GROUP BY GROUPING SETS ((e.source), ()) ORDER BY grouping(e.source), e.source"""
"""Reports per source, how many are clustered, the clusters they fall in, and 1 - clusters / clustered reports.
A cluster with reports from several sources counts once in each source and once in the total."""

_RESOLUTION = f"""
    SELECT CASE WHEN grouping(source) = 1 THEN '{ALL}' ELSE source END AS source, count(*) AS reports,
           avg((actor1_country IS NOT NULL)::INTEGER) AS actor1_country,
           avg((actor2_country IS NOT NULL)::INTEGER) AS actor2_country,
           avg((action_geo_country IS NOT NULL)::INTEGER) AS action_geo_country,
           avg((action_geo_lat IS NOT NULL AND action_geo_lon IS NOT NULL)::INTEGER) AS coordinates
    FROM events GROUP BY GROUPING SETS ((source), ()) ORDER BY grouping(source), source"""

_COVERAGE = """
    WITH months AS (SELECT DISTINCT source, CAST(date_trunc('month', event_date) AS DATE) AS month FROM events),
    spans AS (SELECT source, min(month) AS lo, max(month) AS hi, count(*) AS with_events FROM months GROUP BY source),
    grid AS (SELECT source, CAST(unnest(generate_series(lo, hi, INTERVAL 1 MONTH)) AS DATE) AS month FROM spans)
    SELECT s.source, s.lo, s.hi, s.with_events,
           list(g.month ORDER BY g.month) FILTER (WHERE m.month IS NULL) AS empty
    FROM spans AS s JOIN grid AS g USING (source) LEFT JOIN months AS m ON m.source = g.source AND m.month = g.month
    GROUP BY ALL ORDER BY s.source"""

_QUARANTINE_REASONS = """
    SELECT split_part(q.reason, ':', 1) AS reason, f.format, count(*) AS rows, left(min(q.reason), 160) AS example
    FROM quarantine AS q JOIN ingested_files AS f USING (file_id)
    GROUP BY ALL ORDER BY rows DESC, reason, f.format"""
"""A reason is its kind (the text before the first colon: INVALID RECORD, LINE TOO LONG, ...); one full reason is
shown as the example."""

_QUARANTINE_FORMATS = """
    SELECT f.format, count(*) AS files,
           sum(f.rows_accepted + f.rows_duplicate + f.rows_rejected)::BIGINT AS rows_read,
           coalesce(sum(q.rows), 0)::BIGINT AS quarantined,
           coalesce(sum(q.rows), 0) / nullif(sum(f.rows_accepted + f.rows_duplicate + f.rows_rejected), 0) AS share
    FROM ingested_files AS f LEFT JOIN (SELECT file_id, count(*) AS rows FROM quarantine GROUP BY file_id) AS q
         USING (file_id)
    GROUP BY ALL ORDER BY quarantined DESC, f.format"""


def quality_report(reader: Store) -> dict[str, pd.DataFrame]:
    """The store's data quality, one DataFrame per section of ``SECTIONS`` (in that order).

    - ``duplicates``: per source (and ``(all)``) reports, clustered reports, clusters and the duplicate rate
      1 - clusters / clustered reports (the share of reports that repeat an event already reported);
    - ``coverage``: per source the first and last month with events, the months in that span, how many have
      events, and the empty ones as ranges (``2013-03``, ``2016-01..2016-06``);
    - ``resolution``: per source (and ``(all)``) the share of reports with actor1_country, actor2_country,
      action_geo_country and coordinates known;
    - ``quarantine_reasons``: quarantined rows per reason kind and file format, with one full reason;
    - ``quarantine_formats``: per file format the files, rows read, rows quarantined and their share.
    """
    coverage = reader.df(_COVERAGE)
    empty = [_months(v) for v in coverage["empty"]] if not coverage.empty else []
    coverage = pd.DataFrame({
        "source": coverage["source"].astype(str),
        "first_month": [_month(v) for v in coverage["lo"]],
        "last_month": [_month(v) for v in coverage["hi"]],
        "months": [int(n) + len(e) for n, e in zip(coverage["with_events"], empty, strict=True)],
        "months_with_events": coverage["with_events"].astype("int64"),
        "months_without_events": pd.Series([len(e) for e in empty], dtype="int64"),
        "gaps": [month_ranges(e) for e in empty],
    })
    return {
        "duplicates": reader.df(_DUPLICATES),
        "coverage": coverage,
        "resolution": reader.df(_RESOLUTION),
        "quarantine_reasons": reader.df(_QUARANTINE_REASONS),
        "quarantine_formats": reader.df(_QUARANTINE_FORMATS),
    }


def quality_records(report: dict[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """The report as JSON-ready rows per section (NaN as None, numbers as Python numbers)."""
    return {name: json.loads(frame.to_json(orient="records", date_format="iso")) for name, frame in report.items()}


def month_ranges(months: Sequence[dt.date]) -> str:
    """Months as ``YYYY-MM`` with consecutive runs collapsed: ``2013-03, 2016-01..2016-06``."""
    runs: list[list[dt.date]] = []
    for month in sorted(months):
        if runs and _next(runs[-1][-1]) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(_month(r[0]) if len(r) == 1 else f"{_month(r[0])}..{_month(r[-1])}" for r in runs)


def _months(value: Any) -> list[dt.date]:
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return [pd.Timestamp(v).date() for v in value]


def _month(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


def _next(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
