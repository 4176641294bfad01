"""Parse delimited event files inside DuckDB, with DuckDB's own reject tracking.

Why DuckDB: its CSV reader is parallel and typed, and with ``store_rejects`` it records
every malformed row (wrong column count, invalid UTF-8, a value that does not cast, an
unknown CAMEO code via an ENUM type) with its line number and text, which is exactly a
quarantine. Python never touches individual rows, which keeps ingest near the speed of
a bare scan.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from geodrift.codebooks import cameo_codes, country_keys, fips_to_iso3
from geodrift.errors import CorruptFileError
from geodrift.events import EVENT_SCHEMA
from geodrift.sources.base import ParsedFile, Rejected

BATCH_ROWS = 122_880

UNCODED_SQL = """CAST(NULL AS VARCHAR) AS modality,
  CAST(NULL AS FLOAT) AS confidence"""
"""Canonical columns that only text coders fill: event datasets leave them null."""

NO_TEXT_EVIDENCE_SQL = """CAST(NULL AS VARCHAR) AS evidence_sentence,
  CAST(NULL AS INTEGER) AS evidence_start,
  CAST(NULL AS INTEGER) AS evidence_end"""


@dataclass(frozen=True)
class Dialect:
    """How a delimited file is laid out."""

    delim: str
    header: bool
    quote: str = ""
    nullstr: tuple[str, ...] = ("",)
    skip: int = 0
    dateformat: str = "%Y%m%d"
    timestampformat: str = "%Y%m%d%H%M%S"


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@cache
def parse_connection(memory_limit: str = "512MB", threads: int = 2) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the CAMEO ENUM and lookup macros every source's SQL may use.

    Macros: cameo_plover(code), cameo_goldstein(code), cameo_quad(code), country_iso3(lower-cased
    name or code), fips_iso3(fips).

    Cached per process: building the CAMEO ENUM and lookup macros costs ~0.2 s, more than
    parsing a typical GDELT file. Files are parsed one after another, each with its own
    reject tables, so sharing the connection is safe.
    """
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
    # Reject records name the wrong column when unused CSV columns are pruned (DuckDB 2.0): keep them all.
    con.execute("SET disabled_optimizers = 'unused_columns'")
    codes = cameo_codes()
    con.execute(f"CREATE TYPE cameo_code AS ENUM ({', '.join(_sql_str(c) for c in sorted(codes))})")
    # Lookups are MAP macros, not joins: a join carries every wide row through a hash probe,
    # which cost more than parsing the file; a MAP lookup on one narrow column does not.
    macros = {
        "cameo_plover": _map({c: v.plover for c, v in codes.items() if v.plover}),
        "cameo_goldstein": _map({c: v.goldstein for c, v in codes.items()}),
        "cameo_quad": _map({c: v.quad_class for c, v in codes.items()}),
        "country_iso3": _map(country_keys()),
        "fips_iso3": _map(fips_to_iso3()),
    }
    for name, literal in macros.items():
        con.execute(f"CREATE MACRO {name}(x) AS ({literal})[x]")
    return con


def _map(pairs: dict[str, Any]) -> str:
    """A DuckDB MAP literal from a dict of strings to strings or numbers."""
    items = ", ".join(f"{_sql_str(k)}: {_sql_str(v) if isinstance(v, str) else repr(v)}" for k, v in pairs.items())
    return f"MAP {{{items}}}"


def parse_delimited(
    path: Path,
    *,
    columns: Sequence[tuple[str, str]],
    dialect: Dialect,
    select_sql: str,
    required: Sequence[str],
    memory_limit: str = "512MB",
    threads: int = 2,
) -> ParsedFile:
    """Parse ``path`` and project it to the canonical schema, streaming.

    Args:
        path: a plain or gzip-compressed delimited file.
        columns: (name, DuckDB type) for every field in file order; a failed cast rejects the row.
        dialect: delimiter, header, quoting, null markers and date formats.
        select_sql: a SELECT over the relation ``raw`` (and the lookups of ``parse_connection``)
            giving the canonical columns.
        required: raw columns that must not be null; rows missing one are rejected.

    Returns:
        A ParsedFile whose ``rejected`` list is filled once its batches are consumed.

    Raises:
        CorruptFileError: DuckDB cannot read the file at all (e.g. truncated gzip).
    """
    con = parse_connection(memory_limit, threads)
    cols = ", ".join(f"{_sql_str(n)}: {_sql_str(t)}" for n, t in columns)
    nulls = "[" + ", ".join(_sql_str(n) for n in dialect.nullstr) + "]"
    options = (
        f"delim={_sql_str(dialect.delim)}, header={str(dialect.header).lower()}, "
        f"skip={dialect.skip}, quote={_sql_str(dialect.quote)}, escape={_sql_str(dialect.quote)}, "
        f"nullstr={nulls}, columns={{{cols}}}, dateformat={_sql_str(dialect.dateformat)}, "
        f"timestampformat={_sql_str(dialect.timestampformat)}, strict_mode=true, auto_detect=false"
    )
    file = _sql_str(str(path))
    present = " AND ".join(f"{_ident(c)} IS NOT NULL" for c in required)
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    relation = con.sql(
        f"WITH raw AS (SELECT * FROM read_csv({file}, {options}, store_rejects=true) WHERE {present}) {select_sql}"
    )
    parsed = ParsedFile(batches=iter(()))
    parsed.batches = _batches(con, relation, path, parsed.rejected, _missing_sql(file, options, columns, required, dialect))
    return parsed


def _missing_sql(file: str, options: str, columns: Sequence[tuple[str, str]], required: Sequence[str],
                 dialect: Dialect) -> str:
    """Rows that parse but lack a required field: a second, cheap scan (ignoring malformed rows)."""
    missing = " ".join(f"WHEN {_ident(c)} IS NULL THEN {_sql_str(c)}" for c in required)
    raw_text = f" || {_sql_str(dialect.delim)} || ".join(f"coalesce({_ident(n)}::VARCHAR, '')" for n, _ in columns)
    absent = " OR ".join(f"{_ident(c)} IS NULL" for c in required)
    return (f"SELECT CASE {missing} END, {raw_text} FROM read_csv({file}, {options}, ignore_errors=true) "
            f"WHERE {absent}")


def _batches(con: duckdb.DuckDBPyConnection, relation: duckdb.DuckDBPyRelation, path: Path,
             rejected: list[Rejected], missing_sql: str) -> Iterator[pa.RecordBatch]:
    try:
        with relation.to_arrow_reader(batch_size=BATCH_ROWS) as reader:
            for batch in reader:
                yield batch.cast(EVENT_SCHEMA) if batch.schema != EVENT_SCHEMA else batch
        rejected += [
            Rejected(int(line), text or "", reason)
            for line, text, reason in con.execute(
                "SELECT line, any_value(csv_line), string_agg(DISTINCT "
                "CASE WHEN column_name IS NULL THEN error_type || ': ' || error_message "
                "ELSE error_type || ' in field ' || column_name || ': ' || error_message END, '; ') "
                "FROM reject_errors GROUP BY line ORDER BY line"
            ).fetchall()
        ]
        rejected += [
            Rejected(None, text, f"MISSING VALUE in field {field}: a required field is empty")
            for field, text in con.execute(missing_sql).fetchall()
        ]
    except duckdb.Error as exc:
        raise CorruptFileError(f"{path}: cannot be read: {str(exc).strip().splitlines()[0]}") from None
