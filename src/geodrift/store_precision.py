"""Migration 11's date precision checked against the curated files it came from: exact wherever a file can be read
again, and counted where it cannot.

Why: stores written before schema 11 kept no precision, so migration 11 fills it by the rule they were read by (a
curated record dated on a 1st taken as dated to its month; store_schema.OLD_EVENT_PRECISION), which misreads a record
really dated on a 1st: 11 records of the 2020 Caucasus set, which a fresh store of the same file stores as days.
``ingested_files`` names each file with its checksum: where the file is still there unchanged, its records give every
row its own precision and the clusters around the rows that change are recomputed (clustering.drop_reports). Where
it is not, the rows the rule may have misread are counted under ``meta.precision_unchecked`` and ``geodrift db
quality`` says how to rebuild (``precision_note``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa

from geodrift import clustering
from geodrift.errors import CorruptFileError
from geodrift.registered import registered
from geodrift.sources.curated import CuratedJsonl
from geodrift.store import Store
from geodrift.store_connection import StoreConnection

UNCHECKED = "precision_unchecked"
"""The meta key: {file location: rows that may carry the older rule's precision} of files that could not be read."""

_MAYBE_MISREAD = ("source = 'curated' AND ((event_date_precision = 'month' AND dayofmonth(event_date) = 1) "
                  "OR (date_added_precision = 'month' AND date_added = date_trunc('month', date_added)))")
"""Rows the older rule may have misread: month precision on a 1st (a record really dated that day reads the same)."""


def recheck_precision(store: StoreConnection) -> tuple[int, dict[str, int]]:
    """Give the rows of every curated file that can be read again (same place, same checksum) their own precision,
    inside the caller's transaction; returns the rows changed and, per file that could not be read, the rows that
    may carry the older rule's precision (also kept in ``meta``)."""
    con = store.con
    files = con.execute("SELECT file_id, location, checksum FROM ingested_files WHERE status = 'done' AND format = ? "
                        "ORDER BY file_id", [CuratedJsonl.name]).fetchall()
    con.execute("CREATE OR REPLACE TEMP TABLE pc_changed (event_id VARCHAR)")
    unchecked: dict[str, int] = {}
    for file_id, location, checksum in files:
        records = _records(Path(location), checksum)
        if records is None:
            count = int(con.execute(f"SELECT count(*) FROM events WHERE file_id = ? AND {_MAYBE_MISREAD}",
                                    [file_id]).fetchall()[0][0])
            if count:
                unchecked[location] = unchecked.get(location, 0) + count
            continue
        with registered(con, "pc_file", records):
            con.execute("""INSERT INTO pc_changed SELECT e.event_id FROM events AS e JOIN pc_file AS r USING (event_id)
                WHERE e.file_id = ? AND (e.event_date_precision IS DISTINCT FROM r.event_date_precision
                                         OR e.date_added_precision IS DISTINCT FROM r.date_added_precision)""", [file_id])
            con.execute("""UPDATE events SET event_date_precision = r.event_date_precision,
                                             date_added_precision = r.date_added_precision
                FROM pc_file AS r WHERE events.event_id = r.event_id AND events.file_id = ?
                    AND events.event_id IN (SELECT event_id FROM pc_changed)""", [file_id])
    changed = int(con.execute("SELECT count(*) FROM pc_changed").fetchall()[0][0])
    if changed:
        con.execute("CREATE OR REPLACE TEMP TABLE pc_none (event_id VARCHAR)")
        clustering.drop_reports(con, "pc_none", "pc_changed")
        con.execute("DROP TABLE pc_none")
    con.execute("DROP TABLE pc_changed")
    con.execute("DELETE FROM meta WHERE key = ?", [UNCHECKED])
    if unchecked:
        con.execute("INSERT INTO meta VALUES (?, ?)", [UNCHECKED, json.dumps(unchecked, sort_keys=True)])
    return changed, unchecked


def _records(path: Path, checksum: str) -> pa.Table | None:
    """Each record's id and precisions from the curated file, or None when it is gone, unreadable or changed."""
    try:
        with path.open("rb") as fh:
            if hashlib.file_digest(fh, "sha256").hexdigest() != checksum:
                return None
        with CuratedJsonl().open(path) as parsed:
            table = pa.Table.from_batches(list(parsed.batches))
    except (OSError, CorruptFileError):  # gone or unreadable now: it cannot be checked, which is counted
        return None
    return table.select(["event_id", "event_date_precision", "date_added_precision"])


def precision_note(store: Store) -> str | None:
    """What ``db quality`` says when rows may carry the precision of the rule before schema 11, or None."""
    value = store._scalar("SELECT value FROM meta WHERE key = ?", [UNCHECKED]) if store.has_table("meta") else None
    if not value:
        return None
    files: dict[str, int] = json.loads(value)
    names = ", ".join(f"{location} ({rows})" for location, rows in sorted(files.items()))
    return (f"{sum(files.values())} curated records have a date or publication of month precision on a month's 1st "
            f"that could not be checked against their file (moved or changed since ingest): {names}. Stores written "
            "before geodrift schema 11 gave every curated record on a 1st month precision, so some of these may be "
            "dated to the day; to store each record's own precision, ingest the file into a new store "
            "(geodrift ingest FILE --db NEW.duckdb).")
