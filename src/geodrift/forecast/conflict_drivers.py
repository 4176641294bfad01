"""What set each conflict forecast, per row and true to the fitted model (``geodrift risk``'s "main drivers").

A driver list must describe the model that made the number: a row forecast by a persistence rate says so
("persistence: in conflict in 2019"), not the features that row happens to have in excess; a logistic row lists
the features whose standardised value times coefficient raise its log-odds most; a row of a model without
coefficients (boosted trees) lists the features whose replacement by that year's average would lower its
probability most (an occlusion test of the fitted model itself).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_blend import ConflictBlend
from geodrift.forecast.conflict_features import GAP
from geodrift.forecast.conflict_models import KNOWN, ConflictLogistic, ConflictTransition, _Rate, _UnitRate
from geodrift.forecast.models import Climatology, Persistence

LABELS = {"conflict_last": "in conflict", "war_last": "at war", "dispute_last": "in a MID",
          "since_conflict": "conflict recent", "since_war": "war recent", "since_dispute": "MID recent",
          "conflict_10": "conflict-years (10y)", "war_10": "war-years (10y)", "dispute_10": "MID-years (10y)",
          "dispute_20": "rivalry: MID-years (20y)", "hostlev_10": "MID hostility (10y)",
          "n_conflicts": "several conflicts", "region_conflict": "region in conflict", "region_war": "region at war",
          "state_age": "older state", "sides_in_conflict": "either side in conflict", "sides_at_war": "either side at war",
          "deaths_last": "battle deaths", "deaths_known": "deaths recorded", "sides_since_conflict": "a side's conflict recent",
          "sides_deaths": "a side's battle deaths", "disputes_ever": "long dispute history", "pair_age": "long shared history",
          "un_distance": "far apart in UN votes", "un_known": "both vote in the UN",
          "primary_last": "principals, not coalition members", "coalition_last": "large coalition",
          "conflict_spell": "conflict-years in a row", "war_spell": "war-years in a row"}
"""How a driver reads in a risk list (the ``since_*`` features enter with a negative sign: recent is risky)."""


def drivers(model: Forecaster, X: pd.DataFrame, top: int = 3) -> list[str]:
    """Each row's main drivers as one short phrase list (module docstring); '-' when nothing raised it."""
    if isinstance(model, ConflictBlend):
        return _by_state(X, {False: model.onset_}, active="persistence: {state} in {year}, pooled with the {unit}'s "
                                                         "own record", top=top)
    if isinstance(model, ConflictTransition):
        return _by_state(X, model.states_, active="", top=top)
    return _single(model, X, top)


def _state_words(X: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    recent = X.recent.to_numpy(float) > 0
    return recent, [f"{int(y) - GAP}" for y in X.year]


def _by_state(X: pd.DataFrame, models: dict[bool, Forecaster], *, active: str, top: int) -> list[str]:
    recent, years = _state_words(X)
    out = [""] * len(X)
    for state in (False, True):
        rows = np.flatnonzero(recent == state)
        if not len(rows):
            continue
        if state and active:
            for i in rows:
                out[i] = active.format(state="active", year=years[i],
                                       unit="pair" if "-" in str(X.unit.iloc[i]) else "country")
            continue
        part = _single(models[state], X.iloc[rows], top, state=state)
        for i, text in zip(rows, part, strict=True):
            out[i] = text
    return out


def _single(model: Forecaster, X: pd.DataFrame, top: int, state: bool | None = None) -> list[str]:
    recent, years = _state_words(X)
    if isinstance(model, Persistence | _Rate) or (
            isinstance(model, ConflictLogistic) and model.model_ is None):
        return [f"persistence: {'active' if r else 'not active'} in {y}" for r, y in zip(recent, years, strict=True)]
    if isinstance(model, _UnitRate):
        return [f"the {'pair' if '-' in str(u) else 'country'}'s own record while {'active' if r else 'not active'} "
                f"(last known {y})" for u, r, y in zip(X.unit, recent, years, strict=True)]
    if isinstance(model, Climatology):
        return ["climatology: the unit's share of years with the outcome"] * len(X)
    columns = [c for c in KNOWN if c in X.columns]
    values = X[columns].to_numpy(float)
    pipeline = getattr(model, "model_", None)
    if pipeline is not None and hasattr(pipeline, "named_steps"):
        contribution = pipeline.named_steps["standardscaler"].transform(values) * \
            pipeline.named_steps["logisticregression"].coef_[0]
    else:
        contribution = _occlusion(model, X, columns)
    out = []
    for row in contribution:
        order = np.argsort(-row)[:top]
        out.append(", ".join(LABELS.get(columns[i], columns[i]) for i in order if row[i] > 0) or "-")
    return out


def _occlusion(model: Forecaster, X: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """p(row) − p(row with one feature set to the rows' mean), per feature: how much that feature raised it."""
    base = model.predict(X)
    effect = np.zeros((len(X), len(columns)))
    for j, column in enumerate(columns):
        changed = X.assign(**{column: float(X[column].mean())})
        effect[:, j] = base - model.predict(changed)
    return effect
