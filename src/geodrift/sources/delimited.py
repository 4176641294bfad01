"""Parse delimited event files inside DuckDB, with DuckDB's own reject tracking.

Why DuckDB: its CSV reader is parallel and typed, and with ``store_rejects`` it records
every malformed row (wrong column count, invalid UTF-8, a value that does not cast, an
unknown CAMEO code via an ENUM type) with its line number and text, which is exactly a
quarantine. Python never touches individual rows, which keeps ingest near the speed of
a bare scan. Python does read each file's bytes once before DuckDB, in chunks, to find lines
DuckDB would drop or misread (over-long ones, NUL bytes: geodrift.sources.lines).
"""

from __future__ import annotations

import gzip
import tempfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa

from geodrift.codebooks import cameo_codes, country_keys, fips_to_iso3
from geodrift.errors import CorruptFileError
from geodrift.events import EARLIEST, EVENT_SCHEMA, LATEST, date_range_text
from geodrift.sources import lines
from geodrift.sources.base import ParsedFile, Rejected, is_gzip
from geodrift.sources.lines import copy_without, find_bad_lines

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
    dates: Sequence[str] = (),
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
        dates: raw DATE or TIMESTAMP columns whose day must lie in EARLIEST..LATEST (when not null);
            rows outside are rejected.

    Returns:
        A ParsedFile whose ``rejected`` list is filled once its batches are consumed. Lines too long
        or holding a NUL byte are rejected before DuckDB reads the file (geodrift.sources.lines).

    Raises:
        CorruptFileError: DuckDB cannot read the file at all (e.g. truncated gzip); raised while
            the batches are read.
    """
    parsed = ParsedFile(batches=iter(()))
    parsed.batches = _batches(path, columns, dialect, select_sql, required, dates, parsed.rejected,
                              memory_limit, threads)
    return parsed


def _options(dialect: Dialect, columns: Sequence[tuple[str, str]], limit: int) -> str:
    cols = ", ".join(f"{_sql_str(n)}: {_sql_str(t)}" for n, t in columns)
    nulls = "[" + ", ".join(_sql_str(n) for n in dialect.nullstr) + "]"
    # The buffer scales with the line limit as DuckDB's defaults do (16 x 2 MB), so a lowered limit in
    # tests reproduces, with small lines, what a line longer than the buffer does at full size.
    return (
        f"delim={_sql_str(dialect.delim)}, header={str(dialect.header).lower()}, "
        f"skip={dialect.skip}, quote={_sql_str(dialect.quote)}, escape={_sql_str(dialect.quote)}, "
        f"nullstr={nulls}, columns={{{cols}}}, dateformat={_sql_str(dialect.dateformat)}, "
        f"timestampformat={_sql_str(dialect.timestampformat)}, strict_mode=true, auto_detect=false, "
        f"max_line_size={limit}, buffer_size={16 * limit}"
    )


def _in_range_sql(column: str) -> str:
    col = _ident(column)
    return f"CAST({col} AS DATE) BETWEEN DATE '{EARLIEST}' AND DATE '{LATEST}'"


def _unusable_sql(file: str, options: str, columns: Sequence[tuple[str, str]], required: Sequence[str],
                  dates: Sequence[str], dialect: Dialect) -> str:
    """Rows that parse but lack a required field or carry a date outside the supported range: a second,
    cheap scan (ignoring malformed rows, which DuckDB's reject tables hold)."""
    cases = [f"WHEN {_ident(c)} IS NULL THEN {_sql_str(f'MISSING VALUE in field {c}: a required field is empty')}"
             for c in required]
    cases += [f"WHEN NOT {_in_range_sql(c)} THEN {_sql_str(f'DATE OUT OF RANGE in field {c}: ')} || "
              f"CAST({_ident(c)} AS DATE) || {_sql_str(f' (supported {date_range_text()})')}" for c in dates]
    raw_text = f" || {_sql_str(dialect.delim)} || ".join(f"coalesce({_ident(n)}::VARCHAR, '')" for n, _ in columns)
    bad = " OR ".join([f"{_ident(c)} IS NULL" for c in required] + [f"NOT {_in_range_sql(c)}" for c in dates])
    return (f"SELECT CASE {' '.join(cases)} END, {raw_text} FROM read_csv({file}, {options}, ignore_errors=true) "
            f"WHERE {bad}")


@contextmanager
def _without_bad_lines(path: Path, rejected: list[Rejected], limit: int) -> Iterator[Path]:
    """``path``, or a plain copy with its over-long and NUL lines emptied (and quarantined)."""
    opener: Callable[[Path], BinaryIO] = _gzip_open if is_gzip(path) else _plain_open
    try:
        with opener(path) as fh:
            bad = find_bad_lines(fh, limit)
        if not bad:
            yield path
            return
        rejected += [b.rejected(limit) for b in bad]
        with tempfile.TemporaryDirectory(prefix="geodrift-") as tmp:
            clean = Path(tmp) / "lines.txt"
            with opener(path) as src, clean.open("wb") as dst:
                copy_without(src, dst, bad)
            yield clean
    except (OSError, EOFError, zlib.error) as exc:
        raise CorruptFileError(f"{path}: cannot be read ({exc})") from None


def _gzip_open(path: Path) -> BinaryIO:
    return gzip.open(path, "rb")  # type: ignore[return-value]


def _plain_open(path: Path) -> BinaryIO:
    return path.open("rb")


def _batches(path: Path, columns: Sequence[tuple[str, str]], dialect: Dialect, select_sql: str,
             required: Sequence[str], dates: Sequence[str], rejected: list[Rejected], memory_limit: str,
             threads: int) -> Iterator[pa.RecordBatch]:
    limit = lines.MAX_LINE_BYTES
    with _without_bad_lines(path, rejected, limit) as readable:
        con = parse_connection(memory_limit, threads)
        options = _options(dialect, columns, limit)
        file = _sql_str(str(readable))
        usable = " AND ".join([f"{_ident(c)} IS NOT NULL" for c in required]
                              + [f"({_ident(c)} IS NULL OR {_in_range_sql(c)})" for c in dates])
        try:
            con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
            relation = con.sql(
                f"WITH raw AS (SELECT * FROM read_csv({file}, {options}, store_rejects=true) WHERE {usable}) "
                f"{select_sql}"
            )
            with relation.to_arrow_reader(batch_size=BATCH_ROWS) as reader:
                for batch in reader:
                    yield batch.cast(EVENT_SCHEMA) if batch.schema != EVENT_SCHEMA else batch
            rejected += [
                Rejected(int(line), text or "", reason)
                for line, text, reason in con.execute(
                    # One row per line, keyed by where the line starts: a parallel scan can report two errors of
                    # one line under two line numbers (seen with DuckDB 2.0 when an emptied line precedes it).
                    "SELECT min(line), any_value(csv_line), string_agg(DISTINCT "
                    "CASE WHEN column_name IS NULL THEN error_type || ': ' || error_message "
                    "ELSE error_type || ' in field ' || column_name || ': ' || error_message END, '; ') "
                    "FROM reject_errors GROUP BY coalesce(line_byte_position, line) ORDER BY 1"
                ).fetchall()
            ]
            rejected += [
                Rejected(None, text, reason)
                for reason, text in con.execute(
                    _unusable_sql(file, options, columns, required, dates, dialect)).fetchall()
            ]
        except duckdb.Error as exc:
            raise CorruptFileError(f"{path}: cannot be read: {str(exc).strip().splitlines()[0]}") from None
