"""Why a parsed row of a delimited file is unusable, as SQL over DuckDB's reader: a required field empty, a date out
of range, a number that is no value (inf), a coordinate that is no place. One CASE per file group, so the check
costs no second pass (sources/delimited.py, ``scans_sql``)."""

from __future__ import annotations

from collections.abc import Sequence

from geodrift.events import EARLIEST, LATEST, date_range_text


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reason_cases(columns: Sequence[tuple[str, str]], required: Sequence[str], dates: Sequence[str]) -> list[str]:
    """``WHEN <condition> THEN <reason>`` clauses over the raw columns, in the order a row's first reason is told."""
    cases = [f"WHEN {ident(c)} IS NULL THEN "
             f"{sql_str(f'MISSING VALUE in field {c}: a required field is empty')}" for c in required]
    cases += [f"WHEN {ident(c)} IS NOT NULL AND NOT {_in_range_sql(c)} THEN "
              f"{sql_str(f'DATE OUT OF RANGE in field {c}: ')} || CAST({ident(c)} AS DATE) || "
              f"{sql_str(f' (supported {date_range_text()})')}" for c in dates]
    cases += [f"WHEN NOT isfinite({ident(n)}) THEN {sql_str(f'BAD VALUE in field {n}: ')} || {ident(n)} || "
              "' is not a finite number'" for n, kind in columns if kind == "DOUBLE"]
    cases += [f"WHEN abs({ident(n)}) > {limit} THEN {sql_str(f'BAD VALUE in field {n}: ')} || {ident(n)} || "
              f"{sql_str(f' is not a coordinate (|value| <= {limit})')}"
              for n, kind in columns if kind == "DOUBLE" and (limit := _coordinate_limit(n))]
    return cases


def _in_range_sql(column: str) -> str:
    return f"CAST({ident(column)} AS DATE) BETWEEN DATE '{EARLIEST}' AND DATE '{LATEST}'"


def _coordinate_limit(column: str) -> int | None:
    """90 for a latitude column, 180 for a longitude (GDELT's ``ActionGeo_Lat``/``_Long``, ICEWS's ``latitude``):
    a value beyond it is no place, and one such point sets a map's axes to empty space."""
    name = column.lower()
    if name.endswith(("_lat", "latitude")) or name == "lat":
        return 90
    if name.endswith(("_long", "_lon", "longitude")) or name in ("lon", "long"):
        return 180
    return None
