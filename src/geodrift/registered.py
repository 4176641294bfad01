"""A Python table visible to SQL under a name for the span of a ``with`` block.

Why: DuckDB reads Arrow tables and pandas frames in place once registered on a connection; a registration that
outlives its statement holds the data in memory and shadows a later one of the same name, so every caller
registers, runs its statements and unregisters, even when a statement fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: Any) -> Iterator[str]:
    """Register ``table`` (Arrow or pandas) on ``con`` as ``name`` until the block ends; yields the name."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)
