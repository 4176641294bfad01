"""Dyadic event series: how much two countries (or groups) cooperate and fight, period by period.

Each event is weighted by its number of distinct sources (GDELT re-emits and duplicates
reports, so raw mentions overstate), and each period is normalised by coverage: the weight of
all events involving either side in that period (news volume grows over time and differs by
country). Formulas: docs/methods.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodrift.analytics.engine import Engine, engine_for
from geodrift.codebooks import groups, to_iso3
from geodrift.errors import InputError
from geodrift.events import ROLES, Modality
from geodrift.store import Store

FREQS = ("day", "week", "month", "quarter", "year")
PANDAS_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


def resolve(spec: str | Sequence[str]) -> tuple[str, ...]:
    """ISO3 codes for 'AZE', 'Azerbaijan', a group name ('NATO') or a comma list of these.

    Raises:
        InputError: a part is neither a country nor a known group.
    """
    parts = [p.strip() for p in (spec.split(",") if isinstance(spec, str) else spec) if p.strip()]
    if not parts:
        raise InputError("no country given")
    codes: list[str] = []
    for part in parts:
        if part.upper() in groups():
            codes += groups()[part.upper()]
            continue
        iso3 = to_iso3(part.upper() if len(part) == 3 else part)
        if iso3 is None:
            known = ", ".join(sorted(groups()))
            raise InputError(
                f"unknown country or group {part!r}: use ISO3 codes (AZE, RUS, TUR) or a group ({known})")
        codes.append(iso3)
    return tuple(dict.fromkeys(codes))


EARLIEST, LATEST = dt.date(1800, 1, 1), dt.date(2200, 1, 1)


def check_day(day: dt.date | None, name: str) -> None:
    """Dates outside 1800-2200 are mistakes (and would overflow date arithmetic): say so."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise InputError(f"{name} {day} is outside {EARLIEST.year}-{LATEST.year}")


@dataclass(frozen=True)
class EventFilter:
    """Which events count. Null modality (event datasets) counts as actual."""

    start: dt.date | None = None
    end: dt.date | None = None
    roles: tuple[str, ...] = ()
    min_sources: int = 1
    root_only: bool = False
    modalities: tuple[str, ...] = (Modality.ACTUAL.value,)
    sources: tuple[str, ...] = ()
    """Only events from these sources (gdelt1, icews, curated, text, ...); empty for all."""

    def __post_init__(self) -> None:
        check_day(self.start, "--from")
        check_day(self.end, "--to")
        if self.start and self.end and self.end <= self.start:
            raise InputError(f"empty date range: --from {self.start} is not before --to {self.end}")
        bad = [r for r in self.roles if r not in ROLES]
        if bad:
            raise InputError(f"unknown actor role {bad[0]!r}; roles: {', '.join(ROLES)}")
        bad = [m for m in self.modalities if m not in {x.value for x in Modality}]
        if bad:
            raise InputError(f"unknown modality {bad[0]!r}; use {', '.join(x.value for x in Modality)}")
        if self.min_sources < 1:
            raise InputError("--min-sources must be at least 1")

    @property
    def aggregatable(self) -> bool:
        """Whether the dyad-day aggregates can answer (they keep dates and modality, not roles or sources)."""
        return not self.roles and self.min_sources == 1 and not self.root_only and not self.sources

    def aggregate_where(self) -> str:
        """SQL conditions over ``dyad_days`` / ``country_days``."""
        parts = [f"modality IN {sql_in(self.modalities)}"]
        if self.start:
            parts.append(f"event_date >= DATE '{self.start.isoformat()}'")
        if self.end:
            parts.append(f"event_date < DATE '{self.end.isoformat()}'")
        return " AND ".join(parts)

    def where(self) -> str:
        """SQL conditions over ``events``."""
        parts = ["TRUE"]
        if self.start:
            parts.append(f"event_date >= DATE '{self.start.isoformat()}'")
        if self.end:
            parts.append(f"event_date < DATE '{self.end.isoformat()}'")
        if self.roles:
            roles = sql_in(self.roles)
            parts.append(f"(actor1_role IN {roles} OR actor2_role IN {roles})")
        if self.min_sources > 1:
            parts.append(f"coalesce(num_sources, 1) >= {int(self.min_sources)}")
        if self.root_only:
            parts.append("coalesce(is_root_event, TRUE)")
        parts.append(f"coalesce(modality, 'actual') IN {sql_in(self.modalities)}")
        if self.sources:
            parts.append(f"source IN {sql_in(self.sources)}")
        return " AND ".join(parts)


def sql_in(values: Sequence[str]) -> str:
    """A SQL list literal ('A', 'B') of quoted strings, shared by every analytic's query."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def check_freq(freq: str) -> None:
    """A clear error for a period name the analytics do not know."""
    if freq not in FREQS:
        raise InputError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")


def dyad_series(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *,
                directed: bool = False, freq: str = "month", where: EventFilter | None = None) -> pd.DataFrame:
    """Per-period events between side ``a`` and side ``b``.

    Columns: period, events (count), weight (sum of distinct sources), q1..q4 (weight by quad
    class), conflict_events (count of material-conflict events), goldstein_mean (source-weighted),
    goldstein_sum, tone_mean, coverage (weight of all
    events involving either side) and share = weight / coverage. Periods without events are
    present with zeros, so series have no gaps. ``directed`` keeps only a → b events.
    """
    check_freq(freq)
    where = where or EventFilter()
    side_a, side_b = resolve(a), resolve(b)
    both = sql_in(side_a + side_b)
    pair = f"(actor1_country IN {sql_in(side_a)} AND actor2_country IN {sql_in(side_b)})"
    if not directed:
        pair += f" OR (actor1_country IN {sql_in(side_b)} AND actor2_country IN {sql_in(side_a)})"
    if isinstance(target, Store) and where.aggregatable:
        sql = _aggregate_sql(freq, where, both, pair)
    else:
        sql = _events_sql(freq, where, both, pair)
    frame = engine_for(target).df(sql)
    return _complete(frame, freq, where)


def complete_periods(frame: pd.DataFrame, freq: str, where: EventFilter) -> pd.DataFrame:
    """``frame`` (with a ``period`` column) reindexed to every period of the range, gaps as NaN.

    The range is the filter's [start, end) when given, else the observed periods' span.
    """
    periods = pd.DatetimeIndex(pd.to_datetime(frame["period"]), name="period")
    if frame.empty and not (where.start and where.end):
        return frame.assign(period=periods)
    first = pd.Timestamp(where.start) if where.start else periods.min()
    last = pd.Timestamp(where.end) - pd.Timedelta(days=1) if where.end else periods.max()
    anchor = {"day": first, "week": first - pd.Timedelta(days=first.weekday()),
              "month": first.replace(day=1), "quarter": first.to_period("Q").start_time,
              "year": first.replace(month=1, day=1)}[freq]
    full = pd.date_range(anchor, last, freq=PANDAS_FREQ[freq], name="period")
    indexed = frame.drop(columns="period").set_axis(periods, axis=0)
    return indexed.reindex(full).reset_index()


_SERIES_SELECT = """
    SELECT cov.period, coalesce(d.events, 0) AS events, coalesce(d.weight, 0) AS weight,
           coalesce(d.q1, 0) AS q1, coalesce(d.q2, 0) AS q2, coalesce(d.q3, 0) AS q3, coalesce(d.q4, 0) AS q4,
           coalesce(d.conflict_events, 0) AS conflict_events, d.goldstein_mean,
           coalesce(d.goldstein_sum, 0) AS goldstein_sum, d.tone_mean, cov.coverage
    FROM cov LEFT JOIN d ON d.period = cov.period
    ORDER BY cov.period
"""
"""The final SELECT of a dyad series, over CTEs ``cov`` (coverage per period) and ``d`` (dyad sums)."""


def _events_sql(freq: str, where: EventFilter, both: str, pair: str) -> str:
    """Dyad series over raw events: any filter, any engine."""
    return f"""
    WITH ev AS (SELECT *, coalesce(num_sources, 1) AS w,
                       CAST(date_trunc('{freq}', event_date) AS DATE) AS period
                FROM events WHERE {where.where()}),
    cov AS (SELECT period, sum(w) AS coverage FROM ev
            WHERE actor1_country IN {both} OR actor2_country IN {both} GROUP BY period),
    d AS (SELECT period, count(*) AS events, sum(w) AS weight,
                 sum(CASE WHEN quad_class = 1 THEN w ELSE 0 END) AS q1,
                 sum(CASE WHEN quad_class = 2 THEN w ELSE 0 END) AS q2,
                 sum(CASE WHEN quad_class = 3 THEN w ELSE 0 END) AS q3,
                 sum(CASE WHEN quad_class = 4 THEN w ELSE 0 END) AS q4,
                 sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS conflict_events,
                 sum(goldstein * w) / sum(w) AS goldstein_mean,
                 sum(goldstein) AS goldstein_sum,
                 avg(avg_tone) AS tone_mean
          FROM ev WHERE {pair} GROUP BY period)
    {_SERIES_SELECT}"""


def _aggregate_sql(freq: str, where: EventFilter, both: str, pair: str) -> str:
    """Dyad series over the dyad-day and country-day aggregates (same result as ``_events_sql``).

    coverage(A ∪ B) = Σ_{c ∈ A ∪ B} country_days(c) − events with both actors in A ∪ B (and different),
    which country_days counts once per actor. The plain IN filters on both actor columns let zone
    maps of the dyad-sorted aggregates skip all other dyads before the exact pair test.
    """
    cond = where.aggregate_where()
    # Month-grain aggregates serve month, quarter and year series unless the range cuts a month.
    whole_months = all(d is None or d.day == 1 for d in (where.start, where.end))
    grain = "months" if freq in ("month", "quarter", "year") and whole_months else "days"
    return f"""
    WITH cov AS (SELECT period, sum(weight) AS coverage FROM (
                   SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period, weight FROM country_{grain}
                   WHERE {cond} AND country IN {both}
                   UNION ALL
                   SELECT CAST(date_trunc('{freq}', event_date) AS DATE), -weight FROM dyad_{grain}
                   WHERE {cond} AND actor1_country IN {both} AND actor2_country IN {both}
                     AND actor1_country <> actor2_country)
                 GROUP BY period HAVING sum(weight) > 0),
    d AS (SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period, sum(events) AS events,
                 sum(weight) AS weight,
                 sum(CASE WHEN quad_class = 1 THEN weight ELSE 0 END) AS q1,
                 sum(CASE WHEN quad_class = 2 THEN weight ELSE 0 END) AS q2,
                 sum(CASE WHEN quad_class = 3 THEN weight ELSE 0 END) AS q3,
                 sum(CASE WHEN quad_class = 4 THEN weight ELSE 0 END) AS q4,
                 sum(CASE WHEN quad_class = 4 THEN events ELSE 0 END) AS conflict_events,
                 sum(gw) / sum(weight) AS goldstein_mean,
                 sum(gsum) AS goldstein_sum,
                 sum(tone_sum) / nullif(sum(tone_n), 0) AS tone_mean
          FROM dyad_{grain}
          WHERE {cond} AND actor1_country IN {both} AND actor2_country IN {both} AND ({pair})
          GROUP BY 1)
    {_SERIES_SELECT}"""


def _complete(frame: pd.DataFrame, freq: str, where: EventFilter) -> pd.DataFrame:
    """Every period in range present with zero counts; share added."""
    columns = ["period", "events", "weight", "q1", "q2", "q3", "q4", "conflict_events", "goldstein_mean",
               "goldstein_sum", "tone_mean", "coverage"]
    frame = complete_periods(frame.reindex(columns=columns), freq, where)
    data: dict[str, object] = {"period": frame["period"]}
    for column in columns[1:]:
        values = frame[column].to_numpy(dtype=float, na_value=np.nan)
        if column in ("goldstein_mean", "tone_mean"):
            data[column] = values
        elif column in ("events", "conflict_events"):
            data[column] = np.nan_to_num(values).astype(int)
        else:
            data[column] = np.nan_to_num(values)
    weight, coverage = data["weight"], data["coverage"]
    assert isinstance(weight, np.ndarray) and isinstance(coverage, np.ndarray)
    data["share"] = np.divide(weight, coverage, out=np.full(len(weight), np.nan), where=coverage > 0)
    return pd.DataFrame(data)


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
    FROM events WHERE {where.where()} AND ({pair}) ORDER BY event_date, event_id
    """
    frame = engine_for(target).df(sql)
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def dyad_quad_counts(target: Store | Engine, countries: list[str], freq: str = "month") -> pd.DataFrame:
    """Events between every pair of ``countries`` (either direction), per period and quad class."""
    check_freq(freq)
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
    FROM events e
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
    FROM events
    WHERE {where.where()} AND ((actor1_country IN {sql_in(side_a)} AND actor2_country IN {sql_in(side_b)})
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
    frame = engine_for(target).df(f"""
        SELECT least(actor1_country, actor2_country) AS a, greatest(actor1_country, actor2_country) AS b,
               sum(goldstein * coalesce(num_sources, 1)) / sum(coalesce(num_sources, 1)) AS g
        FROM events WHERE {where.where()} AND actor1_country IN {sql_in(codes)} AND actor2_country IN {sql_in(codes)}
          AND actor1_country <> actor2_country
        GROUP BY ALL""")
    grid = np.full((len(codes), len(codes)), np.nan)
    position = {code: i for i, code in enumerate(codes)}
    for a, b, g in zip(frame["a"], frame["b"], frame["g"], strict=True):
        grid[position[a], position[b]] = grid[position[b], position[a]] = g
    return pd.DataFrame(grid, index=codes, columns=codes)
