"""User SQL reads its store and nothing else: every escape is refused and nothing outside is touched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from geodrift.errors import InputError, StoreError
from geodrift.sandbox import sandboxed_query, single_query
from geodrift.store import Store
from tests.formula_events import PAYLOADS, formula_store
from tests.test_cli import assert_one_line_error, run

SECRET = "top secret line"

# Single statements that reach outside the store: the connection itself refuses each of them.
# {other} is another geodrift store, {victim} an existing file, {secret} a file not to be read.
ESCAPES = [
    "ATTACH '{other}' AS o (READ_WRITE)",
    "COPY (SELECT 'x') TO '{victim}'",
    "COPY events TO '{victim}' (FORMAT csv)",
    "EXPLAIN ANALYZE COPY (SELECT 'x') TO '{victim}'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT read_text('/etc/passwd')",
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM '{secret}'",
    "SELECT * FROM glob('/root/*')",
    "SELECT * FROM glob('{folder}/*')",
    "SELECT * FROM query('ATTACH ''{other}'' AS o')",
    "EXPORT DATABASE '{export}'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access=true",
    "RESET enable_external_access",
    "SET lock_configuration=false",
    "SET profiling_output='{victim}'",
    "PRAGMA enable_profiling='json'",
    "DELETE FROM events",
]
# Also refused, by the one-query check: several statements, and statements that are not queries.
ATTACKS = [*ESCAPES,
    "ATTACH '{other}' AS o (READ_WRITE); DELETE FROM o.events",
    "SET enable_external_access=true; SELECT * FROM read_text('{secret}')",
    "SELECT 1; SELECT 2",
    "UPDATE EXTENSIONS",
    "PRAGMA version",
    "CALL pragma_version()",
    "CHECKPOINT",
]


@dataclass(frozen=True)
class World:
    """The store queried and what lies outside it."""

    db: Path
    other: Path
    victim: Path
    secret: Path
    export: Path

    def attack(self, template: str) -> str:
        return template.format(other=self.other, victim=self.victim, secret=self.secret, export=self.export,
                               folder=self.victim.parent)

    def assert_untouched(self) -> None:
        assert self.victim.read_text() == "keep me"
        assert not self.export.exists()
        for path in (self.db, self.other):
            with Store(path, read_only=True) as store:
                assert store.count_events() == len(PAYLOADS)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("sandbox")
    (folder / "victim.txt").write_text("keep me")
    (folder / "secret.txt").write_text(SECRET)
    return World(formula_store(folder, "g.duckdb"), formula_store(folder, "other.duckdb"), folder / "victim.txt",
                 folder / "secret.txt", folder / "exported")


@pytest.mark.parametrize("template", ATTACKS)
def test_escapes_are_refused_and_leave_everything_outside_untouched(world: World, template: str) -> None:
    with pytest.raises((InputError, StoreError)):
        sandboxed_query(world.db, world.attack(template))
    world.assert_untouched()


@pytest.mark.parametrize("template", ESCAPES)
def test_the_connection_alone_refuses_them(world: World, template: str) -> None:
    """Defence in depth: with the statement check bypassed, DuckDB's own sandbox still says no."""
    with Store(world.db, sandboxed=True) as store:
        with pytest.raises(duckdb.Error):
            store.con.execute(world.attack(template)).fetchall()
        assert store.con.execute("SELECT current_setting('enable_external_access'), "
                                 "current_setting('lock_configuration')").fetchall() == [(False, True)]
    world.assert_untouched()


@pytest.mark.parametrize("query", [
    "SELECT count(*) FROM events", "  with e AS (SELECT * FROM events) SELECT count(*) FROM e;", "VALUES (1), (2)",
    "FROM events SELECT event_id", "TABLE events", "DESCRIBE events", "SHOW TABLES", "SUMMARIZE events",
    "EXPLAIN SELECT 1", "EXPLAIN ANALYZE SELECT count(*) FROM events", "/* why */ EXPLAIN (FORMAT json) SELECT 1",
    "SELECT 1 -- a comment; DROP TABLE events",
])
def test_queries_run(world: World, query: str) -> None:
    assert not sandboxed_query(world.db, query).empty


def test_results_are_the_store_contents(world: World) -> None:
    frame = sandboxed_query(world.db, "SELECT actor1_name FROM events ORDER BY event_id")
    assert sorted(frame.actor1_name) == sorted(PAYLOADS)


@pytest.mark.parametrize(("query", "message"), [
    ("", "empty query"), (" \n\t ", "empty query"), ("-- only a comment", "not 0"), (";", "not 0"),
    ("SELECT 1; SELECT 2", "exactly one"), ("DELETE FROM events", "not DELETE"),
    ("EXPLAIN ANALYZE DELETE FROM events", "not DELETE"), ("SELEC 1", "query failed"),
    ("UPDATE EXTENSIONS", "unknown statement type"),
])
def test_bad_text_says_why(world: World, query: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        sandboxed_query(world.db, query)


def test_statement_check_needs_no_store() -> None:
    assert single_query(duckdb.connect(), "SHOW TABLES;") == "SHOW TABLES;"


@pytest.mark.parametrize("template", [
    "ATTACH '{other}' AS o (READ_WRITE); DELETE FROM o.events", "COPY (SELECT 'x') TO '{victim}'",
    "SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/passwd')", "SELECT * FROM glob('/root/*')",
    "SELECT * FROM read_text('{secret}')", "EXPORT DATABASE '{export}'", "INSTALL httpfs", "LOAD httpfs",
    "SET enable_external_access=true", "PRAGMA enable_profiling='json'", "SELECT 1; SELECT 2", "", "   ",
])
def test_cli_sql_refuses_in_one_line(world: World, template: str) -> None:
    result = run("sql", world.attack(template), "--format", "csv", "--db", str(world.db))
    assert_one_line_error(result, "error: ")
    assert SECRET not in result.stdout and "root:" not in result.stdout
    world.assert_untouched()


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT CAST(event_id AS INTEGER) FROM events", "query failed: Conversion Error"),
    ("SELECT error('boom') FROM events", "query failed: Invalid Input Error: boom"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", "query refused"),
    ("SELECT * FROM duckdb_extensions()", "query refused"),
])
def test_cli_sql_errors_met_while_running_are_one_line(world: World, query: str, message: str) -> None:
    """Attack review 8 F13: DuckDB fails these running the query, not planning it; still one line, no traceback."""
    result = run("sql", query, "--format", "csv", "--db", str(world.db))
    assert_one_line_error(result, message)
    world.assert_untouched()
