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
                    "conflict_10", "war_10", "dispute_10", "n_conflicts", "region_conflict", "region_war", "state_age",
                    "deaths_last", "deaths_known"]
PAIR_FEATURES = ["conflict_last", "war_last", "dispute_last", "since_conflict", "since_war", "since_dispute",
                 "conflict_10", "war_10", "dispute_10", "dispute_20", "hostlev_10", "sides_in_conflict",
                 "sides_at_war", "sides_since_conflict", "sides_deaths", "deaths_known", "region_conflict",
                 "disputes_ever", "pair_age", "un_distance", "un_known", "primary_last", "coalition_last",
                 "conflict_spell", "war_spell"]


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


def _spell(values: pd.DataFrame) -> pd.DataFrame:
    """log(1 + the years in a row the outcome has held up to each year): a long war outlasts a short one."""
    hit = values.fillna(0).to_numpy(float) > 0
    total = hit.cumsum(axis=1)
    at_break = pd.DataFrame(np.where(hit, np.nan, total)).ffill(axis=1).fillna(0).to_numpy(float)
    return pd.DataFrame(np.log1p(total - at_break), index=values.index, columns=values.columns)


def _rolling(values: pd.DataFrame, window: int, how: str = "sum") -> pd.DataFrame:
    rolled = values.fillna(0).T.rolling(window, min_periods=1)
    return (rolled.sum() if how == "sum" else rolled.max()).T


def _country(history: ConflictHistory, years: np.ndarray) -> dict[str, pd.DataFrame]:
    """Country-year wide tables both levels read: outcomes, years since conflict, deaths, region shares."""
    frame = history.countries
    wide = {o: _wide(frame, o, years) for o in ("conflict", "war", "dispute", "deaths", "n_conflicts")}
    known = wide["conflict"].ffill(axis=1).fillna(0)
    wide["since_conflict"] = _since(known, wide["conflict"])
    wide["deaths_last"] = _log1p(wide["deaths"].fillna(0))
    wide["deaths_known"] = wide["deaths"].notna().astype(float)
    region = frame.drop_duplicates("unit").set_index("unit").region.reindex(wide["conflict"].index)
    for o in ("conflict", "war"):
        wide[f"region_{o}"] = wide[o].groupby(region).transform("mean").fillna(0)
    return wide


def _sides(country: pd.DataFrame, units: pd.Index, how: str, fill: float = 0.0) -> pd.DataFrame:
    """A country-year table read for both sides of each pair 'AAA-BBB' and combined (sum, max, min or mean)."""
    a = country.reindex([u.split("-")[0] for u in units]).fillna(fill).to_numpy()
    b = country.reindex([u.split("-")[1] for u in units]).fillna(fill).to_numpy()
    combined = {"sum": a + b, "max": np.maximum(a, b), "min": np.minimum(a, b), "mean": (a + b) / 2}[how]
    return pd.DataFrame(combined, index=units, columns=country.columns)


def _base(history: ConflictHistory, level: str) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    frame = history.countries if level == "country" else history.pairs
    years = np.arange(int(frame.year.min()), int(frame.year.max()) + 1)
    wide = {o: _wide(frame, o, years) for o in ("conflict", "war", "dispute")}
    country = _country(history, years)
    feats: dict[str, pd.DataFrame] = {}
    for o, values in wide.items():
        known = values.ffill(axis=1)  # a source's last covered year carries on (dispute data end in 2014)
        feats[f"{o}_last"] = known.fillna(0)
        feats[f"since_{o}"] = _since(known.fillna(0), values if o != "dispute" else wide["conflict"])
        feats[f"{o}_10"] = _rolling(values, 10)
    if level == "country":
        feats["n_conflicts"] = _log1p(country["n_conflicts"].fillna(0))
        for name in ("region_conflict", "region_war", "deaths_last", "deaths_known"):
            feats[name] = country[name]
        exists = wide["conflict"].notna() | frame.pivot(index="unit", columns="year", values="region").reindex(
            columns=years).notna()
        feats["state_age"] = _log1p(exists.T.cumsum().T.clip(0, 80))
    else:
        units = wide["conflict"].index
        feats["dispute_20"] = _rolling(wide["dispute"], 20)
        feats["hostlev_10"] = _rolling(_wide(frame, "hostlev", years), 10, "max")
        feats["disputes_ever"] = _log1p(wide["dispute"].fillna(0).T.cumsum().T)
        history_years = ((wide["conflict"].fillna(0) + wide["dispute"].fillna(0)) > 0).T.cumsum().T > 0
        feats["pair_age"] = _log1p(history_years.T.cumsum().T.clip(0, 80))
        for o, name in (("conflict", "sides_in_conflict"), ("war", "sides_at_war")):
            feats[name] = _sides(country[o].ffill(axis=1).fillna(0), units, "sum")
        feats["sides_since_conflict"] = _sides(country["since_conflict"], units, "min", fill=float(np.log1p(80)))
        feats["sides_deaths"] = _sides(country["deaths_last"], units, "max")
        feats["deaths_known"] = _sides(country["deaths_known"], units, "max")
        feats["region_conflict"] = _sides(country["region_conflict"], units, "mean")
        feats["un_distance"], feats["un_known"] = _un_distance(history, units, years)
        feats["primary_last"] = _wide(frame, "primary", years).fillna(0)
        feats["coalition_last"] = _log1p(_wide(frame, "coalition", years).fillna(0))
        feats["conflict_spell"], feats["war_spell"] = _spell(wide["conflict"]), _spell(wide["war"])
    return frame, feats


def _un_distance(history: ConflictHistory, units: pd.Index, years: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """|ideal point A − ideal point B| from each year's UN votes, and whether both states voted that year (0 and 0
    where not: a year without votes, or a store without them, adds nothing)."""
    ideal = history.ideals.pivot_table(index="iso3", columns="year", values="ideal").reindex(columns=years)
    a = ideal.reindex([u.split("-")[0] for u in units]).to_numpy(float)
    b = ideal.reindex([u.split("-")[1] for u in units]).to_numpy(float)
    distance = np.abs(a - b)
    known = ~np.isnan(distance)
    return (pd.DataFrame(np.where(known, distance, 0.0), index=units, columns=years),
            pd.DataFrame(known.astype(float), index=units, columns=years))


def _grid(history: ConflictHistory, level: str) -> tuple[pd.DataFrame, pd.Index, pd.Index, dict[str, np.ndarray]]:
    """The level's frame, its (unit × year) grid and every feature table on that grid as a numpy array (a panel
    row is then a few index look-ups); built once per history and level (``history.memo``): the features do not
    depend on the outcome or the horizon, so the twelve tasks of a backtest share them."""
    key = ("grid", level)
    if key not in history.memo:
        frame, feats = _base(history, level)
        template = _wide(frame, "conflict", np.arange(int(frame.year.min()), int(frame.year.max()) + 1))
        index, columns = template.index, template.columns
        names = COUNTRY_FEATURES if level == "country" else PAIR_FEATURES
        history.memo[key] = (frame, index, columns, {name: feats[name].reindex(index=index, columns=columns)
                                                     .fillna(0).to_numpy(float) for name in names})
    grid: tuple[pd.DataFrame, pd.Index, pd.Index, dict[str, np.ndarray]] = history.memo[key]
    return grid


def _outcome_values(history: ConflictHistory, level: str, outcome: str) -> np.ndarray:
    """The outcome on the level's grid (missing years as 0), once per history, level and outcome."""
    key = ("outcome", level, outcome)
    if key not in history.memo:
        frame, _, columns, _ = _grid(history, level)
        history.memo[key] = _wide(frame, outcome, np.asarray(columns)).fillna(0).to_numpy(float)
    values: np.ndarray = history.memo[key]
    return values


def panel(history: ConflictHistory, level: str, outcome: str, horizon: int, targets: list[int]) -> pd.DataFrame:
    """One row per unit and target year Y: features from years ≤ Y−GAP, ``recent`` (the outcome in Y−GAP, what
    persistence reads), ``horizon`` (the window's length, so a model can tell a next-year row from a five-year one)
    and ``y``: whether the outcome happens in Y (horizon 1) or any year of Y..Y+horizon−1 (NaN where a year of the
    window is not covered). Units: the state system of year Y (countries), or pairs
    whose first conflict or dispute was by Y−GAP."""
    frame, index, columns, arrays = _grid(history, level)
    names = COUNTRY_FEATURES if level == "country" else PAIR_FEATURES
    outcome_values = _outcome_values(history, level, outcome)
    first = history.first_history
    rows = []
    for year in targets:
        k = year - GAP
        if k not in columns:
            continue
        if level == "country":
            units = frame.unit[(frame.year == year)].unique()
        else:
            units = np.array([u for u, y in first.items() if y <= k])
        if len(units) == 0:
            continue
        where, col = index.get_indexer(pd.Index(units)), columns.get_loc(k)
        found = where >= 0
        part: dict[str, object] = {"unit": units, "year": year}
        for name in names:
            part[name] = np.where(found, arrays[name][where, col], 0.0)
        part["recent"] = part[f"{outcome}_last"]
        part["horizon"] = horizon
        window = [y for y in range(year, year + horizon)]
        if all(y in columns and history.covered(outcome, y) for y in window):
            span = np.asarray(columns.get_indexer(pd.Index(window)), np.intp)
            hit = outcome_values[where][:, span].max(axis=1) > 0
            part["y"] = np.where(found, hit, False).astype(float)
        else:
            part["y"] = np.nan
        rows.append(pd.DataFrame(part))
    if not rows:
        return pd.DataFrame(columns=["unit", "year", *names, "recent", "horizon", "y"])
    return pd.concat(rows, ignore_index=True)
