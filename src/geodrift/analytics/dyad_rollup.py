"""A dyad series read from the dyad and country rollups (``dyad_days``/``dyad_months``, ``country_days``/
``country_months``): one read of the dyad-sorted tables, summed per period in numpy.

Why not one SQL statement that sums: the API serves this uncached, and on 10 million events the statement that
joined coverage to the dyad sums cost about 7 ms of CPU to plan and run, against about 2 ms for the reads of the
few hundred rows it needs (bench/api_bench.py). The sums are the statement's own: coverage(A ∪ B) is the
weight of every country of A ∪ B less the events between two of them, which the country rollup counts once
per actor (docs/methods.md).

Why one statement for the dyad and the country rows, each pair's rows tagged with its number rather than its
countries: each statement costs its own parse, plan and scan set-up (0.3-0.7 ms of CPU on 10 million events),
and the two text columns per row cost their conversion to Python objects, for a read of about a thousand rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import duckdb
import numpy as np

from geodrift.errors import StoreError
from geodrift.query import EventFilter, periods_of, sql_in
from geodrift.store import Store
from geodrift.units_sql import fine_enough, too_coarse

MAX_PAIRS = 16
"""Up to this many ordered country pairs, rollup rows are read pair by pair (see ``dyad_rows_sql``)."""

SUMS = "event_date, quad_class, events, weight, gw, tone_sum, tone_n"
"""The columns of a dyad rollup row a series sums."""

COUNTRY = -1
"""The ``part`` of a country rollup row in ``rollup_rows_sql``'s read (a dyad row's is its pair's number, >= 0)."""


class Apart(NamedTuple):
    """Events between the sides that a series leaves out of its periods, being dated only to a coarser one (a month
    in a weekly series), summed per period they are dated to: one row of ``dyads.dyad_undated``."""

    period: dt.date
    dated: str
    """month or year"""
    events: int
    weight: float
    conflict_events: int


def apart_sums(rows: Iterable[tuple[Any, ...]]) -> list[Apart]:
    """``Apart`` rows from (day, dated, quad class, events, weight) rows, summed per day and precision in the order
    given (the weights are counts of sources: whole numbers, so the order does not change the sums)."""
    sums: dict[tuple[dt.date, str], list[float]] = {}
    for day, dated, quad, events, weight in rows:
        total = sums.setdefault((np.datetime64(day, "D").item(), str(dated)), [0, 0.0, 0])
        total[0] += float(events)
        total[1] += float(weight)
        total[2] += float(events) if quad == 4 else 0
    return [Apart(day, dated, int(n), w, int(c)) for (day, dated), (n, w, c) in sorted(sums.items())]


def _text(value: str) -> str:
    return sql_in([value])[1:-1]


def dyad_rows_sql(table: str, cond: str, pairs: set[tuple[str, str]], columns: str = "*") -> str:
    """Rows of the dyad rollup ``table`` for these ordered (actor1, actor2) pairs; up to ``MAX_PAIRS`` of them, each
    row with ``part``, its pair's place in ``sorted(pairs)``.

    Why pair by pair: an equality on both actor columns lets the zone maps of the dyad-sorted table skip
    every other dyad, while an IN list on both columns reads far more of it (13 ms against 1 ms a pair on
    10 million events). Large groups (regions) use the IN lists (``part`` 0, with the actor columns to tell
    the pairs apart).
    """
    if not pairs:
        return f"SELECT 0 AS part, {columns} FROM {table} WHERE false"
    if len(pairs) > MAX_PAIRS:
        firsts, seconds = sorted({x for x, _ in pairs}), sorted({y for _, y in pairs})
        exact = " OR ".join(f"(actor1_country = {_text(x)} AND actor2_country = {_text(y)})" for x, y in sorted(pairs))
        return (f"SELECT 0 AS part, {columns} FROM {table} WHERE {cond} AND actor1_country IN {sql_in(firsts)} "
                f"AND actor2_country IN {sql_in(seconds)} AND ({exact})")
    return " UNION ALL ".join(f"SELECT {i} AS part, {columns} FROM {table} WHERE {cond} AND actor1_country = {_text(x)} "
                              f"AND actor2_country = {_text(y)}" for i, (x, y) in enumerate(sorted(pairs)))


def rollup_rows_sql(prefix: str, grain: str, cond: str, read: set[tuple[str, str]], both: Sequence[str],
                    placed: str = "TRUE", coarse: Sequence[str] = ()) -> str:
    """One read of the rows a series sums: the dyad rows of the ordered pairs ``read`` (``dyad_rows_sql``), then the
    country rows of ``both`` (``part`` = ``COUNTRY``, NULL where a country row has no such column), all meeting
    ``cond`` and ``placed``. The actor columns come only with more than ``MAX_PAIRS`` pairs, where ``part`` cannot
    tell them apart. With ``coarse`` precisions, the dyad rows dated to one of them come too, each row with
    ``apart``: 0 when ``placed``, else its precision's place in ``coarse`` from 1 (the events counted apart)."""
    actors = len(read) > MAX_PAIRS
    columns = ("actor1_country, actor2_country, " if actors else "") + SUMS
    country = ("NULL, NULL, " if actors else "") + "event_date, NULL, NULL, weight, NULL, NULL, NULL"
    dyad_cond = f"{cond} AND {placed}"
    if coarse:
        dated = "coalesce(dated, 'day')"
        dyad_cond = f"{cond} AND ({placed} OR {dated} IN {sql_in(list(coarse))})"
        columns += ", CASE " + " ".join(f"WHEN {dated} = '{k}' THEN {i}" for i, k in enumerate(coarse, 1))
        columns += " ELSE 0 END AS apart"
        country += ", 0"
    return (f"{dyad_rows_sql(f'{prefix}dyad_{grain}', dyad_cond, read, columns)} UNION ALL "
            f"SELECT {COUNTRY}, {country} FROM {prefix}country_{grain} WHERE {cond} AND {placed} "
            f"AND country IN {sql_in(list(both))}")


def rollup_series(reader: Store, freq: str, where: EventFilter, side_a: Sequence[str], side_b: Sequence[str],
                  directed: bool, clusters: bool = False, apart: bool = True,
                  count: bool = False) -> tuple[dict[str, np.ndarray], list[Apart]]:
    """Per-period sums of the dyad series from the rollups, as columns (no frame: the API builds one series per
    request): period (datetime64[D]), events, weight, q1..q4, conflict_events, goldstein_mean, goldstein_sum,
    tone_mean and coverage, for the periods with coverage (as the events' statement), of the rows dated finely enough
    for ``freq`` (units_sql.FINE_ENOUGH: no report dated only to a month in a weekly series; all with ``apart`` false).
    ``clusters`` reads the
    clusters' rollups (``cluster_dyad_days`` ..., geodrift.cluster_units), of the same shape, instead of the reports'.

    With ``count``, the events left out are counted apart from the same read (``dyads.dyad_undated``'s rows; else
    none): the API asks both per request, and their own statement cost about as much CPU as the series' (5 against
    6 ms at load 8 on 10 million events).

    Raises:
        StoreError: the store has no rollups to read (or cannot answer).
    """
    cond, placed = where.aggregate_where(), fine_enough(freq) if apart else "TRUE"
    coarse = too_coarse(freq) if apart and count else ()
    # Month-grain rollups serve month, quarter and year series unless the range cuts a month.
    whole_months = all(d is None or d.day == 1 for d in (where.start, where.end))
    grain = "months" if freq in ("month", "quarter", "year") and whole_months else "days"
    prefix = "cluster_" if clusters else ""
    both = sorted(set(side_a) | set(side_b))
    pairs = {(x, y) for x in side_a for y in side_b} | (set() if directed else {(y, x) for x in side_a for y in side_b})
    inside = {(x, y) for x in both for y in both if x != y}
    read = sorted(pairs | inside)
    try:
        rows = reader.con.execute(rollup_rows_sql(prefix, grain, cond, set(read), both, placed, coarse)).fetchnumpy()
    except duckdb.Error as exc:
        raise StoreError(f"dyad series: cannot read the rollups ({str(exc).strip().splitlines()[0]})") from None
    away: list[Apart] = []
    if coarse:
        code = np.asarray(rows.pop("apart"))
        if code.any():
            away = _counted_apart({name: values[code > 0] for name, values in rows.items()}, code[code > 0], coarse,
                                  read, pairs)
            rows = {name: values[code == 0] for name, values in rows.items()}
    is_dyad = np.asarray(rows["part"]) != COUNTRY
    dyads = {name: values[is_dyad] for name, values in rows.items()}
    countries = {name: values[~is_dyad] for name, values in rows.items() if name in ("event_date", "weight")}
    m = len(both)
    if len(read) <= MAX_PAIRS:  # each row's pair by its number
        part = np.asarray(dyads["part"], np.int64)

        def table(values: dict[tuple[str, str], Any], dtype: type) -> np.ndarray:
            cells: np.ndarray = np.zeros(len(read), dtype)
            for i, pair in enumerate(read):
                cells[i] = values.get(pair, 0)
            return np.asarray(cells[part])
    else:  # each row's ordered pair as one number (every country read is one of ``both``), looked up in a table
        part = np.zeros(len(dyads["part"]), np.int64)
        key = (np.searchsorted(np.array(both, dtype=object), dyads["actor1_country"]) * m
               + np.searchsorted(np.array(both, dtype=object), dyads["actor2_country"]))

        def table(values: dict[tuple[str, str], Any], dtype: type) -> np.ndarray:
            cells: np.ndarray = np.zeros(m * m, dtype)
            for (x, y), value in values.items():
                cells[both.index(x) * m + both.index(y)] = value
            return np.asarray(cells[key])

    in_pair, in_inside = table(dict.fromkeys(pairs, True), bool), table(dict.fromkeys(inside, True), bool)
    dyad_periods, country_periods = (periods_of(np.asarray(got["event_date"]), freq) for got in (dyads, countries))
    periods, index = np.unique(np.concatenate([country_periods, dyad_periods]), return_inverse=True)
    n, split = len(periods), len(country_periods)
    at_country, at_dyad = index[:split], index[split:]

    # Pair by pair (see dyad_rows_sql), each pair's rows are summed first and the pairs' sums added in the order
    # they were read: the additions of the one SQL statement this replaced, so its sums come out bit for bit.
    parts = int(part.max(initial=0)) + 1

    def total(values: Any, rows: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Per-period sums of ``values`` over ``rows`` (NULLs, masked, as 0), dyad rows pair by pair."""
        weights = np.ma.filled(values, 0).astype(float)[rows]
        if at is at_country:
            return np.bincount(at[rows], weights=weights, minlength=n)
        cells = np.bincount(part[rows] * n + at[rows], weights=weights, minlength=parts * n)
        return np.asarray(cells.reshape(parts, n).sum(axis=0))

    def nullable_total(values: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sums ignoring NULLs, and whether any value was not NULL (SQL's sum is NULL over NULLs only)."""
        known = rows & ~np.ma.getmaskarray(values)
        return total(values, known, at_dyad), np.bincount(at_dyad[known], minlength=n) > 0

    everything = np.ones(split, bool)
    coverage = total(countries["weight"], everything, at_country) - total(dyads["weight"], in_inside, at_dyad)
    weight, quad, events = dyads["weight"], dyads["quad_class"], dyads["events"]
    present = np.bincount(at_dyad[in_pair], minlength=n) > 0
    gw, gw_known = nullable_total(dyads["gw"], in_pair)
    tone, tone_known = nullable_total(dyads["tone_sum"], in_pair)
    tone_n = total(dyads["tone_n"], in_pair, at_dyad)
    pair_weight = total(weight, in_pair, at_dyad)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns = {
            "period": periods, "events": total(events, in_pair, at_dyad).round().astype(np.int64),
            "weight": pair_weight,
            **{f"q{q}": total(weight, in_pair & (np.ma.filled(quad, 0) == q), at_dyad) for q in (1, 2, 3, 4)},
            "conflict_events": total(events, in_pair & (np.ma.filled(quad, 0) == 4), at_dyad).round().astype(np.int64),
            "goldstein_mean": np.where(present & gw_known & (pair_weight != 0), gw / pair_weight, np.nan),
            "goldstein_sum": gw,  # Σ Goldstein × weight: goldstein_mean × weight
            "tone_mean": np.where(present & tone_known & (tone_n != 0), tone / tone_n, np.nan),
            "coverage": coverage}
    return {name: values[coverage > 0] for name, values in columns.items()}, away


def _counted_apart(rows: dict[str, Any], code: np.ndarray, coarse: Sequence[str], read: list[tuple[str, str]],
                   pairs: set[tuple[str, str]]) -> list[Apart]:
    """``Apart`` sums of the dyad rows dated to ``coarse[code - 1]``, of the ``pairs`` asked (not the sides' other
    pairs, read for the coverage); a row stored on another day than a month's 1st is in none, as in the statement
    this replaced (such precisions are stored on their period's first day)."""
    days = np.asarray(rows["event_date"]).astype("datetime64[D]")
    first = days == days.astype("datetime64[M]").astype("datetime64[D]")
    if "actor1_country" in rows:
        of = list(zip(np.ma.filled(rows["actor1_country"], ""), np.ma.filled(rows["actor2_country"], ""), strict=True))
    else:
        of = [read[i] for i in np.asarray(rows["part"], np.int64)]
    quads = np.ma.filled(rows["quad_class"], 0)
    return apart_sums([(day, coarse[k - 1], quad, events, weight) for day, k, quad, events, weight, pair, on_first
                       in zip(days, code, quads, np.asarray(rows["events"]), np.asarray(rows["weight"]), of, first,
                              strict=True) if on_first and pair in pairs])
