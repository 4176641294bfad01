"""Current conflict risks: P(armed conflict), P(war) and P(dispute) for every country or pair in a year,
from a model refitted on what was published by 1 January of that year, with each row's main drivers and
the model's backtest record (docs/methods.md, "Conflict forecasts")."""

from __future__ import annotations

import pandas as pd

from geodrift.codebooks import country_name
from geodrift.errors import InputError
from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_backtest import FIRST_TRAIN, backtest_conflict, conflict_models
from geodrift.forecast.conflict_data import OUTCOMES, ConflictHistory, load_conflict_history
from geodrift.forecast.conflict_features import GAP, panel
from geodrift.forecast.conflict_models import drivers
from geodrift.store import Store

LEVELS = ("country", "pair")


def _fit(history: ConflictHistory, level: str, outcome: str, year: int, model: Forecaster
         ) -> tuple[pd.DataFrame, Forecaster]:
    rows = panel(history, level, outcome, 1, list(range(FIRST_TRAIN, year + 1)))
    train = rows[(rows.year <= year - GAP) & rows.y.notna()]
    test = rows[rows.year == year].reset_index(drop=True)
    fitted = model.clone().fit(train, train.y.to_numpy())
    return test.assign(p=fitted.predict(test)), fitted


def conflict_risk(store: Store, year: int, *, top: int = 20, level: str = "country", model: str = "logistic",
                  record: bool = True) -> pd.DataFrame:
    """The ``top`` units by P(armed conflict) in ``year``, with P(war), P(dispute), the drivers and, with
    ``record``, the Brier skill and AUC-PR of the same model's backtest over 1990..year−1 (next-year forecasts).

    Raises:
        InputError: an unknown level or model, or a year the data cannot reach.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}; use country or pair")
    if top < 1:
        raise InputError("--top must be at least 1")
    models = conflict_models()
    if model not in models:
        raise InputError(f"unknown conflict model {model!r}; known: {', '.join(models)}")
    history = load_conflict_history(store, through=year)
    last = history.coverage["acd"]
    if not FIRST_TRAIN + 10 <= year <= last + GAP:
        raise InputError(f"--year {year}: the UCDP data in the store run to {last}, so forecasts reach "
                         f"{FIRST_TRAIN + 10}..{last + GAP} (data for year t are published in mid t+1)")
    frame: pd.DataFrame | None = None
    for outcome in OUTCOMES:
        rows, fitted = _fit(history, level, outcome, year, models[model])
        part = rows[["unit", "p"]].rename(columns={"p": f"p_{outcome}"})
        if outcome == "conflict":
            part["in_conflict_last_known"] = rows.recent.astype(int).to_numpy()
            part["drivers"] = drivers(fitted, rows)
        frame = part if frame is None else frame.merge(part, on="unit", how="outer")
    assert frame is not None
    frame = frame.sort_values("p_conflict", ascending=False).head(top).reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame.insert(2, "name", [" - ".join(country_name(u) for u in str(unit).split("-")) for unit in frame.unit])
    frame["model"] = model
    frame["data_through"] = year - GAP
    if record:
        frame = frame.assign(**backtest_record(history, level, model, year))
    return frame


def backtest_record(history: ConflictHistory, level: str, model: str, year: int) -> dict[str, float]:
    """Brier skill vs climatology and persistence and AUC-PR of ``model`` for next-year conflict and war over
    the origins 1990..year−1 that can be scored (an empty record before 1992)."""
    origins = [y for y in range(1990, year) if history.covered("conflict", y)]
    record: dict[str, float] = {}
    if len(origins) < 2:
        return record
    for outcome in ("conflict", "war"):
        chosen = {k: v for k, v in conflict_models().items() if k in ("climatology", "persistence", model)}
        table = backtest_conflict(history, level=level, outcome=outcome, horizon=1, origins=origins,
                                  models=chosen).scores.set_index("model").loc[model].to_dict()
        for column in ("skill_vs_climatology", "skill_vs_persistence", "auc_pr"):
            record[f"{outcome}_{column}"] = round(float(table[column]), 3)
    return record
