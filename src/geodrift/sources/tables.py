"""Formats of tables that are not events (conflict-years, battle deaths, disputes): CSV files read whole,
each value converted to its column's type, the country numbers mapped to ISO3, bad rows quarantined.

A ``TableFormat`` yields batches of its table's schema (geodrift.conflict_schema) and ``table`` names
the store table (geodrift.ingest routes them there). Rows whose key fields are missing or whose values
do not parse are rejected with the field and the value, as every other format does.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pyarrow as pa

from geodrift.codebooks.states import state_iso3, state_periods
from geodrift.conflict_schema import ConflictTable
from geodrift.errors import CorruptFileError
from geodrift.sources.base import FileFormat, ParsedFile, Rejected, is_gzip


def header_fields(head: str) -> list[str]:
    """The column names of a CSV header line (BOM, quotes and a pandas index column removed)."""
    return [f.strip().strip('"') for f in head.lstrip("\ufeff").split(",")]


def code_list(value: Any) -> list[int]:
    """Country numbers from a cell: '750', '750.0' or '702, 703'; empty for a blank.

    Raises:
        ValueError: a part is not a number.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    parts = [p.strip() for p in str(value).split(",") if p.strip()]
    try:
        return [int(float(p)) for p in parts]
    except OverflowError:  # 'inf'
        raise ValueError(value) from None


def _convert(value: str, dtype: pa.DataType, column: str) -> Any:
    """A cell as its column's type; blank and NA are null.

    Raises:
        ValueError: "BAD VALUE in field ...", naming the field and the value.
    """
    if value == "" or value.upper() in ("NA", "NAN"):
        return None
    try:
        if dtype == pa.int32():
            number = float(value)
            if not number.is_integer() or abs(number) >= 2**31:
                raise ValueError
            return int(number)
        if dtype == pa.float64():
            return float(value)
        if dtype == pa.date32():
            return dt.date.fromisoformat(value[:10])
    except ValueError:
        kind = {pa.int32(): "a whole number", pa.date32(): "a date (YYYY-MM-DD)"}.get(dtype, "a number")
        raise ValueError(f"BAD VALUE in field {column}: {value!r} is not {kind}") from None
    return value


LINE = "_line"
"""Column of ``read_rows``' frame holding each record's first line number in the file."""


def read_rows(path: Path, *, multiline: bool = False) -> tuple[pd.DataFrame, list[Rejected]]:
    """A CSV file (plain or gzip) as strings, one column per header field plus ``LINE``, and the records whose
    number of fields differs from the header's, as rejects with their line numbers. Unless the format's fields
    may hold line breaks (``multiline``), a record running over several lines is rejected too: a quote left open
    by damage would otherwise swallow the next record into one of its fields.

    Why not pandas' reader: it fails the whole file on one record with too many fields and pads one with too
    few without a word, and it cannot say which line a row came from.

    Raises:
        CorruptFileError: the file cannot be read or decoded, or has no header.
    """
    try:
        with (gzip.open(path, "rb") if is_gzip(path) else path.open("rb")) as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                raise CorruptFileError(f"{path}: empty file (no header line)")
            names = [h.strip() for h in header]
            rows, rejected, start = [], [], reader.line_num + 1
            for record in reader:
                if record and len(record) != len(names):
                    rejected.append(Rejected(start, ",".join(record), f"FIELD COUNT: expected {len(names)} fields, "
                                                                      f"found {len(record)}"))
                elif record and not multiline and reader.line_num > start:
                    rejected.append(Rejected(start, ",".join(record), f"LINE BREAK in a quoted field: the record "
                                                                      f"runs over lines {start}-{reader.line_num} "
                                                                      "(a quote left open?)"))
                elif record:
                    rows.append([*record, start])
                start = reader.line_num + 1
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise CorruptFileError(f"{path}: cannot be read as CSV ({exc})") from None
    frame = pd.DataFrame(rows, columns=[*names, LINE], dtype=object)
    keep = [c for c in frame.columns if c and not c.startswith("Unnamed")]
    return frame[keep], rejected


def version_from_name(path: Path) -> str | None:
    """'22.1' from 'ucdp-prio-acd-221.csv' or 'ucdp_acd_v25_1_unnested.csv': the release, when the name says it."""
    found = re.search(r"(?:v|-)(\d{2})[._]?(\d)(?:\D|$)", path.name)
    return f"{found.group(1)}.{found.group(2)}" if found else None


class TableFormat(FileFormat):
    """A CSV file of one conflict-history table; subclasses name the table and the header that identifies it."""

    spec: ClassVar[ConflictTable]
    required: ClassVar[tuple[str, ...]]
    """Header fields whose presence (together) identifies the format."""
    year_column: ClassVar[str] = "year"
    """Column dating a row, for the state codes valid then."""

    @classmethod
    def sniff(cls, path: Path, head: str) -> bool:
        fields = set(header_fields(head))
        return set(cls.required) <= fields and cls.accepts(fields)

    @classmethod
    def accepts(cls, fields: set[str]) -> bool:
        """Further header checks, to tell apart formats with overlapping columns."""
        return True

    def frame(self, path: Path, raw: pd.DataFrame) -> pd.DataFrame:
        """The raw rows as this table's columns (strings): renames, recodes, collapsed rows."""
        return raw

    @contextmanager
    def open(self, path: Path) -> Iterator[ParsedFile]:
        raw, rejected = read_rows(path)
        parsed = ParsedFile(batches=iter(()), rejected=rejected)
        parsed.batches = iter(self._batches(self.frame(path, raw), parsed.rejected))
        try:
            yield parsed
        finally:
            parsed.close()

    def _batches(self, frame: pd.DataFrame, rejected: list[Rejected]) -> list[pa.RecordBatch]:
        spec, rows = self.spec, []
        mapped = {iso for _, iso, _ in spec.codes}
        for record in frame.to_dict("records"):
            number = record.pop(LINE, None)
            try:
                row = {name: _convert(str(record.get(name, "") or ""), dtype, name)
                       for name, dtype in spec.columns if name not in mapped}
                missing = [k for k in spec.key if row.get(k) is None]
                if missing:
                    raise ValueError(f"MISSING KEY: field {missing[0]} is empty")
                year = row.get(self.year_column)
                for column, iso, system in spec.codes:
                    try:
                        codes = code_list(record.get(column))
                    except ValueError:
                        raise ValueError(f"BAD CODE in field {column}: {record.get(column)!r} is not a list of "
                                         f"{system.upper()} numbers") from None
                    unknown = [c for c in codes if c not in state_periods(system)]
                    if unknown:  # a number no state ever had is a mistake; a state without an ISO3 unit is kept
                        raise ValueError(f"UNKNOWN CODE in field {column}: {unknown[0]} is no {system.upper()} "
                                         "state number")
                    if spec.columns_by_name().get(column) == pa.string():
                        row[column] = ", ".join(str(c) for c in codes) or None
                    units = [state_iso3(system, c, int(year)) if year is not None else None for c in codes]
                    row[iso] = ", ".join(u for u in units if u) or None
            except ValueError as exc:
                rejected.append(Rejected(number, ",".join(str(v) for v in record.values()), str(exc)))
                continue
            rows.append(row)
        return [pa.RecordBatch.from_pylist(rows, schema=spec.schema)] if rows else []
