"""Upgrading a store an older geodrift wrote, by what the store holds rather than by its schema number.

Why: releases numbered their migrations differently (two schema-9s: cluster rollups at one commit, event id ranges at
another; three schema-16s; a schema 17 without the 16 it was branched beside), so replaying MIGRATIONS from the
stored number re-created tables that were there and skipped columns that were not (attack finding F6: a schema 8
store failed on ``event_date_precision``, a schema 9 one on ``cluster_dyad_days`` existing, a 16 kept seventh-rule
clusters). The target is the shape a fresh store has (MIGRATIONS run on an empty database): a missing table is
created, a missing column added and filled by its rule (``FILLS``), events put back in EVENT_SCHEMA's column order
(appends insert by position), the data steps that are safe to repeat run again, and every table derived from the
events (rollups, clusters, id ranges) rebuilt from them, so the upgraded store answers as a fresh build of the
same files does (tests/test_store_upgrade.py).
"""

from __future__ import annotations

from functools import cache

import duckdb

from geodrift.store_schema import MIGRATIONS, OLD_ADDED_PRECISION, OLD_EVENT_PRECISION

Shape = dict[str, list[tuple[str, str]]]
"""Each table's columns and their types, in order."""

SHAPE_CHECKED = "shape_checked"
"""The ``meta`` key recording the schema whose fresh shape the store was last found (or made) to have."""

DERIVED = ("dyad_days", "country_days", "dyad_months", "country_months", "clusters", "cluster_summary",
           "cluster_units", "cluster_dyad_days", "cluster_country_days", "cluster_dyad_months",
           "cluster_country_months", "event_id_ranges")
"""Tables computed from the events: an upgrade rebuilds them whole (their shape and rules changed between releases)."""

FILLS: dict[tuple[str, str], list[str]] = {
    ("events", "event_date_precision"): [f"UPDATE events SET event_date_precision = {OLD_EVENT_PRECISION}"],
    ("events", "date_added_precision"): [f"UPDATE events SET date_added_precision = {OLD_ADDED_PRECISION}"],
    ("coded_documents", "url"): ["UPDATE coded_documents SET url = document WHERE document NOT LIKE 'file:%'"],
}
"""How a column added to an older store is filled (others stay NULL): the precisions by the rule the older store
was read by (store_precision then checks curated rows against their files), a document's URL from its key."""

REPEATABLE = [*MIGRATIONS[14][2:], *MIGRATIONS[17]]
"""Data steps that change nothing when their work is done (scoping URL-less JSONL ids, keying feed guids by feed), so
they run on every upgrade whatever the store's number says."""


@cache
def fresh() -> tuple[Shape, dict[str, str], dict[str, str]]:
    """The shape, the CREATE statements and the sequences of a store made by this geodrift: the migrations' DDL run
    on an empty database (their data steps, which change no table's shape, left out: 0.08 s of CPU instead of 0.2 s,
    paid by a read-only open of a store not yet marked ``shape_checked``)."""
    con = duckdb.connect(":memory:")
    for step in sorted(MIGRATIONS):
        for statement in MIGRATIONS[step]:
            if statement.lstrip().upper().startswith(("CREATE", "ALTER", "DROP")):
                con.execute(statement)
    tables = dict(con.execute("SELECT table_name, sql FROM duckdb_tables()").fetchall())
    sequences = dict(con.execute("SELECT sequence_name, sql FROM duckdb_sequences()").fetchall())
    shape = shape_of(con)
    con.close()
    return shape, tables, sequences


def shape_of(con: duckdb.DuckDBPyConnection) -> Shape:
    """The main schema's tables, with their columns and types in order."""
    shape: Shape = {}
    for table, column, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
            "AND table_catalog = current_database() ORDER BY table_name, ordinal_position").fetchall():
        shape.setdefault(table, []).append((column, kind))
    return shape


def differences(con: duckdb.DuckDBPyConnection) -> list[str]:
    """How the store's tables differ from a fresh store's ("events: no column event_date_precision"); empty when
    they do not."""
    target, present = fresh()[0], shape_of(con)
    found = []
    for table, columns in target.items():
        if table not in present:
            found.append(f"{table}: missing")
        elif present[table] != columns:
            missing = [c for c, _ in columns if c not in dict(present[table])]
            found.append(f"{table}: " + (f"no column {', '.join(missing)}" if missing else "columns differ"))
    return found


def upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """Bring an older store to a fresh store's shape inside the caller's transaction (``StoreConnection._migrate``,
    which then checks curated precisions, folds the report rollups and clusters the store again)."""
    target, creates, sequences = fresh()
    present = shape_of(con)
    for name, sql in sequences.items():
        if not con.execute("SELECT count(*) FROM duckdb_sequences() WHERE sequence_name = ?", [name]).fetchall()[0][0]:
            con.execute(sql)
    for table in DERIVED:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for table, columns in target.items():
        if table in DERIVED or table not in present:
            con.execute(creates[table])
            continue
        have = dict(present[table])
        for column, kind in columns:
            if column not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
                for statement in FILLS.get((table, column), ()):
                    con.execute(statement)
        if [c for c, _ in present[table] if c in dict(columns)] + [c for c, _ in columns if c not in have] \
                != [c for c, _ in columns]:
            _reorder(con, table, [c for c, _ in columns], creates[table])
    for statement in REPEATABLE:
        con.execute(statement)
    con.execute("INSERT INTO event_id_ranges SELECT file_id, min(event_id), max(event_id), count(*) FROM events "
                "GROUP BY file_id")
    for key in ("aggregated_file_id", "clustered_file_id"):  # refolded and clustered again from the first file
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, '0')", [key])


def _reorder(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], create: str) -> None:
    """Rewrite ``table`` with its columns in a fresh store's order (an older events table has the precisions last)."""
    con.execute(create.replace(f"CREATE TABLE {table}(", f"CREATE TABLE {table}_upgraded(", 1))
    con.execute(f"INSERT INTO {table}_upgraded SELECT {', '.join(columns)} FROM {table}")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {table}_upgraded RENAME TO {table}")
