"""What the store gives back whole: its summary (``db info``), a Parquet export, and a sorted rewrite (``db optimize``)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from geodrift import aggregates
from geodrift.errors import InputError, StoreError
from geodrift.store_connection import StoreConnection, first_line

if TYPE_CHECKING:
    import pandas as pd


class StoreExport(StoreConnection):
    """The store's summary, export and optimize."""

    def optimize(self) -> None:
        """Rewrite the aggregates sorted by dyad and day, and the events by day and id, so zone maps skip all
        but the asked dyad or dates (and API pages, in (event_date, event_id) order, read few row groups).

        Appends leave rows in ingest order; run this after large ingests (``db optimize``).
        """
        with self._transaction():
            aggregates.sort(self.con, dt.date.today().isoformat())
            self.con.execute("CREATE TABLE events_sorted AS SELECT * FROM events ORDER BY event_date, event_id")
            self.con.execute("DROP TABLE events")
            self.con.execute("ALTER TABLE events_sorted RENAME TO events")
        self._checkpoint()

    def sort_rollups(self, day: dt.date | str | None = None) -> bool:
        """Rewrite the dyad and country rollups sorted by dyad (or country) and day, as ``optimize`` does without
        rewriting the events, when they changed since their last sort and were not sorted on ``day`` (default
        today) already; returns whether it sorted. The daily service runs it, so dyad reads keep touching one or
        two row groups per ordered pair as ingest and clustering append to the rollups (aggregates.sort_due)."""
        try:
            when = dt.date.fromisoformat(day.strip()[:10]) if isinstance(day, str) else day or dt.date.today()
        except ValueError:
            raise InputError(f"day {day!r} is not a date (YYYY-MM-DD)") from None
        with self._transaction():
            due = aggregates.sort_due(self.con, when.isoformat())
            if due:
                aggregates.sort(self.con, when.isoformat())
        if due:
            self._checkpoint()
        return due

    def _checkpoint(self) -> None:
        """Fold the rewrite into the file now if no other transaction is open; otherwise DuckDB refuses, the
        rewrite is already durable in the write-ahead log, and the next automatic checkpoint folds it."""
        with contextlib.suppress(duckdb.TransactionException):
            self.con.execute("CHECKPOINT")

    def summary(self) -> dict[str, pd.DataFrame]:
        """What the store holds: events by source and month, files by format and status, quarantine by reason."""
        return {
            "Events by source and month": self.df(
                "SELECT source, strftime(event_date, '%Y-%m') AS month, count(*) AS events "
                "FROM events GROUP BY ALL ORDER BY source, month"),
            "Files": self.df(
                "SELECT format, status, count(*) AS files, sum(rows_accepted)::BIGINT AS accepted, "
                "sum(rows_duplicate)::BIGINT AS duplicates, sum(rows_rejected)::BIGINT AS rejected "
                "FROM ingested_files GROUP BY ALL ORDER BY format, status"),
            "Quarantined rows by reason": self.df(  # the kind, and what is wrong in most of its rows
                "SELECT split_part(reason, ':', 1) AS reason, count(*) AS rows, "
                "trim(substr(mode(reason), length(split_part(reason, ':', 1)) + 2)) AS most_often "
                "FROM quarantine GROUP BY 1 ORDER BY rows DESC"),
        }

    def export_parquet(self, directory: Path) -> int:
        """Write all events as Parquet partitioned by year=/month= of event_date; returns the row count."""
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{directory}: cannot create the export folder ({exc.strerror or exc})") from None
        try:
            self.con.execute("COPY (SELECT *, year(event_date) AS year, month(event_date) AS month FROM events) "
                             f"TO '{_sql_path(directory)}' (FORMAT parquet, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE)")
        except duckdb.Error as exc:
            raise StoreError(f"export to {directory} failed: {first_line(exc)}") from None
        return self.count_events()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
