"""Parse delimited event files inside DuckDB, with DuckDB's own reject tracking.

Why DuckDB: its CSV reader is parallel and typed, and with ``store_rejects`` it records
every malformed row (wrong column count, invalid UTF-8, a value that does not cast, an
unknown CAMEO code via an ENUM type) with its line number and text, which is exactly a
quarantine. Python never touches individual rows, which keeps ingest near the speed of
a bare scan. Python does read each file's bytes once before DuckDB, in chunks, to find lines
DuckDB would drop or misread (over-long ones, NUL bytes: geodrift.sources.lines).

A parsed file is a ``Scan``: SQL over DuckDB's reader. Ingest runs it in the store's own
connection (``stage``), so rows go from the reader into the store without passing through
Python or Arrow; ``ParsedFile.batches`` runs the same SQL in ``parse_connection`` for
callers that want Arrow batches.
"""

from __future__ import annotations

import gzip
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa

from geodrift.codebooks import cameo_codes, country_keys, fips_to_iso3
from geodrift.errors import CorruptFileError
from geodrift.events import EVENT_SCHEMA
from geodrift.sources import lines
from geodrift.sources.base import ParsedFile, Rejected, is_gzip
from geodrift.sources.lines import check_lines, copy_without
from geodrift.sources.row_checks import ident, reason_cases, sql_str

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


@cache
def parse_connection(memory_limit: str = "512MB", threads: int = 2) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the CAMEO ENUM and lookup macros every source's SQL may use (``prepare``).

    Cached per process: building the CAMEO ENUM and lookup macros costs ~0.2 s, more than
    parsing a typical GDELT file. Files are parsed one after another, each with its own
    reject tables, so sharing the connection is safe.
    """
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
    # Reject records name the wrong column when unused CSV columns are pruned (DuckDB 2.0): keep them all.
    # (A staged scan uses every column anyway, for the text of unusable rows; the store's connection is not
    # changed, since the setting would reach its every query.)
    con.execute("SET disabled_optimizers = 'unused_columns'")
    prepare(con)
    return con


@cache
def _lookups() -> list[str]:
    """The statements creating the CAMEO ENUM and the lookup macros (temporary: a store's catalogue keeps none)."""
    codes = cameo_codes()
    order = sorted(codes)  # the ENUM's order: enum_code(code) is the code's index here
    # Lookups are macros, not joins: a join carries every wide row through a hash probe, which cost more than
    # parsing the file. A CAMEO code is the ENUM, so its lookups index a list by the ENUM's code, a seventh of the
    # CPU of a MAP lookup on the code's text (issue 19); names go through MAP lookups on one narrow column.
    lists = {
        "cameo_plover": _list([codes[c].plover for c in order]),
        "cameo_goldstein": _list([codes[c].goldstein for c in order]),
        "cameo_quad": _list([codes[c].quad_class for c in order]),
    }
    maps = {"country_iso3": _map(country_keys()), "fips_iso3": _map(fips_to_iso3())}
    return [f"CREATE TEMP TYPE cameo_code AS ENUM ({', '.join(sql_str(c) for c in order)})",
            *(f"CREATE TEMP MACRO {name}(code) AS ({literal})[enum_code(code) + 1]" for name, literal in lists.items()),
            *(f"CREATE TEMP MACRO {name}(x) AS ({literal})[x]" for name, literal in maps.items())]


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Give ``con`` (the store's, or the parse connection) the CAMEO ENUM and lookup macros, once per connection.

    Macros: cameo_plover(code), cameo_goldstein(code), cameo_quad(code) of a ``cameo_code`` ENUM value,
    country_iso3(lower-cased name or code), fips_iso3(fips).
    """
    if con.execute("SELECT count(*) FROM duckdb_types() WHERE type_name = 'cameo_code'").fetchall()[0][0]:
        return
    for statement in _lookups():
        con.execute(statement)


def _literal(value: Any) -> str:
    return "NULL" if value is None else sql_str(value) if isinstance(value, str) else repr(value)


def _list(values: list[Any]) -> str:
    """A DuckDB list literal of strings or numbers (None as NULL)."""
    return "[" + ", ".join(_literal(v) for v in values) + "]"


def _map(pairs: dict[str, Any]) -> str:
    """A DuckDB MAP literal from a dict of strings to strings or numbers."""
    items = ", ".join(f"{sql_str(k)}: {_literal(v)}" for k, v in pairs.items())
    return f"MAP {{{items}}}"




def without_columns(select_sql: str, absent: Sequence[tuple[str, str]]) -> str:
    """``select_sql`` reading each ``absent`` (name, type) column as a typed NULL instead of ``raw.name``: how a format
    reads a file whose header lacks an optional column (a missing required one rejects the file: ``missing_columns``)."""
    for name, kind in absent:
        select_sql = re.sub(rf"raw\.{re.escape(name)}\b", f"CAST(NULL AS {kind})", select_sql)
    return select_sql


def missing_columns(path: Path, layout: str, missing: Sequence[str]) -> CorruptFileError:
    """The error of a file whose header lacks required columns: it names the file, the layout and every one missing.
    Why a whole file: each of its rows would lack them, and a message per row blamed the values of the columns that
    had moved into their place."""
    columns = ", ".join(repr(c) for c in missing)
    return CorruptFileError(f"{path}: the header lacks the required column{'s' if len(missing) > 1 else ''} {columns} "
                            f"of {layout}; no row was read")


def _options(dialect: Dialect, columns: Sequence[tuple[str, str]], limit: int) -> str:
    cols = ", ".join(f"{sql_str(n)}: {sql_str(t)}" for n, t in columns)
    nulls = "[" + ", ".join(sql_str(n) for n in dialect.nullstr) + "]"
    # The buffer scales with the line limit as DuckDB's defaults do (16 x 2 MB), so a lowered limit in
    # tests reproduces, with small lines, what a line longer than the buffer does at full size.
    return (
        f"delim={sql_str(dialect.delim)}, header={str(dialect.header).lower()}, "
        f"skip={dialect.skip}, quote={sql_str(dialect.quote)}, escape={sql_str(dialect.quote)}, "
        f"nullstr={nulls}, columns={{{cols}}}, dateformat={sql_str(dialect.dateformat)}, "
        f"timestampformat={sql_str(dialect.timestampformat)}, strict_mode=true, auto_detect=false, "
        f"max_line_size={limit}, buffer_size={16 * limit}"
    )


@contextmanager
def _without_bad_lines(path: Path, rejected: list[Rejected], limit: int) -> Iterator[tuple[Path, int]]:
    """``path``, or a plain copy with its over-long and NUL lines emptied (and quarantined); and its line count."""
    opener: Callable[[Path], BinaryIO] = _gzip_open if is_gzip(path) else _plain_open
    try:
        with opener(path) as fh:
            bad, count = check_lines(fh, limit)
        if not bad:
            yield path, count
            return
        rejected += [b.rejected(limit) for b in bad]
        with tempfile.TemporaryDirectory(prefix="geodrift-") as tmp:
            clean = Path(tmp) / "lines.txt"
            with opener(path) as src, clean.open("wb") as dst:
                copy_without(src, dst, bad)
            yield clean, count
    except (OSError, EOFError, zlib.error) as exc:
        raise CorruptFileError(f"{path}: cannot be read ({exc})") from None


def _gzip_open(path: Path) -> BinaryIO:
    return gzip.open(path, "rb")  # type: ignore[return-value]


def _plain_open(path: Path) -> BinaryIO:
    return path.open("rb")


@dataclass
class Scan:
    """A delimited file as SQL over DuckDB's reader: what ``stage`` runs in a connection given ``prepare``."""

    path: Path
    """The file as given (for error messages)."""
    readable: Path
    """The file DuckDB reads: ``path`` or a copy with its bad lines emptied."""
    columns: Sequence[tuple[str, str]]
    dialect: Dialect
    select_sql: str
    required: Sequence[str]
    dates: Sequence[str]
    rejected: list[Rejected] = field(default_factory=list)
    """Lines rejected before DuckDB reads the file (too long, NUL bytes)."""
    lines: int | None = None
    """Lines in the file, blank ones included (from the line check), when known."""

    @property
    def data_lines(self) -> int | None:
        """Lines that should each give one row: all but the skipped ones and the header."""
        return None if self.lines is None else self.lines - self.dialect.skip - self.dialect.header

    @property
    def layout(self) -> tuple[Any, ...]:
        """What a reader of this file must be told: files of one layout can be read by one ``read_csv``."""
        return tuple(self.columns), self.dialect, self.select_sql, tuple(self.required), tuple(self.dates)

    def staged_sql(self) -> str:
        """SELECT of the canonical columns plus ``_reason``, ``_raw`` and ``_file`` (``scans_sql`` of this file alone)."""
        return scans_sql([self])


def scans_sql(scans: Sequence[Scan]) -> str:
    """SELECT of the canonical columns plus ``_reason`` and ``_raw`` over the files of ``scans`` (one layout), in
    one ``read_csv``: why a row that parsed is unusable (a required field empty, a date out of range) and its text,
    both null for a usable row; and ``_file``, the index in ``scans`` of the row's file.

    One pass: the reader's malformed rows go to its reject tables, the unusable ones are flagged here. One read
    over a group's files, not one per file: DuckDB then fills whole row groups across files, which cost a sixth
    less CPU to insert than a row group per file (issue 19).
    """
    first = scans[0]
    if any(s.layout != first.layout for s in scans):
        raise ValueError("files read together must share their columns, dialect and SQL")
    options = _options(first.dialect, first.columns, lines.MAX_LINE_BYTES)
    cases = reason_cases(first.columns, first.required, first.dates)
    # Every column appears here, so none is pruned from the reader's work when a query uses only some (the
    # insert into events does not use the unusable rows' text): DuckDB checks the UTF-8 only of the columns
    # it reads, and a pruned one would let a row with invalid bytes through.
    cases.append(f"WHEN {' AND '.join(f'{ident(n)} IS NULL' for n, _ in first.columns)} THEN "
                 "'EMPTY ROW: every field is empty'")
    raw_text = f" || {sql_str(first.dialect.delim)} || ".join(
        f"coalesce({ident(n)}::VARCHAR, '')" for n, _ in first.columns)
    body = first.select_sql.rstrip()
    if not body.endswith("FROM raw"):
        raise ValueError("a delimited format's select_sql must end with 'FROM raw'")
    files = "[" + ", ".join(sql_str(str(s.readable)) for s in scans) + "]"
    return (f"WITH raw AS (SELECT *, file_index AS _file, CASE {' '.join(cases)} END AS _reason "
            f"FROM read_csv({files}, {options}, store_rejects=true)) "
            f"{body.removesuffix('FROM raw')}, raw._reason, "
            f"CASE WHEN raw._reason IS NOT NULL THEN {raw_text} END AS _raw, raw._file FROM raw")


STAGED_EXTRA = "file_id INTEGER, _reason VARCHAR, _raw VARCHAR"
"""Columns of a staging table after the canonical ones (``stage``)."""


def stage(con: duckdb.DuckDBPyConnection, scan: Scan, table: str, file_id: int) -> tuple[int, list[Rejected]]:
    """Read ``scan`` into ``table`` (canonical columns, then ``STAGED_EXTRA``) in ``con``, tagged ``file_id``.

    Returns the rows staged and those DuckDB's reader rejected, with their line numbers; rows flagged
    ``_reason`` stay in ``table`` for the caller to quarantine.

    Raises:
        CorruptFileError: DuckDB cannot read the file at all (e.g. truncated gzip).
    """
    names = ", ".join(f.name for f in EVENT_SCHEMA)
    try:
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
        rows = con.execute(f"INSERT INTO {table} SELECT {names}, {int(file_id)}, _reason, _raw "
                           f"FROM ({scan.staged_sql()})").fetchall()[0][0]
        return int(rows), reader_rejects(con, scan)
    except duckdb.Error as exc:
        raise CorruptFileError(f"{scan.path}: cannot be read: {str(exc).strip().splitlines()[0]}") from None


def reader_rejects(con: duckdb.DuckDBPyConnection, scan: Scan) -> list[Rejected]:
    """The lines DuckDB's reader rejected in the last scan run on ``con`` (its reject tables), with their numbers."""
    return [
        Rejected(int(line), _with_quote_span(scan.readable, text or "", lo, hi), reason)
        for line, text, reason, lo, hi in con.execute(
            # One row per line, keyed by where the line starts: a parallel scan can report two errors of
            # one line under two line numbers (seen with DuckDB 2.0 when an emptied line precedes it). Its reasons
            # sorted: a parallel scan records them in any order.
            "SELECT min(line), any_value(csv_line), string_agg(DISTINCT reason, '; ' ORDER BY reason), "
            "min(byte_position) FILTER (error_type = 'UNQUOTED VALUE'), "
            "max(byte_position) FILTER (error_type = 'UNQUOTED VALUE') "
            "FROM (SELECT *, CASE WHEN column_name IS NULL THEN error_type || ': ' || error_message "
            "ELSE error_type || ' in field ' || column_name || ': ' || error_message END AS reason FROM reject_errors) "
            "GROUP BY coalesce(line_byte_position, line) ORDER BY 1"
        ).fetchall()
    ]


def _with_quote_span(path: Path, text: str, first: int | None, last: int | None) -> str:
    """A rejected record's text: DuckDB's ``csv_line``, preceded by the whole lines holding bytes ``first``..``last``
    of ``path`` when its quote never closed.

    Why: for such a record DuckDB 2.0's ``csv_line`` may hold another line's text, while the byte positions of the
    quote errors lie in the lines that opened the quote; the quarantine keeps both, so no line is lost."""
    if first is None or last is None:
        return text
    span = _lines_between(path, first, last)
    return span if text in span else f"{span}\n{text}"


def _lines_between(path: Path, first: int, last: int) -> str:
    """The whole lines of ``path`` holding bytes ``first``..``last``."""
    with gzip.open(path) if is_gzip(path) else path.open("rb") as fh:
        start = max(0, first - lines.MAX_LINE_BYTES)
        fh.seek(start)
        begin = start + fh.read(first - start).rfind(b"\n") + 1
        fh.seek(begin)
        chunk = fh.read(last - begin + lines.MAX_LINE_BYTES)
    end = chunk.find(b"\n", last - begin)
    return chunk[: end if end >= 0 else len(chunk)].decode("utf-8", "replace")


def staging_ddl(table: str) -> str:
    """CREATE of an empty temporary staging table for ``stage``."""
    from geodrift.store_schema import DUCK_TYPES

    cols = ", ".join(f"{f.name} {DUCK_TYPES[f.type]}" for f in EVENT_SCHEMA)
    return f"CREATE OR REPLACE TEMP TABLE {table} ({cols}, {STAGED_EXTRA})"


@contextmanager
def parse_delimited(
    path: Path,
    *,
    columns: Sequence[tuple[str, str]],
    dialect: Dialect,
    select_sql: str,
    required: Sequence[str],
    dates: Sequence[str] = (),
) -> Iterator[ParsedFile]:
    """Check ``path``'s lines and describe its parse as a ``Scan`` (``ParsedFile.scan``), valid inside the context.

    Args:
        path: a plain or gzip-compressed delimited file.
        columns: (name, DuckDB type) for every field in file order; a failed cast rejects the row.
        dialect: delimiter, header, quoting, null markers and date formats.
        select_sql: a SELECT over the relation ``raw`` (and the lookups of ``prepare``) giving the
            canonical columns, ending ``FROM raw``.
        required: raw columns that must not be null; rows missing one are rejected.
        dates: raw DATE or TIMESTAMP columns whose day must lie in EARLIEST..LATEST (when not null);
            rows outside are rejected.

    Yields:
        A ParsedFile with ``scan`` set; its ``batches`` run the scan in ``parse_connection`` and fill
        ``rejected`` once consumed. Lines too long or holding a NUL byte are rejected before DuckDB
        reads the file (geodrift.sources.lines).

    Raises:
        CorruptFileError: the file cannot be read (e.g. truncated gzip); from ``stage``, or while
            the batches are read.
    """
    found: list[Rejected] = []
    with _without_bad_lines(path, found, lines.MAX_LINE_BYTES) as (readable, count):
        scan = Scan(path, readable, columns, dialect, select_sql, required, dates, found, count)
        parsed = ParsedFile(batches=iter(()), scan=scan)
        parsed.batches = _batches(scan, parsed.rejected)
        yield parsed


def _batches(scan: Scan, rejected: list[Rejected]) -> Iterator[pa.RecordBatch]:
    """The scan's usable rows as Arrow batches, staged in the parse connection; rejects into ``rejected``."""
    con = parse_connection()
    con.execute(staging_ddl("parsed_rows"))
    try:
        rejected += [*scan.rejected, *stage(con, scan, "parsed_rows", 0)[1]]
        rejected += [Rejected(None, text, reason) for reason, text in con.execute(
            "SELECT _reason, _raw FROM parsed_rows WHERE _reason IS NOT NULL").fetchall()]
        names = ", ".join(f.name for f in EVENT_SCHEMA)
        with con.sql(f"SELECT {names} FROM parsed_rows WHERE _reason IS NULL").to_arrow_reader(BATCH_ROWS) as reader:
            for batch in reader:
                yield batch.cast(EVENT_SCHEMA) if batch.schema != EVENT_SCHEMA else batch
    finally:
        con.execute("DROP TABLE IF EXISTS parsed_rows")
