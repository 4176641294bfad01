"""Features and labels of the yearly conflict forecasts, known-then by construction.

A forecast for calendar year Y is issued on 1 January Y. UCDP publishes year t around June of t+1, so
the latest year published by then is Y−2: every feature of a row for year Y reads years ≤ Y−2 (``GAP``),
and a model fitted at that origin trains only on rows whose whole label window ended by Y−2. COW MID is
given the same lag, which is optimistic (MID releases come in multi-year batches; MID 5.0 ends in 2014).
docs/methods.md, "Conflict forecasts", lists every feature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodrift.forecast.conflict_data import ConflictHistory

GAP = 2
"""Years from the last published data year to the forecast year (release lag: year t published mid t+1)."""
HORIZONS = (1, 5)
"""Next year, and within five years (any year of Y..Y+4)."""

COUNTRY_FEATURES = ["conflict_last", "war_last", "dispute_last", "since_conflict", "since_war", "since_dispute",
                    "conflict_10", "war_10", "dispute_10", "n_conflicts", "region_conflict", "region_war", "state_age"]
PAIR_FEATURES = ["conflict_last", "war_last", "dispute_last", "since_conflict", "since_war", "since_dispute",
                 "conflict_10", "war_10", "dispute_10", "dispute_20", "hostlev_10", "sides_in_conflict",
                 "sides_at_war"]


def _wide(frame: pd.DataFrame, column: str, years: np.ndarray) -> pd.DataFrame:
    return frame.pivot(index="unit", columns="year", values=column).reindex(columns=years)


def _since(hits: pd.DataFrame, observed: pd.DataFrame) -> pd.DataFrame:
    """Years since the last hit at or before each year (since the first observed year when there was none)."""
    years = np.asarray(hits.columns, float)
    last_hit = hits.where(hits > 0).notna().mul(years).replace(0.0, np.nan).ffill(axis=1)
    first = observed.notna().mul(years).replace(0.0, np.nan).min(axis=1)
    start = last_hit.fillna(pd.DataFrame(np.repeat(first.to_numpy()[:, None] - 1, len(years), 1),
                                         index=hits.index, columns=hits.columns))
    gap = pd.DataFrame(np.broadcast_to(years, hits.shape), index=hits.index, columns=hits.columns) - start
    return _log1p(gap.clip(0, 80))


def _log1p(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(np.log1p(frame.to_numpy(float)), index=frame.index, columns=frame.columns)


def _rolling(values: pd.DataFrame, window: int, how: str = "sum") -> pd.DataFrame:
    rolled = values.fillna(0).T.rolling(window, min_periods=1)
    return (rolled.sum() if how == "sum" else rolled.max()).T


def _base(history: ConflictHistory, level: str) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    frame = history.countries if level == "country" else history.pairs
    years = np.arange(int(frame.year.min()), int(frame.year.max()) + 1)
    wide = {o: _wide(frame, o, years) for o in ("conflict", "war", "dispute")}
    feats: dict[str, pd.DataFrame] = {}
    for o, values in wide.items():
        known = values.ffill(axis=1)  # a source's last covered year carries on (dispute data end in 2014)
        feats[f"{o}_last"] = known.fillna(0)
        feats[f"since_{o}"] = _since(known.fillna(0), values if o != "dispute" else wide["conflict"])
        feats[f"{o}_10"] = _rolling(values, 10)
    if level == "country":
        feats["n_conflicts"] = _log1p(_wide(frame, "n_conflicts", years).fillna(0))
        region = frame.drop_duplicates("unit").set_index("unit").region.reindex(wide["conflict"].index)
        for o in ("conflict", "war"):
            share = wide[o].groupby(region).transform("mean")
            feats[f"region_{o}"] = share.fillna(0)
        exists = wide["conflict"].notna() | frame.pivot(index="unit", columns="year", values="region").reindex(
            columns=years).notna()
        feats["state_age"] = _log1p(exists.T.cumsum().T.clip(0, 80))
    else:
        feats["dispute_20"] = _rolling(wide["dispute"], 20)
        feats["hostlev_10"] = _rolling(_wide(frame, "hostlev", years), 10, "max")
        country = {o: _wide(history.countries, o, years) for o in ("conflict", "war")}
        a = [u.split("-")[0] for u in wide["conflict"].index]
        b = [u.split("-")[1] for u in wide["conflict"].index]
        for o, name in (("conflict", "sides_in_conflict"), ("war", "sides_at_war")):
            side = country[o].ffill(axis=1).fillna(0)
            feats[name] = pd.DataFrame(side.reindex(a).to_numpy() + side.reindex(b).fillna(0).to_numpy(),
                                       index=wide["conflict"].index, columns=years).fillna(0)
    return frame, feats


def panel(history: ConflictHistory, level: str, outcome: str, horizon: int, targets: list[int]) -> pd.DataFrame:
    """One row per unit and target year Y: features from years ≤ Y−GAP, ``recent`` (the outcome in Y−GAP, what
    persistence reads), and ``y``: whether the outcome happens in Y (horizon 1) or any year of Y..Y+horizon−1
    (NaN where a year of the window is not covered). Units: the state system of year Y (countries), or pairs
    whose first conflict or dispute was by Y−GAP."""
    frame, feats = _base(history, level)
    names = COUNTRY_FEATURES if level == "country" else PAIR_FEATURES
    outcome_wide = _wide(frame, outcome, np.arange(int(frame.year.min()), int(frame.year.max()) + 1))
    rows = []
    for year in targets:
        k = year - GAP
        if k not in outcome_wide.columns:
            continue
        if level == "country":
            units = frame.unit[(frame.year == year)].unique()
        else:
            first = history.first_history
            units = np.array([u for u, y in first.items() if y <= k])
        if len(units) == 0:
            continue
        part = pd.DataFrame({"unit": units, "year": year})
        for name in names:
            part[name] = feats[name][k].reindex(units).fillna(0).to_numpy(float)
        part["recent"] = part[f"{outcome}_last"]
        window = [y for y in range(year, year + horizon)]
        if all(y in outcome_wide.columns and history.covered(outcome, y) for y in window):
            part["y"] = (outcome_wide[window].reindex(units).fillna(0).to_numpy().max(axis=1) > 0).astype(float)
        else:
            part["y"] = np.nan
        rows.append(part)
    if not rows:
        return pd.DataFrame(columns=["unit", "year", *names, "recent", "y"])
    return pd.concat(rows, ignore_index=True)
