"""Stored date precision: a cluster's first report by knowledge time, and stores migrated from before the precision
columns against fresh ones (migration 11's rule, checked against the ingested file where it can be read again)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from geodrift.ingest import ingest_files
from geodrift.store import Store

TOVUZ = {"name": "Tovuz", "iso3": "AZE", "adm1": "Tovuz District", "lat": 40.99, "lon": 45.63}


def curated(event_id: str, event_date: str, published: str, outlet: str) -> dict[str, Any]:
    """A curated record of the Tovuz fighting (the layout of ../shared/data/caucasus-2020-events)."""
    return {"event_id": event_id, "article_id": event_id, "url": f"https://{outlet}/{event_id}", "outlet": outlet,
            "published": published, "language": "en", "event_date": event_date,
            "event_date_precision": "day" if len(event_date) == 10 else "month",
            "actor1": {"name": "Armenia", "iso3": "ARM", "role": "MIL"},
            "actor2": {"name": "Azerbaijan", "iso3": "AZE", "role": "MIL"}, "cameo_code": "190",
            "modality": "actual", "claimed_by": None, "place": TOVUZ,
            "summary": f"Armenian forces attacked Azerbaijani positions in Tovuz on July {int(event_date[8:] or 1)}.",
            "confidence": "high"}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_first_reported_is_the_earliest_knowledge_time_not_a_month_pages_first_day(tmp_path: Path) -> None:
    """A page dated only '2020-07' is stored on 1 July but known by 31 July; beside it a page of 20 July reporting the
    same clash is the cluster's first report (min(date_added) said 1 July, before the clash of the 12th), known by
    that day's end (a day-precision publication: units_sql.PUBLISHED)."""
    path = write_jsonl(tmp_path / "tovuz.jsonl", [curated("monthly", "2020-07-12", "2020-07", "azernews.az"),
                                                   curated("daily", "2020-07-12", "2020-07-20", "armenpress.am")])
    store = Store(":memory:")
    ingest_files(store, [path])
    rows = store.con.execute("SELECT reports, first_reported FROM cluster_summary").fetchall()
    assert rows == [(2, dt.datetime(2020, 7, 20, 23, 59, 59))]


def test_a_month_page_alone_is_first_known_at_the_months_end(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "tovuz.jsonl", [curated("monthly", "2020-07-12", "2020-07", "azernews.az")])
    store = Store(":memory:")
    ingest_files(store, [path])
    assert store.con.execute("SELECT first_reported FROM cluster_summary").fetchall() == [
        (dt.datetime(2020, 7, 31, 23, 59, 59),)]


CURATED = "caucasus-2020-events/events.jsonl"
SNAPSHOT = {
    "precision": "SELECT event_id, event_date_precision, date_added_precision FROM events",
    "clusters": "SELECT event_id, cluster_id, block, day FROM clusters",
    "cluster_summary": "SELECT * FROM cluster_summary",
    "cluster_units": "SELECT * FROM cluster_units",
    "cluster_dyad_days": "SELECT actor1_country, actor2_country, event_date, quad_class, modality, sum(events), "
                         "sum(weight) FROM cluster_dyad_days GROUP BY ALL",
}


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {name: sorted(store.con.execute(sql).fetchall(), key=repr) for name, sql in SNAPSHOT.items()}


def old_store(path: Path, curated: Path, version: int) -> None:
    """A store as geodrift wrote it at ``version`` (10: no precision columns; 11: migrated by the old rule), its
    clusters made by that rule and first reported by the earliest date_added, from ``curated``."""
    from geodrift.clustering import rebuild_clusters
    from geodrift.store_schema import OLD_ADDED_PRECISION, OLD_EVENT_PRECISION

    with Store(path) as store:
        ingest_files(store, [curated])
        store.con.execute(f"UPDATE events SET event_date_precision = {OLD_EVENT_PRECISION}, "
                          f"date_added_precision = {OLD_ADDED_PRECISION}")
        rebuild_clusters(store)
        # Its clusters' first report by the earliest stored date_added, as cluster_summary took it before schema 13.
        store.con.execute("""UPDATE cluster_summary SET first_reported = k.first
            FROM (SELECT c.cluster_id, min(e.date_added) AS first FROM clusters AS c JOIN events AS e USING (event_id)
                  GROUP BY ALL) AS k WHERE cluster_summary.cluster_id = k.cluster_id""")
        if version < 11:
            for column in ("event_date_precision", "date_added_precision"):
                store.con.execute(f"ALTER TABLE events DROP COLUMN {column}")
        store.con.execute("DROP TABLE coded_documents")
        store.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])


def test_a_store_migrated_from_before_the_precision_columns_equals_a_fresh_one(shared: Path, tmp_path: Path) -> None:
    """Migration 11 fills the precision by the old rule (a curated record on a 1st is a month), which misreads the 11
    records of the Caucasus set really dated on a 1st; the file is still there, so each record gets its own."""
    curated = shared / CURATED
    fresh = Store(":memory:")
    ingest_files(fresh, [curated])
    misread = fresh.con.execute("SELECT count(*) FROM events WHERE event_date_precision = 'day' "
                                "AND dayofmonth(event_date) = 1").fetchall()[0][0]
    assert misread == 11
    for version in (10, 11):
        path = tmp_path / f"v{version}.duckdb"
        old_store(path, curated, version)
        with Store(path) as migrated:
            assert snapshot(migrated) == snapshot(fresh), f"schema {version}"
            assert migrated.con.execute("SELECT count(*) FROM meta WHERE key = 'precision_unchecked'").fetchall() == [(0,)]


def test_a_store_whose_file_is_gone_says_how_many_records_and_how_to_rebuild(shared: Path, tmp_path: Path) -> None:
    copy = tmp_path / "events.jsonl"
    copy.write_bytes((shared / CURATED).read_bytes())
    path = tmp_path / "old.duckdb"
    old_store(path, copy, 10)
    copy.unlink()
    with Store(path) as migrated:
        maybe = migrated.con.execute(
            "SELECT count(*) FROM events WHERE (event_date_precision = 'month' AND dayofmonth(event_date) = 1) "
            "OR (date_added_precision = 'month' AND date_added = date_trunc('month', date_added))").fetchall()[0][0]
        day_on_first = migrated.con.execute("SELECT count(*) FROM events WHERE event_date_precision = 'day' "
                                            "AND dayofmonth(event_date) = 1").fetchall()[0][0]
    assert maybe > 11 and day_on_first == 0, "the old rule stays where the file cannot be read"
    result = subprocess.run([sys.executable, "-m", "geodrift", "db", "quality", "--db", str(path)],
                            capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    note = " ".join(result.stdout.split())
    assert f"{maybe} curated records" in note and f"{copy} ({maybe})" in note
    assert "ingest the file into a new store" in note and "schema 11" in note


def test_a_fresh_store_is_not_checked_again(shared: Path, tmp_path: Path) -> None:
    """A store written at the current schema holds each record's own precision: opening it reads no file."""
    path = tmp_path / "fresh.duckdb"
    copy = tmp_path / "events.jsonl"
    copy.write_bytes((shared / CURATED).read_bytes())
    with Store(path) as store:
        ingest_files(store, [copy])
    copy.unlink()
    with Store(path) as store:
        assert store.con.execute("SELECT count(*) FROM meta WHERE key = 'precision_unchecked'").fetchall() == [(0,)]
