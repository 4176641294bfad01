from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geodrift.errors import InputError, StoreError
from geodrift.ingest import ingest_file, ingest_files
from geodrift.sources.base import detect_format
from geodrift.store import Store

GEORGIA = "gdelt-v1-georgia-2011-2013"


def test_same_file_twice_adds_nothing(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    path = shared / GEORGIA / "july2012.csv.gz"
    with Store(db) as store:
        first = ingest_file(store, path)
    with Store(db) as store:
        second = ingest_file(store, path)
        assert first.status == "done" and second.status == "skipped"
        assert store.count_events() == first.accepted
        assert store.df("SELECT count(*) AS n FROM ingested_files").n[0] == 1


def test_a_crash_mid_file_leaves_nothing_of_it(shared: Path, store: Store) -> None:
    path = shared / GEORGIA / "aug2011.csv.gz"
    with detect_format(path).open(path) as parsed:

        def crashing() -> Iterator[pa.RecordBatch]:
            for i, batch in enumerate(parsed.batches):
                yield batch.slice(0, 1000)
                if i == 0:
                    raise OSError("disk went away")

        with pytest.raises(OSError):
            store.append_file(fmt="gdelt-csv", location=str(path), checksum="x", size=1,
                              batches=crashing(), rejected=parsed.rejected)
    assert store.count_events() == 0
    assert store.df("SELECT count(*) AS n FROM ingested_files").n[0] == 0
    assert ingest_file(store, path).accepted > 0


def test_query_results_as_arrow_pandas_polars(shared: Path, store: Store) -> None:
    ingest_file(store, shared / GEORGIA / "july2012.csv.gz")
    sql = "SELECT event_code, count(*) AS n FROM events GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
    table, frame, polars = store.arrow(sql), store.df(sql), store.pl(sql)
    assert isinstance(table, pa.Table) and isinstance(polars, pl.DataFrame)
    assert table.column("n").to_pylist() == frame.n.tolist() == polars["n"].to_list()
    assert table.column("event_code").to_pylist()[0].startswith("0")  # leading zeros kept
    assert sum(b.num_rows for b in store.batches("SELECT * FROM events", batch_size=500)) == store.count_events()


def test_parquet_export_is_partitioned_by_year_and_month(shared: Path, store: Store, tmp_path: Path) -> None:
    for name in ("july2012.csv.gz", "aug2012.csv.gz"):
        ingest_file(store, shared / GEORGIA / name)
    rows = store.export_parquet(tmp_path / "pq")
    parts = sorted(p.relative_to(tmp_path / "pq").parent.as_posix() for p in (tmp_path / "pq").rglob("*.parquet"))
    assert "year=2012/month=7" in parts and "year=2012/month=8" in parts
    table = pq.read_table(tmp_path / "pq")
    assert table.num_rows == rows == store.count_events()
    assert table.schema.field("event_code").type == pa.string()


def test_read_only_store_refuses_writes_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "dir.duckdb")
    Store(tmp_path / "s.duckdb").close()
    with Store(tmp_path / "s.duckdb", read_only=True) as ro, pytest.raises(StoreError):
        ro.df("INSERT INTO quarantine VALUES (1, 1, 'x', 'y')")


def test_a_group_commit_keeps_all_files_or_none(shared: Path, store: Store) -> None:
    from geodrift.store import FileAppend

    first, second = shared / GEORGIA / "july2012.csv.gz", shared / GEORGIA / "aug2012.csv.gz"
    with detect_format(first).open(first) as a, detect_format(second).open(second) as b:

        def failing() -> Iterator[pa.RecordBatch]:
            yield next(iter(b.batches))
            raise OSError("killed")

        with pytest.raises(OSError):
            store.append_files([FileAppend("gdelt-csv", str(first), "a", 1, a.batches, a.rejected),
                                FileAppend("gdelt-csv", str(second), "b", 1, failing(), b.rejected)])
    assert store.count_events() == 0
    assert store.df("SELECT count(*) AS n FROM ingested_files").n[0] == 0


def test_optimize_keeps_aggregates_equal(shared: Path, tmp_path: Path) -> None:
    from geodrift.analytics.dyads import dyad_series

    with Store(tmp_path / "o.duckdb") as store:
        ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
        before = dyad_series(store, "ARM", "AZE", freq="week")
        counts = store.df("SELECT (SELECT sum(events) FROM dyad_days) AS d, (SELECT sum(events) FROM dyad_months) AS m")
        store.optimize()
        after = dyad_series(store, "ARM", "AZE", freq="week")
        # Sorting changes the order floating-point sums are taken in, so compare to rounding error.
        pd.testing.assert_frame_equal(before, after, check_exact=False, rtol=1e-12)
        assert counts.d[0] == counts.m[0] > 0


def test_a_cli_reader_waits_for_a_writing_process_then_reads(tmp_path: Path, shared: Path) -> None:
    """Issue 14: CLI readers during a CLI ingest got a lock error; now they wait, say so, and read."""
    import time

    db = tmp_path / "busy.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
        expected = store.count_events()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(12)", str(db)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    reader = subprocess.run([sys.executable, "-m", "geodrift", "sql", "SELECT count(*) AS n FROM events", "--format",
                             "json", "--db", str(db)], capture_output=True, text=True, timeout=120)
    waited = time.monotonic() - started
    holder.wait()
    assert reader.returncode == 0, reader.stderr
    assert "is writing this store" in reader.stderr and str(expected) in reader.stdout
    assert waited >= 1.0


def test_a_reader_gives_up_after_the_lock_wait_with_one_line(tmp_path: Path) -> None:

    db = tmp_path / "held.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(20)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        reader = subprocess.run([sys.executable, "-m", "geodrift", "db", "info", "--db", str(db)], capture_output=True,
                                text=True, timeout=60, env={**__import__("os").environ, "GEODRIFT_LOCK_WAIT": "1"})
    finally:
        holder.kill()
    assert reader.returncode == 1 and "Traceback" not in reader.stderr
    assert "GEODRIFT_LOCK_WAIT" in reader.stderr and "PID" in reader.stderr


def test_migration_11_stores_the_old_precision_rule_and_appends_still_work(shared: Path, tmp_path: Path) -> None:
    """A schema-10 store (no precision columns) opened by this version gets them, filled by the rule it was read
    by (a curated date on a 1st is a month) and then checked against the curated file, still there, so each record
    has its own precision as in a store built now (the 11 the rule misreads: tests/test_store_precision.py); its
    columns keep the canonical order, so the next ingest appends."""
    from geodrift.events import EVENT_SCHEMA, PRECISION_COLUMNS
    from geodrift.store_schema import SCHEMA_VERSION
    from geodrift.units_sql import MONTH_ONLY

    curated, gdelt = shared / "caucasus-2020-events/events.jsonl", shared / "gdelt-v1-georgia-2011-2013"
    db = tmp_path / "old.duckdb"
    with Store(db) as new:
        ingest_files(new, [curated])
        fresh = new.df(f"SELECT event_id, {MONTH_ONLY} AS vague FROM events ORDER BY event_id")
        old_columns = ", ".join(f.name for f in EVENT_SCHEMA if f.name not in PRECISION_COLUMNS)
        new.con.execute(f"CREATE TABLE events_10 AS SELECT {old_columns}, file_id FROM events; DROP TABLE events; "
                        "ALTER TABLE events_10 RENAME TO events; UPDATE meta SET value = '10' WHERE key = 'schema_version'; "
                        "DROP TABLE coded_documents")
    with Store(db) as migrated:
        assert migrated.df("SELECT value FROM meta WHERE key = 'schema_version'").value[0] == str(SCHEMA_VERSION)
        columns = migrated.df("SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
                              "ORDER BY ordinal_position").column_name.tolist()
        assert columns == [*EVENT_SCHEMA.names, "file_id"]
        old = migrated.df(f"SELECT event_id, {MONTH_ONLY} AS vague FROM events ORDER BY event_id")
        assert old.vague.tolist() == fresh.vague.tolist()
        ingest_files(migrated, sorted(gdelt.glob("*.csv.gz"))[:1])
        added = migrated.df("SELECT count(*) AS n, count(*) FILTER (event_date_precision = 'day' "
                            "AND date_added_precision = 'day') AS day FROM events WHERE source = 'gdelt1'")
        assert added.n[0] > 100 and added.day[0] == added.n[0]


def test_a_reader_upgrades_an_older_store_before_it_reads(shared: Path, tmp_path: Path) -> None:
    """Read commands open the store read-only, and their SQL names columns an older schema lacks: a schema-10 store
    opened by a reader is upgraded first (as a writer would), so `geodrift dyads` answers instead of failing with a
    binder error on event_date_precision."""
    from geodrift.events import EVENT_SCHEMA, PRECISION_COLUMNS
    from geodrift.store_schema import SCHEMA_VERSION

    db = tmp_path / "old.duckdb"
    with Store(db) as new:
        ingest_files(new, [shared / "caucasus-2020-events/events.jsonl"])
        old_columns = ", ".join(f.name for f in EVENT_SCHEMA if f.name not in PRECISION_COLUMNS)
        new.con.execute(f"CREATE TABLE events_10 AS SELECT {old_columns}, file_id FROM events; DROP TABLE events; "
                        "ALTER TABLE events_10 RENAME TO events; UPDATE meta SET value = '10' WHERE key = 'schema_version'; "
                        "DROP TABLE coded_documents")
    with Store(db, read_only=True) as reader:
        assert reader.df("SELECT value FROM meta WHERE key = 'schema_version'").value[0] == str(SCHEMA_VERSION)
        assert reader.read_only and reader.count_events() > 800
    answer = subprocess.run([sys.executable, "-m", "geodrift", "dyads", "AZE", "ARM", "--db", str(db)],
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr
    assert "Traceback" not in answer.stderr and "Binder" not in answer.stderr + answer.stdout


def test_a_read_only_server_is_named_as_a_reader_and_a_mistyped_format_fails_before_waiting(tmp_path: Path,
                                                                                            shared: Path) -> None:
    """Reader review 5 (M7): behind `geodrift serve --read-only` an ingest said the server "is writing this store"
    and waited 600 s before it checked --format; the typo was then recorded as a file format in `db quality`."""
    import os

    db = tmp_path / "served.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], "
                               "read_only=True); print('locked', flush=True); time.sleep(30)", str(db), "--read-only"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        env = {**os.environ, "GEODRIFT_LOCK_WAIT": "20", "COLUMNS": "200"}
        typo = subprocess.run([sys.executable, "-m", "geodrift", "ingest", str(shared / "caucasus-2020-events/events.jsonl"),
                               "--format", "gdelt3", "--db", str(db)], capture_output=True, text=True, timeout=120,
                              env=env)
        assert typo.returncode == 1 and "unknown format 'gdelt3'" in typo.stderr and "waiting" not in typo.stderr
        busy = subprocess.run([sys.executable, "-m", "geodrift", "ingest", str(shared / "caucasus-2020-events/events.jsonl"),
                               "--db", str(db)], capture_output=True, text=True, timeout=120,
                              env={**env, "GEODRIFT_LOCK_WAIT": "1"})
        assert busy.returncode == 1 and f"(PID {holder.pid}) reads this store read-only" in busy.stderr, busy.stderr
    finally:
        holder.kill()
        holder.wait()
    with Store(db) as store:
        assert store.df("SELECT count(*) AS n FROM ingested_files").n[0] == 0, "nothing recorded from the typo"
        with pytest.raises(InputError, match="unknown format 'gdelt3'"):
            ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"], "gdelt3")
        assert store.df("SELECT count(*) AS n FROM ingested_files").n[0] == 0
