"""Alignment of a swing state S between two poles A and B, from events, with bootstrap intervals.

Per period, S's relations with each pole are summarised by a shrunken, source-weighted mean
Goldstein value of the events between them (either direction):

    g(S, X) = sum(w_i * goldstein_i) / (sum(w_i) + k)          (k pseudo-weight of neutral events)

and the alignment is  (g(S, B) - g(S, A)) / 20,  in [-1, 1]: positive means S treats B better
than A. The shrinkage keeps sparse periods near 0 instead of swinging on one report; the
interval comes from resampling the events of each dyad in each period (docs/methods.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodrift.analytics.dyads import unit_rows
from geodrift.analytics.engine import Engine, engine_for
from geodrift.errors import InputError
from geodrift.query import EventFilter, between, check_distinct, check_freq, complete_periods, either_side, resolve, sql_in
from geodrift.store import Store
from geodrift.units_sql import OUTLET_KEY

SHRINK = 2.0
"""Pseudo-weight k of neutral (Goldstein 0) events added to each dyad-period."""


def alignment_events(target: Store | Engine, swing: str, pole_a: str, pole_b: str, *, freq: str = "month",
                     where: EventFilter | None = None) -> pd.DataFrame:
    """The events behind an alignment series: period, pole ('A'/'B'), event id, Goldstein, weight, evidence, and the
    outlet as a cluster's weight counts it (``outlet_key``: units_sql.OUTLET_KEY)."""
    check_freq(freq)
    where = where or EventFilter()
    s, a, b = resolve(swing), resolve(pole_a), resolve(pole_b)
    check_distinct(s, a, b)
    sides = between(s, a + b)
    sql = f"""
    SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period,
           CASE WHEN actor1_country IN {sql_in(a)} OR actor2_country IN {sql_in(a)} THEN 'A' ELSE 'B' END AS pole,
           event_id, event_date, actor1_country, actor2_country, event_code, goldstein,
           coalesce(num_sources, 1) AS w, source_url, outlet, {OUTLET_KEY} AS outlet_key, evidence_sentence, source
    FROM {unit_rows(target, where, sides)} AS u WHERE {sides}
    ORDER BY period, event_id
    """
    frame = engine_for(target).df(sql)
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def _score(gold: np.ndarray, weight: np.ndarray) -> float:
    return float((gold * weight).sum() / (weight.sum() + SHRINK))


def alignment_summary(events: pd.DataFrame, *, n_boot: int = 500, rng: np.random.Generator | None = None,
                      level: float = 0.9) -> dict[str, float]:
    """One alignment value with its bootstrap interval from a set of alignment events (any span of time); the
    interval is NaN ("n too small") when each pole has at most one distinct event value to resample."""
    rng = rng or np.random.default_rng(0)
    parts = {p: events[events.pole == p] for p in ("A", "B")}
    arrays = {p: (part.goldstein.to_numpy(float), part.w.to_numpy(float)) for p, part in parts.items()}
    g = {p: _score(*arrays[p]) for p in arrays}
    boots = np.empty(n_boot)
    for i in range(n_boot):
        draw = {}
        for p, (gold, weight) in arrays.items():
            idx = rng.integers(0, len(gold), len(gold)) if len(gold) else np.array([], int)
            draw[p] = _score(gold[idx], weight[idx])
        boots[i] = (draw["B"] - draw["A"]) / 20
    tail = (1 - level) / 2
    floor, ceiling = _no_lean_toward_silence(len(parts["A"]), len(parts["B"]))
    boots = np.clip(boots, floor, ceiling)
    lo, hi = float(np.quantile(boots, tail)), float(np.quantile(boots, 1 - tail))
    # With at most one distinct (Goldstein, weight) value per pole every resample is the sample itself: the
    # bootstrap has nothing to vary and its interval would have zero width. Say "unknown" (NaN), not "certain";
    # so too when the cap below pins every resample at 0.
    degenerate = all(len(set(zip(*arrays[p], strict=True))) <= 1 for p in arrays) or lo == hi
    return {"n_a": len(parts["A"]), "n_b": len(parts["B"]), "g_a": g["A"], "g_b": g["B"],
            "alignment": float(np.clip((g["B"] - g["A"]) / 20, floor, ceiling)),
            "lo": np.nan if degenerate else lo, "hi": np.nan if degenerate else hi}


def _no_lean_toward_silence(n_a: int, n_b: int) -> tuple[float, float]:
    """Bounds on an alignment from ``n_a`` and ``n_b`` events: a pole with no events gives no evidence toward itself.

    S fighting A while nothing passes between S and B says S is at odds with A, not that it moved toward B (Azerbaijan
    shooting down a Russian helicopter in a month without a Turkey event is not a lean toward Turkey): the alignment
    may not cross 0 toward a pole without events, and is 0 when the events with the other pole point away from it.
    """
    return (-1.0 if n_a else 0.0), (1.0 if n_b else 0.0)


def alignment_series(target: Store | Engine, swing: str, pole_a: str, pole_b: str, *, freq: str = "month",
                     where: EventFilter | None = None, n_boot: int = 500, seed: int = 0,
                     level: float = 0.9) -> pd.DataFrame:
    """Per-period alignment of ``swing`` between ``pole_a`` (negative) and ``pole_b`` (positive).

    Columns: period, n_a, n_b (events), g_a, g_b (shrunken weighted Goldstein means; NaN for a pole without events
    that period), alignment (never toward a pole without events that period: ``alignment_summary``), lo, hi
    (bootstrap interval at ``level``).
    """
    where = where or EventFilter()
    events = alignment_events(target, swing, pole_a, pole_b, freq=freq, where=where)
    rng = np.random.default_rng(seed)
    rows = [{"period": period, **alignment_summary(group, n_boot=n_boot, rng=rng, level=level)}
            for period, group in events.groupby("period")]
    frame = pd.DataFrame(rows, columns=["period", "n_a", "n_b", "g_a", "g_b", "alignment", "lo", "hi"])
    frame = complete_periods(frame, freq, where)
    empty = frame["n_a"].isna()
    frame.loc[empty, ["n_a", "n_b"]] = 0  # no events: alignment unknown (NaN), not neutral
    frame[["n_a", "n_b"]] = frame[["n_a", "n_b"]].astype(int)
    # a pole without events has no mean Goldstein to show (the alignment counts it as neutral, 0): blank, not 0.000
    for pole in ("a", "b"):
        frame.loc[frame[f"n_{pole}"] == 0, f"g_{pole}"] = np.nan
    return frame


def shift_direction(series: pd.DataFrame, when: pd.Timestamp, shift: float, name_a: str, name_b: str) -> str:
    """How a change point in an ``alignment_series`` reads: "toward B" when the change in S's events with B moves the
    alignment more than the change in its events with A, else "away from A", with the count of B's events after it.

    The alignment is (g_B - g_A) / 20: a rise can be warmer B events or cooler A events. Armenia's 2020-24 series rose
    toward 0 in December 2020 as its Russia events cooled, with one United States event in the years after; "toward
    the United States" would credit a contact that barely happened. Each term's change is its mean over the periods
    with data from ``when`` on less its mean before (a pole without events that period counts 0)."""
    known = series[series.alignment.notna()]
    after = known.period >= when
    terms = {"b": known.g_b.fillna(0.0) / 20, "a": -known.g_a.fillna(0.0) / 20}
    moved = {k: float(v[after].mean() - v[~after].mean()) for k, v in terms.items()}
    toward, column, other, own = (name_b, "n_b", name_a, "b") if shift > 0 else (name_a, "n_a", name_b, "a")
    if abs(moved[own]) >= abs(moved["a" if own == "b" else "b"]):
        return f"toward {toward}"
    n = int(series.loc[series.period >= when, column].sum())
    return f"away from {other}, {n or 'no'} event{'s' if n != 1 else ''} with {toward} from then on"


AFFINITY_MIN_PARTNERS = 3
"""Third countries in common needed for a correlation of portfolios (fewer: the affinity is unknown, not 0)."""


def profile_affinity(target: Store | Engine, swing: str, pole_a: str, pole_b: str, *, freq: str = "year",
                     where: EventFilter | None = None, min_events: int = 2) -> pd.DataFrame:
    """How much S's relations with third countries resemble each pole's, per period.

    For X in {S, A, B} and each third country c, r(X, c) is the source-weighted mean Goldstein of
    events between X and c (either direction). affinity(S, X) is the Pearson correlation of r(S, ·)
    and r(X, ·) over the third countries both have at least ``min_events`` events with: an event-data
    analogue of foreign-policy-portfolio similarity. Columns: period, n_a, affinity_a, n_b, affinity_b,
    gap = affinity_b - affinity_a (positive: S's portfolio looks more like B's).
    """
    check_freq(freq)
    where = where or EventFilter()
    s, a, b = resolve(swing), resolve(pole_a), resolve(pole_b)
    focal = s + a + b
    relation = unit_rows(target, where, either_side(focal))
    sql = f"""
    WITH e AS (SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period, actor1_country AS x,
                      actor2_country AS c, goldstein, coalesce(num_sources, 1) AS w
               FROM {relation} AS u WHERE actor1_country IN {sql_in(focal)}
               UNION ALL
               SELECT CAST(date_trunc('{freq}', event_date) AS DATE), actor2_country, actor1_country, goldstein,
                      coalesce(num_sources, 1)
               FROM {relation} AS u WHERE actor2_country IN {sql_in(focal)})
    SELECT period, x, c, count(*) AS n, sum(goldstein * w) / sum(w) AS r
    FROM e WHERE c IS NOT NULL AND c NOT IN {sql_in(focal)}
    GROUP BY ALL
    """
    rel = engine_for(target).df(sql)
    rel = rel[rel.n >= min_events]
    rel["x"] = rel.x.map(lambda v: "S" if v in s else "A" if v in a else "B")
    rows = []
    for period in sorted(rel.period.unique()):
        table = rel[rel.period == period].pivot_table(index="c", columns="x", values="r", aggfunc="mean")
        row: dict[str, object] = {"period": pd.to_datetime(period)}
        for pole in ("A", "B"):
            pair = table[["S", pole]].dropna() if {"S", pole} <= set(table.columns) else pd.DataFrame()
            row[f"n_{pole.lower()}"] = len(pair)
            ok = len(pair) >= AFFINITY_MIN_PARTNERS and pair["S"].std() > 0 and pair[pole].std() > 0
            row[f"affinity_{pole.lower()}"] = float(pair["S"].corr(pair[pole])) if ok else np.nan
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["period", "n_a", "affinity_a", "n_b", "affinity_b"])
    frame["gap"] = frame["affinity_b"] - frame["affinity_a"]
    return frame


ALIGNMENT_SOURCES = ("events", "affinity", "unvotes")
"""What an alignment can be measured from: event tone, third-country portfolios, or UN General Assembly votes."""


def alignment_by_source(target: Store | Engine, swing: str, pole_a: str, pole_b: str, *, source: str = "events",
                        freq: str = "month", where: EventFilter | None = None,
                        n_boot: int = 500) -> tuple[pd.DataFrame, bool]:
    """An alignment series (columns period and alignment, -1 = ``pole_a``, +1 = ``pole_b``) from one source.

    ``events`` is ``alignment_series`` (with its 90% interval lo/hi), ``affinity`` is ``profile_affinity`` (its
    gap as alignment), ``unvotes`` is ``unvote_alignment`` per year over the years the filter spans. Returns the
    frame and whether it carries an interval.

    Raises:
        InputError: an unknown source, or UN votes asked of a Spark engine (they live in the store only).
    """
    from geodrift.analytics.unvotes import unvote_alignment

    where = where or EventFilter()
    if source == "events":
        return alignment_series(target, swing, pole_a, pole_b, freq=freq, where=where, n_boot=n_boot), True
    if source == "affinity":
        frame = profile_affinity(target, swing, pole_a, pole_b, freq=freq, where=where)
        if frame.gap.isna().all():
            most = int(frame[["n_a", "n_b"]].min(axis=1).max()) if len(frame) else 0
            raise InputError(
                f"no {freq} has an affinity for {swing}: each needs {AFFINITY_MIN_PARTNERS} third countries that "
                f"{swing} and each pole had at least 2 events with, and the best {freq} has {most}"
                f"{'' if len(frame) else ' (no events in the range)'}; "
                f"{'try --freq year' if freq != 'year' else 'try a longer period or a store with more events'}")
        return frame.rename(columns={"gap": "alignment"}), False
    if source == "unvotes":
        if not isinstance(target, Store):
            raise InputError("UN-vote alignment reads the store's un_votes table, not a Spark engine")
        frame = unvote_alignment(target, swing, pole_a, pole_b, start=where.start.year if where.start else None,
                                 end=where.end.year if where.end else None)
        return frame.assign(period=pd.to_datetime(frame.year.astype(int).astype(str) + "-01-01")), False
    raise InputError(f"unknown alignment source {source!r}; use {', '.join(ALIGNMENT_SOURCES)}")
