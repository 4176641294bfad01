"""Dyadic event series: how much two countries (or groups) cooperate and fight, period by period.

An event is a cluster of reports by default (``EventFilter.unit``; 'reports' counts stored rows). Each event is
weighted by its number of distinct sources (GDELT re-emits and duplicates reports, so raw mentions overstate), and
each period is normalised by coverage: the weight of all events involving either side in that period (news volume
grows over time and differs by country). Formulas: docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from geodrift.analytics.dyad_rollup import Apart, apart_sums, rollup_series
from geodrift.analytics.engine import Engine, engine_for
from geodrift.cluster_units import clusters_state, series_rollups
from geodrift.errors import InputError
from geodrift.query import ALL_MODALITIES, EventFilter, between, check_freq, either_side, period_range, resolve, sql_in
from geodrift.store import Store
from geodrift.units_sql import DATED, placed, too_coarse


def unit_rows(target: Store | Engine, where: EventFilter, sides: str = "TRUE", touching: str = "") -> str:
    """The relation a measure counts for ``where`` on ``target``: its reports, or its clusters (query.EventFilter.rows),
    of the reports meeting ``sides`` (or of the clusters ``touching``) only, so a measure of a few countries collapses
    only their clusters.

    A store none of whose reports is clustered yet (or an engine without the clusters table) has one cluster per
    report, so its reports are read as they are."""
    return where.rows(clustered=clustered(target), sides=sides, touching=touching)


def clustered(target: Store | Engine) -> bool:
    """Whether ``target`` holds clusters (else every report is its own)."""
    return clusters_state(target) != "none" if isinstance(target, Store) else engine_for(target).has_table("clusters")


def dyad_series(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *,
                directed: bool = False, freq: str = "month", where: EventFilter | None = None,
                apart: bool = True) -> pd.DataFrame:
    """Per-period events between side ``a`` and side ``b``.

    Columns: period, events (count), weight (sum of distinct sources), q1..q4 (weight by quad
    class), conflict_events (count of material-conflict events), goldstein_mean (source-weighted),
    goldstein_sum (the same weighted sum: goldstein_mean x weight), tone_mean, coverage (weight of all
    events involving either side) and share = weight / coverage. Periods without events are
    present with zeros, so series have no gaps. ``directed`` keeps only a → b events.

    An event dated only to a month belongs to no day or week of it: a daily or weekly series leaves it out of its
    periods (and of the coverage), and ``dyad_undated`` counts it apart; so does any series an event dated only to a
    year (units_sql.FINE_ENOUGH; docs/methods.md, "Dates known to a month"). ``apart=False`` places such events on
    their month's (year's) first day instead, as flare-ups still count them (analytics/flareups.py).
    """
    return pd.DataFrame(dyad_columns(target, a, b, directed=directed, freq=freq, where=where, apart=apart))


def dyad_columns(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *,
                 directed: bool = False, freq: str = "month", where: EventFilter | None = None,
                 apart: bool = True) -> dict[str, np.ndarray]:
    """``dyad_series`` as its columns (period as datetime64[us]), without building the frame: what the uncached API
    writes to JSON, where the frame and reading it back cost more than the rollups' reads."""
    check_freq(freq)
    return _answer(target, resolve(a), resolve(b), directed, freq, where or EventFilter(), apart, False)[0]


def dyad_answer(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *, directed: bool = False,
                freq: str = "month", where: EventFilter | None = None) -> tuple[dict[str, np.ndarray], list[Apart]]:
    """``dyad_columns`` and the rows of ``dyad_undated`` (as ``Apart`` tuples) together, what the API serves: from the
    rollups one read gives both, where the second statement, its frame and its store-state look-up cost an uncached
    request about as much CPU as the series (docs/scaling.md, "Serving a dyad series uncached")."""
    check_freq(freq)
    return _answer(target, resolve(a), resolve(b), directed, freq, where or EventFilter(), True, True)


def _answer(target: Store | Engine, side_a: tuple[str, ...], side_b: tuple[str, ...], directed: bool, freq: str,
            where: EventFilter, apart: bool, count: bool) -> tuple[dict[str, np.ndarray], list[Apart]]:
    """The series' columns and, with ``count``, the events it counts apart: from the rollups in one read, else by the
    engine (two statements)."""
    prefix = _rollups(target, where)
    if prefix is not None and isinstance(target, Store):
        columns, away = rollup_series(target, freq, where, side_a, side_b, directed, prefix == "cluster_", apart, count)
        return _complete(columns, freq, where), away
    both = sql_in(side_a + side_b)
    # Only the pair's clusters are collapsed; the coverage needs no representative report of the others.
    rows = unit_rows(target, where, between(side_a, side_b))
    coverage = where.weights(clustered(target), f"({either_side(side_a + side_b)})")
    series = engine_for(target).df(series_sql(freq, rows, both, _pair(side_a, side_b, directed), coverage, apart))
    return _complete(series, freq, where), _read_apart(target, side_a, side_b, directed, freq, where) if count else []


def _pair(side_a: Sequence[str], side_b: Sequence[str], directed: bool) -> str:
    """SQL: a report (or cluster) between the sides, from ``side_a`` to ``side_b`` only when ``directed``."""
    pair = f"(actor1_country IN {sql_in(side_a)} AND actor2_country IN {sql_in(side_b)})"
    if not directed:
        pair += f" OR (actor1_country IN {sql_in(side_b)} AND actor2_country IN {sql_in(side_a)})"
    return pair


def _rollups(target: Store | Engine, where: EventFilter) -> str | None:
    """The prefix of the rollups that answer ``where`` on ``target`` ('' the reports', 'cluster_' the clusters'), or
    None. They answer filters of dates and modality (one modality for clusters); the reports' also answer for
    clusters while nothing is clustered (each report its own cluster), the clusters' once everything is."""
    if not isinstance(target, Store):
        return None
    rollups = "reports" if where.unit == "reports" else series_rollups(target)
    if rollups == "reports" and replace(where, unit="reports").aggregatable:
        return ""
    return "cluster_" if rollups == "clusters" and where.aggregatable else None


_SERIES_SELECT = """
    SELECT cov.period, coalesce(d.events, 0) AS events, coalesce(d.weight, 0) AS weight,
           coalesce(d.q1, 0) AS q1, coalesce(d.q2, 0) AS q2, coalesce(d.q3, 0) AS q3, coalesce(d.q4, 0) AS q4,
           coalesce(d.conflict_events, 0) AS conflict_events, d.goldstein_mean,
           coalesce(d.goldstein_sum, 0) AS goldstein_sum, d.tone_mean, cov.coverage
    FROM cov LEFT JOIN d ON d.period = cov.period
    ORDER BY cov.period
"""
"""The final SELECT of a dyad series, over CTEs ``cov`` (coverage per period) and ``d`` (dyad sums)."""


def rollup_rows(where: EventFilter) -> str:
    """The clusters of ``where`` (dates and one modality) from the per-cluster rollup (geodrift.cluster_units)."""
    return f"(SELECT * FROM cluster_units WHERE {where.aggregate_where()})"


def series_sql(freq: str, rows: str, both: str, pair: str, coverage: str | None = None, apart: bool = True) -> str:
    """Dyad series over a relation of reports or clusters (``rows``), sides ``both`` and condition ``pair``: any
    filter, any engine; what the rollups' sums reproduce. The coverage sums ``rows`` too, or ``coverage`` when
    given (the weights of the clusters ``rows`` would give: EventFilter.weights). Rows dated too coarsely for
    ``freq`` are left out of both (``dyad_undated`` counts them), unless not ``apart``."""
    kept = placed(freq) if apart else "TRUE"
    weights = "ev" if coverage is None else f"""(SELECT coalesce(num_sources, 1) AS w, actor1_country, actor2_country,
                                                        CAST(date_trunc('{freq}', event_date) AS DATE) AS period
                                                 FROM {coverage} AS c WHERE {kept})"""
    return f"""
    WITH ev AS (SELECT *, coalesce(num_sources, 1) AS w,
                       CAST(date_trunc('{freq}', event_date) AS DATE) AS period
                FROM {rows} AS u WHERE {kept}),
    cov AS (SELECT period, sum(w) AS coverage FROM {weights} AS cw
            WHERE actor1_country IN {both} OR actor2_country IN {both} GROUP BY period),
    d AS (SELECT period, count(*) AS events, sum(w) AS weight,
                 sum(CASE WHEN quad_class = 1 THEN w ELSE 0 END) AS q1,
                 sum(CASE WHEN quad_class = 2 THEN w ELSE 0 END) AS q2,
                 sum(CASE WHEN quad_class = 3 THEN w ELSE 0 END) AS q3,
                 sum(CASE WHEN quad_class = 4 THEN w ELSE 0 END) AS q4,
                 sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS conflict_events,
                 sum(goldstein * w) / sum(w) AS goldstein_mean,
                 sum(goldstein * w) AS goldstein_sum,
                 avg(avg_tone) AS tone_mean
          FROM ev WHERE {pair} GROUP BY period)
    {_SERIES_SELECT}"""


def _complete(frame: pd.DataFrame | dict[str, np.ndarray], freq: str, where: EventFilter) -> dict[str, np.ndarray]:
    """The series' columns, every period in range present with zero counts; share added (query.complete_periods'
    range, in numpy: pandas' monthly date_range and reindex cost the uncached API more than reading the rollups).
    ``frame`` is a query's frame or the rollups' columns (``dyad_rollup.rollup_series``)."""
    columns = ["events", "weight", "q1", "q2", "q3", "q4", "conflict_events", "goldstein_mean", "goldstein_sum",
               "tone_mean", "coverage"]
    known = np.asarray(pd.to_datetime(frame["period"]) if isinstance(frame, pd.DataFrame)
                       else frame["period"]).astype("datetime64[D]")
    first = np.datetime64(where.start, "D") if where.start else (known.min() if len(known) else None)
    last = np.datetime64(where.end, "D") - 1 if where.end else (known.max() if len(known) else None)
    full = known if first is None or last is None else period_range(first, last, freq)
    at = np.searchsorted(full, known)
    found = at < len(full)
    found[found] = full[at[found]] == known[found]
    data: dict[str, np.ndarray] = {"period": full.astype("datetime64[us]")}
    for column in columns:
        values = np.full(len(full), np.nan)
        if column in frame:
            given = frame[column]
            values[at[found]] = (given.to_numpy(dtype=float, na_value=np.nan) if isinstance(given, pd.Series)
                                 else given.astype(float))[found]
        if column in ("goldstein_mean", "tone_mean"):
            data[column] = values
        elif column in ("events", "conflict_events"):
            data[column] = np.nan_to_num(values).astype(int)
        else:
            data[column] = np.nan_to_num(values)
    weight, coverage = data["weight"], data["coverage"]
    data["share"] = np.divide(weight, coverage, out=np.full(len(weight), np.nan), where=coverage > 0)
    return data


def dyad_undated(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *,
                 directed: bool = False, freq: str = "month", where: EventFilter | None = None) -> pd.DataFrame:
    """The events between the sides that a series of ``freq`` leaves out of its periods, being dated only to a
    coarser one (a month, for a daily or weekly series; a year, for any but a yearly one): per period they are dated
    to (``period``, its first day; ``dated``, month or year), events, weight and conflict_events, as the series
    counts them. Empty when every event is dated finely enough. (``dyad_answer`` gives them with the series.)"""
    check_freq(freq)
    where = where or EventFilter()
    side_a, side_b = resolve(a), resolve(b)
    prefix = _rollups(target, where) if too_coarse(freq) else None
    if prefix is not None and isinstance(target, Store):
        away = rollup_series(target, freq, where, side_a, side_b, directed, prefix == "cluster_", True, True)[1]
    else:
        away = _read_apart(target, side_a, side_b, directed, freq, where)
    return pd.DataFrame([{**row._asdict(), "period": pd.Timestamp(row.period)} for row in away],
                        columns=list(Apart._fields)).astype(
        {"period": "datetime64[ns]", "events": int, "weight": float, "conflict_events": int})


def _read_apart(target: Store | Engine, side_a: tuple[str, ...], side_b: tuple[str, ...], directed: bool, freq: str,
                where: EventFilter) -> list[Apart]:
    """``dyad_undated``'s rows summed from the reports (or clusters) as read: any filter, any engine."""
    coarse = too_coarse(freq)
    if not coarse:
        return []
    return apart_sums(engine_for(target).df(f"""
        SELECT event_date, {DATED} AS dated, quad_class, 1 AS events, coalesce(num_sources, 1) AS weight
        FROM {unit_rows(target, where, between(side_a, side_b))} AS u
        WHERE ({_pair(side_a, side_b, directed)}) AND {DATED} IN {sql_in(list(coarse))}""").itertuples(
        index=False, name=None))


def undated_note(undated: pd.DataFrame | Sequence[Apart], freq: str, unit: str = "events") -> str:
    """What a series of ``freq`` says of the events ``dyad_undated`` counted apart (its frame, or ``dyad_answer``'s
    rows; empty when none): "2 events dated only to a month are in no week of this series, counted apart: July 2020:
    2", the same words on every edge."""
    rows = list(undated.itertuples(index=False, name=None)) if isinstance(undated, pd.DataFrame) else undated
    if not rows:
        return ""
    kinds = " or ".join(f"a {k}" for k in ("month", "year") if any(row[1] == k for row in rows))
    parts = ", ".join(f"{pd.Timestamp(p):%B %Y}: {int(n)}" if d == "month" else f"{pd.Timestamp(p):%Y}: {int(n)}"
                      for p, d, n, *_ in rows)
    total = sum(int(row[2]) for row in rows)
    return (f"{total} {unit if total != 1 else unit.removesuffix('s')} dated only to {kinds} "
            f"{'are' if total != 1 else 'is'} in no {freq} of this series, counted apart: {parts}")


def dyad_events(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *,
                directed: bool = False, freq: str = "month", where: EventFilter | None = None) -> pd.DataFrame:
    """The events behind a dyad series, with their evidence (ids, URLs, outlets, sentences)."""
    check_freq(freq)
    where = where or EventFilter()
    side_a, side_b = resolve(a), resolve(b)
    pair = f"(actor1_country IN {sql_in(side_a)} AND actor2_country IN {sql_in(side_b)})"
    if not directed:
        pair += f" OR (actor1_country IN {sql_in(side_b)} AND actor2_country IN {sql_in(side_a)})"
    sql = f"""
    SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period, event_id, event_date, actor1_country,
           actor2_country, event_code, quad_class, goldstein, coalesce(num_sources, 1) AS w, source_url, outlet,
           evidence_sentence
    FROM {unit_rows(target, where, between(side_a, side_b))} AS u WHERE ({pair}) ORDER BY event_date, event_id
    """
    frame = engine_for(target).df(sql)
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def dyad_quad_counts(target: Store | Engine, countries: list[str], freq: str = "month",
                     where: EventFilter | None = None) -> pd.DataFrame:
    """Events between every pair of ``countries`` (either direction), per period and quad class (by default of
    every modality: what was announced or threatened is part of a relation's record)."""
    check_freq(freq)
    where = where or EventFilter(modalities=ALL_MODALITIES)
    codes = sorted(set(resolve(countries)))
    if len(codes) < 2:
        raise InputError("a dyad needs at least two countries")
    values = ", ".join(f"('{x}', '{y}')" for i, x in enumerate(codes) for y in codes[i + 1:])
    sql = f"""
    WITH pairs(a, b) AS (VALUES {values})
    SELECT p.a || '-' || p.b AS dyad,
           CAST(date_trunc('{freq}', e.event_date) AS DATE) AS period,
           sum(CASE WHEN e.quad_class = 1 THEN 1 ELSE 0 END) AS q1,
           sum(CASE WHEN e.quad_class = 2 THEN 1 ELSE 0 END) AS q2,
           sum(CASE WHEN e.quad_class = 3 THEN 1 ELSE 0 END) AS q3,
           sum(CASE WHEN e.quad_class = 4 THEN 1 ELSE 0 END) AS q4,
           count(*) AS events,
           sum(coalesce(e.num_sources, 1)) AS sources
    FROM {unit_rows(target, where, f"actor1_country IN {sql_in(codes)} AND actor2_country IN {sql_in(codes)}")} AS e
    JOIN pairs p ON least(e.actor1_country, e.actor2_country) = p.a
                AND greatest(e.actor1_country, e.actor2_country) = p.b
    GROUP BY ALL
    ORDER BY dyad, period
    """
    return engine_for(target).df(sql)


def dyad_categories(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *, by: str = "plover",
                    freq: str = "month", where: EventFilter | None = None) -> pd.DataFrame:
    """Source-weighted events between the sides per period and category (PLOVER or CAMEO root)."""
    check_freq(freq)
    if by not in ("plover", "root"):
        raise InputError("--by must be plover or root")
    where = where or EventFilter()
    side_a, side_b = resolve(a), resolve(b)
    column = "coalesce(plover, 'NONE')" if by == "plover" else "event_root_code"
    sql = f"""
    SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period, {column} AS category,
           count(*) AS events, sum(coalesce(num_sources, 1)) AS weight
    FROM {unit_rows(target, where, between(side_a, side_b))} AS u
    WHERE ((actor1_country IN {sql_in(side_a)} AND actor2_country IN {sql_in(side_b)})
       OR (actor1_country IN {sql_in(side_b)} AND actor2_country IN {sql_in(side_a)}))
    GROUP BY ALL ORDER BY period, category
    """
    return engine_for(target).df(sql)


def dyad_matrix(target: Store | Engine, countries: str | Sequence[str], *, where: EventFilter | None = None) -> pd.DataFrame:
    """Symmetric country x country matrix of source-weighted mean Goldstein (NaN: no events)."""
    where = where or EventFilter()
    codes = sorted(set(resolve(countries)))
    if len(codes) < 2:
        raise InputError("a dyad matrix needs at least two countries")
    pairs = (f"actor1_country IN {sql_in(codes)} AND actor2_country IN {sql_in(codes)} "
             "AND actor1_country <> actor2_country")
    prefix = _rollups(target, where)
    if prefix is not None:  # the sums of the dyad rollup (month grain unless the range cuts a month)
        grain = "months" if all(d is None or d.day == 1 for d in (where.start, where.end)) else "days"
        sql = f"""SELECT least(actor1_country, actor2_country) AS a, greatest(actor1_country, actor2_country) AS b,
                         sum(gw) / sum(weight) AS g
                  FROM {prefix}dyad_{grain} WHERE {where.aggregate_where()} AND {pairs} GROUP BY ALL"""
    else:
        sql = f"""SELECT least(actor1_country, actor2_country) AS a, greatest(actor1_country, actor2_country) AS b,
                         sum(goldstein * coalesce(num_sources, 1)) / sum(coalesce(num_sources, 1)) AS g
                  FROM {unit_rows(target, where, f"({pairs})")} AS u WHERE {pairs} GROUP BY ALL"""
    frame = engine_for(target).df(sql)
    grid = np.full((len(codes), len(codes)), np.nan)
    position = {code: i for i, code in enumerate(codes)}
    for a, b, g in zip(frame["a"], frame["b"], frame["g"], strict=True):
        grid[position[a], position[b]] = grid[position[b], position[a]] = g
    return pd.DataFrame(grid, index=codes, columns=codes)
