"""User-written SQL (``geodrift sql``, the API) run so that it can read the store and nothing else.

Two walls. The connection is read-only with DuckDB's external access off and its configuration locked,
so DuckDB itself refuses ATTACH, COPY, EXPORT, file and URL readers, INSTALL/LOAD, and any SET that
would undo this. And the text must be exactly one query statement, so that a DuckDB bug or a statement
type added later does not open a hole by itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from geodrift.errors import InputError
from geodrift.store import Store

ALLOWED = "SELECT, WITH, VALUES, FROM, TABLE, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN"

# EXPLAIN ANALYZE runs its statement, so what follows EXPLAIN must pass the same check.
_EXPLAIN = re.compile(r"\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*EXPLAIN\s+(?:ANALYZE\s+)?(?:\([^)]*\)\s*)?",
                      re.IGNORECASE | re.DOTALL)


def sandboxed_query(path: str | Path, sql: str, *, memory_limit: str = "1GB", threads: int = 2) -> pd.DataFrame:
    """The result of one read-only query on the store at ``path``, run in a sandboxed connection.

    Opens its own DuckDB instance, so it fails (StoreError) in a process that already has this file open
    with another configuration; callers holding the store open run it in another process.

    Raises:
        InputError: the text is empty, holds several statements, or is not a query.
        StoreError: the store cannot be opened, or DuckDB refused or failed the query.
    """
    if not sql.strip():
        raise InputError(f"empty query: give one {ALLOWED} statement")
    with Store(path, sandboxed=True, memory_limit=memory_limit, threads=threads) as store:
        return store.df(single_query(store.con, sql))


def single_query(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The one query statement in ``sql``, or InputError naming what else was found."""
    statements = _statements(con, sql)
    if len(statements) != 1:
        raise InputError(f"give exactly one read-only {ALLOWED} statement, not {len(statements)}")
    query, kind = statements[0]
    if kind == "EXPLAIN":
        explained = _EXPLAIN.match(query)
        inner = _statements(con, query[explained.end():]) if explained else []
        kind = inner[0][1] if len(inner) == 1 else kind
    if kind != "SELECT":
        raise InputError(f"only read-only queries are allowed ({ALLOWED}), not {kind}")
    return query


def _statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[str, str]]:
    """Each statement's text and type name."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise InputError(f"query failed: {str(exc).strip().splitlines()[0]}") from None
    return [(str(s.query), _kind(s)) for s in statements]


def _kind(statement: duckdb.Statement) -> str:
    try:
        return str(statement.type.name)
    except ValueError:  # a type the Python client has no name for (UPDATE EXTENSIONS is number 29)
        return "an unknown statement type"
