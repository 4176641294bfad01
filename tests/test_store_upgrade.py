"""Stores older releases wrote, rebuilt by SQL from the tables those releases had (tests/data/old_schemas, as DuckDB
printed them for stores written at each commit) and holding real curated rows, upgrade to what a fresh store of the
same file holds: the same tables and columns in the same order, the same rows and the same answers (attack finding F6:
a schema 8 store failed on a missing ``event_date_precision``, a schema 9 one on a table migration 10 created again,
and numbers 16 and 17 each meant different tables at different commits)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from geodrift.ingest import ingest_files
from geodrift.store import Store
from geodrift.store_schema import SCHEMA_VERSION
from geodrift.store_upgrade import differences

OLD = sorted((Path(__file__).parent / "data" / "old_schemas").glob("schema*.sql"))
ANSWERS = {
    "precisions": "SELECT source, event_date_precision, date_added_precision, count(*) FROM events GROUP BY ALL",
    "clusters": "SELECT count(DISTINCT cluster_id), count(*) FROM clusters",
    "summaries": "SELECT count(*), sum(reports), sum(sources), min(first_reported), max(last_date) FROM cluster_summary",
    "units": "SELECT count(*), sum(num_sources), sum(reports), count(event_date_precision) FROM cluster_units",
    "dyad days": "SELECT dated, count(*), sum(events), round(sum(weight), 6), round(sum(gw), 6) FROM dyad_days GROUP BY ALL",
    "country months": "SELECT count(*), sum(events), round(sum(weight), 6) FROM country_months",
    "cluster dyad days": "SELECT dated, count(*), sum(events), round(sum(weight), 6) FROM cluster_dyad_days GROUP BY ALL",
    "cluster months": "SELECT count(*), sum(events), round(sum(weight), 6) FROM cluster_country_months",
    "id ranges": "SELECT file_id, first_id, last_id, rows FROM event_id_ranges",
    "a series": "SELECT event_date, events FROM cluster_dyad_months WHERE actor1_country = 'ARM' AND "
                "actor2_country = 'AZE'",
}
"""What a reader asks of the store, asked of both (rows sorted)."""


@pytest.fixture(scope="module")
def fresh(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the curated 2020 Caucasus set written by this geodrift."""
    db = tmp_path_factory.mktemp("upgrade") / "fresh.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
    return db


def _old_store(sql: Path, fresh: Path, db: Path) -> int:
    """A store with the tables of ``sql`` holding the fresh store's files and events (the columns that release had);
    its derived tables empty and its meta saying nothing is folded or clustered, so the upgrade must build them."""
    version = int(re.match(r"schema(\d+)", sql.name).group(1))  # type: ignore[union-attr]
    con = duckdb.connect(str(db))
    for statement in sql.read_text(encoding="utf-8").split(";\n"):
        if statement.strip() and not statement.lstrip().startswith("--"):
            con.execute(statement)
        elif "CREATE" in statement:  # the header comment opens the first statement
            con.execute(statement.split("\n", 1)[1])
    con.execute(f"ATTACH '{fresh}' AS fresh (READ_ONLY)")
    for table in ("ingested_files", "events"):
        columns = [r[0] for r in con.execute(f"SELECT column_name FROM information_schema.columns WHERE table_name = "
                                             f"'{table}' AND table_catalog = current_database() ORDER BY ordinal_position")
                   .fetchall()]
        con.execute(f"INSERT INTO {table} SELECT {', '.join(columns)} FROM fresh.{table}")
    files = con.execute("SELECT count(*) FROM ingested_files").fetchall()[0][0]
    con.execute(f"SELECT nextval('file_ids') FROM range({files})")  # the sequence past the stored files, as ingest left it
    con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('aggregated_file_id', '0'), ('clustered_file_id', '0')",
                [str(version)])
    con.execute("DETACH fresh")
    con.close()
    return version


def _shape(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                       "WHERE table_catalog = current_database() ORDER BY table_name, ordinal_position").fetchall()


@pytest.mark.parametrize("sql", OLD, ids=[p.stem for p in OLD])
def test_an_older_store_upgrades_to_what_a_fresh_store_holds(sql: Path, fresh: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    version = _old_store(sql, fresh, db)
    with duckdb.connect(str(db)) as con:
        assert version < SCHEMA_VERSION or differences(con)  # (a0886c1's 16 has today's tables: its rows differ)
    with Store(db) as store:
        assert store.upgraded_from == version
    with duckdb.connect(str(db), read_only=True) as old, duckdb.connect(str(fresh), read_only=True) as new:
        assert _shape(old) == _shape(new)
        assert not differences(old)
        assert old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [(str(SCHEMA_VERSION),)]
        for name, query in ANSWERS.items():
            assert sorted(old.execute(query).fetchall()) == sorted(new.execute(query).fetchall()), name
        old.execute(f"ATTACH '{fresh}' AS fresh (READ_ONLY)")
        assert not old.execute("SELECT * FROM events EXCEPT SELECT * FROM fresh.events").fetchall()
        assert not old.execute("SELECT * FROM fresh.events EXCEPT SELECT * FROM events").fetchall()


def test_an_upgraded_store_takes_new_files_as_a_fresh_one_does(shared: Path, fresh: Path, tmp_path: Path) -> None:
    """Appends insert by column position: the upgraded events table has the fresh order, so a new file lands right."""
    db = tmp_path / "old.duckdb"
    _old_store(next(p for p in OLD if p.name.startswith("schema08")), fresh, db)
    gdelt = shared / "gdelt-v1-georgia-2011-2013" / "aug2012.csv.gz"
    with Store(db) as store:
        ingest_files(store, [gdelt])
        assert store._scalar("SELECT count(*) FROM events WHERE source = 'gdelt1' AND event_date_precision = 'day' "
                             "AND event_date BETWEEN '2012-08-01' AND '2012-08-31'") == 1255


def test_a_store_numbered_current_without_the_current_tables_is_upgraded(fresh: Path, tmp_path: Path) -> None:
    """A release numbered its store 17 without migration 16's columns: the number alone said there was nothing to do."""
    db = tmp_path / "old.duckdb"
    _old_store(next(p for p in OLD if p.name.startswith("schema17")), fresh, db)
    with Store(db, read_only=True, upgrade=True) as store:
        assert store.upgraded_from == SCHEMA_VERSION
        assert store._scalar("SELECT count(dated) FROM dyad_days") == store._scalar("SELECT count(*) FROM dyad_days") > 0
