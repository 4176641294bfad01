import duckdb
import pyarrow as pa
import pytest

from geodrift.registered import registered


def _visible(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchall()[0][0])


def test_table_is_queryable_inside_the_block_and_gone_after() -> None:
    con = duckdb.connect()
    with registered(con, "incoming", pa.table({"event_id": ["a", "b", "b"]})) as name:
        assert con.execute(f"SELECT count(DISTINCT event_id) FROM {name}").fetchall() == [(2,)]
    assert not _visible(con, "incoming")
    with pytest.raises(duckdb.CatalogException):
        con.execute("SELECT * FROM incoming")


def test_a_failing_statement_still_unregisters() -> None:
    con = duckdb.connect()
    with pytest.raises(duckdb.BinderException), registered(con, "incoming", pa.table({"x": [1]})):
        con.execute("SELECT missing_column FROM incoming")
    assert not _visible(con, "incoming")
