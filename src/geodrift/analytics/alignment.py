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

from geodrift.analytics.dyads import EventFilter, _check_freq, _in, complete_periods, resolve
from geodrift.analytics.engine import Engine, engine_for
from geodrift.errors import InputError
from geodrift.store import Store

SHRINK = 2.0
"""Pseudo-weight k of neutral (Goldstein 0) events added to each dyad-period."""


def alignment_events(target: Store | Engine, swing: str, pole_a: str, pole_b: str, *, freq: str = "month",
                     where: EventFilter | None = None) -> pd.DataFrame:
    """The events behind an alignment series: period, pole ('A'/'B'), event id, Goldstein, weight, evidence."""
    _check_freq(freq)
    where = where or EventFilter()
    s, a, b = resolve(swing), resolve(pole_a), resolve(pole_b)
    if set(s) & (set(a) | set(b)) or set(a) & set(b):
        raise InputError("the swing state and the two poles must be different countries")
    sql = f"""
    SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period,
           CASE WHEN actor1_country IN {_in(a)} OR actor2_country IN {_in(a)} THEN 'A' ELSE 'B' END AS pole,
           event_id, event_date, actor1_country, actor2_country, event_code, goldstein,
           coalesce(num_sources, 1) AS w, source_url, outlet, evidence_sentence
    FROM events
    WHERE {where.where()}
      AND ((actor1_country IN {_in(s)} AND actor2_country IN {_in(a + b)})
        OR (actor2_country IN {_in(s)} AND actor1_country IN {_in(a + b)}))
    ORDER BY period, event_id
    """
    frame = engine_for(target).df(sql)
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def _score(gold: np.ndarray, weight: np.ndarray) -> float:
    return float((gold * weight).sum() / (weight.sum() + SHRINK))


def alignment_series(target: Store | Engine, swing: str, pole_a: str, pole_b: str, *, freq: str = "month",
                     where: EventFilter | None = None, n_boot: int = 500, seed: int = 0,
                     level: float = 0.9) -> pd.DataFrame:
    """Per-period alignment of ``swing`` between ``pole_a`` (negative) and ``pole_b`` (positive).

    Columns: period, n_a, n_b (events), g_a, g_b (shrunken weighted Goldstein means), alignment,
    lo, hi (bootstrap interval at ``level``).
    """
    where = where or EventFilter()
    events = alignment_events(target, swing, pole_a, pole_b, freq=freq, where=where)
    rng = np.random.default_rng(seed)
    rows = []
    for period, group in events.groupby("period"):
        parts = {p: group[group.pole == p] for p in ("A", "B")}
        g = {p: _score(parts[p].goldstein.to_numpy(float), parts[p].w.to_numpy(float)) for p in parts}
        boots = np.empty(n_boot)
        for i in range(n_boot):
            draw = {}
            for p, part in parts.items():
                idx = rng.integers(0, len(part), len(part)) if len(part) else np.array([], int)
                draw[p] = _score(part.goldstein.to_numpy(float)[idx], part.w.to_numpy(float)[idx])
            boots[i] = (draw["B"] - draw["A"]) / 20
        tail = (1 - level) / 2
        rows.append({"period": period, "n_a": len(parts["A"]), "n_b": len(parts["B"]), "g_a": g["A"], "g_b": g["B"],
                     "alignment": (g["B"] - g["A"]) / 20, "lo": float(np.quantile(boots, tail)),
                     "hi": float(np.quantile(boots, 1 - tail))})
    frame = pd.DataFrame(rows, columns=["period", "n_a", "n_b", "g_a", "g_b", "alignment", "lo", "hi"])
    frame = complete_periods(frame, freq, where)
    empty = frame["n_a"].isna()
    frame.loc[empty, ["n_a", "n_b"]] = 0  # no events: alignment unknown (NaN), not neutral
    frame[["n_a", "n_b"]] = frame[["n_a", "n_b"]].astype(int)
    return frame
