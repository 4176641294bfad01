"""Current conflict risks: P(armed conflict), P(war) and P(dispute) for every country or pair in a year,
from a model refitted on what was published by 1 January of that year, with each row's main drivers and
the model's backtest record (docs/methods.md, "Conflict forecasts").

``risk_forecasts`` gives the same forecasts for every unit, next year and within five years, in the shape of
the ``forecasts`` table (forecast/current.py), each with the record of its model over the origins whose
outcomes had been published by then: what ``geodrift risk`` stores for briefings, analyses and the dashboard.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geodrift.codebooks import country_name
from geodrift.errors import InputError
from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_backtest import FIRST_TRAIN, HISTORY_FROM, backtest_conflict, conflict_models
from geodrift.forecast.conflict_coherence import coherent
from geodrift.forecast.conflict_data import OUTCOMES, ConflictHistory, load_conflict_history
from geodrift.forecast.conflict_drivers import LABELS, drivers
from geodrift.forecast.conflict_features import GAP, HORIZONS, panel
from geodrift.forecast.conflict_recalibrate import OOS, Recalibrated
from geodrift.forecast.current import FORECAST_COLUMNS
from geodrift.store import Store

LEVELS = ("country", "pair")
BEST_MODEL = {"country": "logistic", "pair": "blend+horizon"}
"""What ``geodrift risk`` uses unless told otherwise: each level's best model on next-year conflict in the 1990–2024
backtest (bench/conflict_backtest.py), for pairs recalibrated by horizon because on origins 1965–1989 that lowered
the pair tasks' Brier by 2.0%, log score by 0.5% and worst decile by half (for countries it changed Brier by −0.04%
and log score by +0.1%, so the raw logistic stays; docs/methods.md, "Recalibration by horizon")."""
FIRST_ORIGIN = 1990
"""The first origin of the backtest record (the post-Cold-War system; UCDP's own forecasting work starts there)."""


def _fit(history: ConflictHistory, level: str, outcome: str, year: int, model: Forecaster, horizon: int = 1
         ) -> tuple[pd.DataFrame, Forecaster]:
    rows = panel(history, level, outcome, horizon, list(range(FIRST_TRAIN, year + 1)))
    train = rows[(rows.year + horizon - 1 <= year - GAP) & rows.y.notna()]
    test = rows[rows.year == year].reset_index(drop=True)
    if isinstance(model, Recalibrated):
        train = train.merge(_past_forecasts(history, level, outcome, horizon, year, model), on=["unit", "year"],
                            how="left")
    fitted = model.clone().fit(train, train.y.to_numpy())
    return test.assign(p=fitted.predict(test)), fitted


def _past_forecasts(history: ConflictHistory, level: str, outcome: str, horizon: int, year: int,
                    model: Recalibrated) -> pd.DataFrame:
    """The base model's out-of-sample forecasts from HISTORY_FROM on whose outcomes were published by ``year``
    (column OOS): what the recalibration map of a forecast issued in ``year`` is fitted on."""
    origins = [y for y in range(HISTORY_FROM, year - GAP - horizon + 2)
               if all(history.covered(outcome, y + i) for i in range(horizon))]
    if not origins:
        return pd.DataFrame({"unit": pd.Series(dtype=str), "year": pd.Series(dtype=int), OOS: pd.Series(dtype=float)})
    past = backtest_conflict(history, level=level, outcome=outcome, horizon=horizon, origins=origins,
                             models={"base": model.base_model()}).predictions
    return past[["unit", "year", "p"]].rename(columns={"p": OOS})


def _history(store: Store, year: int, level: str, model: str) -> ConflictHistory:
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}; use country or pair")
    if model not in conflict_models():
        raise InputError(f"unknown conflict model {model!r}; known: {', '.join(conflict_models())}")
    history = load_conflict_history(store, through=year)
    last = history.coverage["acd"]
    if not FIRST_TRAIN + 10 <= year <= last + GAP:
        raise InputError(f"--year {year}: the UCDP data in the store run to {last}, so forecasts reach "
                         f"{FIRST_TRAIN + 10}..{last + GAP} (data for year t are published in mid t+1)")
    return history


def conflict_risk(store: Store, year: int, *, top: int = 20, level: str = "country", model: str = "logistic",
                  record: bool = True, first_origin: int = FIRST_ORIGIN) -> pd.DataFrame:
    """The ``top`` units by P(armed conflict) in ``year``, with P(war), P(dispute) (NaN when the store holds no
    COW dispute data), the drivers and, with
    ``record``, the Brier skill and AUC-PR of the same model's next-year backtest (``record_origins``).

    Raises:
        InputError: an unknown level or model, or a year the data cannot reach.
    """
    if top < 1:
        raise InputError("--top must be at least 1")
    history = _history(store, year, level, model)
    template = conflict_models()[model]
    frame: pd.DataFrame | None = None
    for outcome in OUTCOMES:
        if not history.has(outcome):
            frame = frame.assign(**{f"p_{outcome}": float("nan")}) if frame is not None else frame
            continue
        rows, fitted = _fit(history, level, outcome, year, template)
        part = rows[["unit", "p"]].rename(columns={"p": f"p_{outcome}"})
        if outcome == "conflict":
            part["in_conflict_last_known"] = rows.recent.astype(int).to_numpy()
            # The map is monotone: the base's drivers are what ranks the rows.
            part["drivers"] = drivers(fitted.base_ if isinstance(fitted, Recalibrated) else fitted, rows)
        frame = part if frame is None else frame.merge(part, on="unit", how="outer")
    assert frame is not None
    frame = next_year_coherent(frame)
    frame = frame.sort_values("p_conflict", ascending=False).head(top).reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame.insert(2, "name", [" - ".join(country_name(u) for u in str(unit).split("-")) for unit in frame.unit])
    frame["model"] = model
    frame["data_through"] = min(year - GAP, history.coverage["acd"])
    frame["mid_through"] = min(year - GAP, history.coverage["mid"]) if history.has("dispute") else pd.NA
    if history.has("dispute") and history.coverage["mid"] < year - GAP - STALE_YEARS:
        frame["drivers"] = [_dated_mid(str(d), history.coverage["mid"]) for d in frame.drivers]
    if record:
        frame = frame.assign(**backtest_record(history, level, model, year, first_origin))
    return frame


STALE_YEARS = 3
"""A driver resting on data that end more than this many years before the forecast's data year says so: COW's MID
data end in 2014, so for 2021 "in a MID" means "in a MID in 2014"."""
MID_LABELS = frozenset(v for k, v in LABELS.items() if "dispute" in k or "hostlev" in k)


def _dated_mid(phrases: str, last: int) -> str:
    """A row's drivers with each MID-based one dated by the last year of the COW data."""
    return ", ".join(f"{p} (COW to {last})" if p in MID_LABELS else p for p in phrases.split(", "))


def next_year_coherent(frame: pd.DataFrame) -> pd.DataFrame:
    """The ranked table's P(war) no higher than its P(armed conflict) (conflict_coherence)."""
    columns = [f"p_{o}" for o in OUTCOMES]
    long = frame.melt(id_vars="unit", value_vars=columns, var_name="task", value_name="p").assign(
        task=lambda f: f.task.str.removeprefix("p_"), horizon=1)
    wide = coherent(long).pivot_table(index="unit", columns="task", values="p", dropna=False)
    return frame.assign(**{c: frame.unit.map(wide[c.removeprefix("p_")]).to_numpy() for c in columns})


def record_origins(history: ConflictHistory, outcome: str, horizon: int, year: int,
                   first: int = FIRST_ORIGIN) -> list[int]:
    """The origins from ``first`` whose whole outcome window had been published by 1 January ``year``
    (ended by year − GAP): the record a reader could have checked when the forecast was issued."""
    return [y for y in range(first, year) if y + horizon - 1 <= year - GAP
            and all(history.covered(outcome, y + i) for i in range(horizon))]


def model_record(history: ConflictHistory, level: str, model: str, outcome: str, horizon: int, year: int,
                 first: int = FIRST_ORIGIN) -> dict[str, float] | None:
    """The backtest scores of ``model`` (against climatology and persistence) for ``outcome`` at ``horizon``
    over ``record_origins``; None when fewer than two origins can be scored."""
    origins = record_origins(history, outcome, horizon, year, first)
    if len(origins) < 2:
        return None
    chosen = {k: v for k, v in conflict_models().items() if k in ("climatology", "persistence", model)}
    table = backtest_conflict(history, level=level, outcome=outcome, horizon=horizon, origins=origins,
                              models=chosen).scores.set_index("model")
    row = {str(k): float(v) for k, v in table.loc[model].to_dict().items()}
    return row | {"first_origin": float(origins[0]), "last_origin": float(origins[-1])}


def backtest_record(history: ConflictHistory, level: str, model: str, year: int,
                    first: int = FIRST_ORIGIN) -> dict[str, float]:
    """Brier skill vs climatology and persistence and AUC-PR of ``model`` for next-year conflict and war
    (``model_record``; empty when the data do not reach two scorable origins)."""
    record: dict[str, float] = {}
    for outcome in ("conflict", "war"):
        scores = model_record(history, level, model, outcome, 1, year, first)
        if scores is None:
            return {}
        for column in ("skill_vs_climatology", "skill_vs_persistence", "auc_pr"):
            record[f"{outcome}_{column}"] = round(scores[column], 3)
    return record


def _record_data(outcome: str, level: str, scores: dict[str, float]) -> str | None:
    """What a risk's backtest record ran on ("UCDP armed conflicts of countries, origins 1990 to 2018"), stored
    with the forecast (forecasts.backtest_data); None without a record."""
    if not scores:
        return None
    data = "COW militarised disputes" if outcome == "dispute" else "UCDP armed conflicts"
    return (f"{data} of {'countries' if level == 'country' else 'pairs of states'}, origins "
            f"{int(scores['first_origin'])} to {int(scores['last_origin'])}")


def risk_forecasts(store: Store, year: int, *, level: str = "country", model: str = "logistic",
                   first_origin: int = FIRST_ORIGIN) -> pd.DataFrame:
    """Every unit's P(armed conflict), P(war) and P(dispute) in ``year`` (horizon 1) and in ``year``..``year``+4
    (horizon 5), as rows of the ``forecasts`` table (task = the outcome, as of 1 January ``year``), each with
    its model's backtest record; an outcome and horizon without two scorable origins carries no skill.

    Raises:
        InputError: an unknown level or model, or a year the data cannot reach.
    """
    if first_origin < FIRST_TRAIN + 10:
        raise InputError(f"--origins-from {first_origin}: backtest origins start at {FIRST_TRAIN + 10} or later "
                         f"(the models train from {FIRST_TRAIN})")
    history = _history(store, year, level, model)
    template = conflict_models()[model]
    frames = []
    for outcome in (o for o in OUTCOMES if history.has(o)):
        for horizon in HORIZONS:
            rows, _ = _fit(history, level, outcome, year, template, horizon)
            scores = model_record(history, level, model, outcome, horizon, year, first_origin) or {}
            frames.append(pd.DataFrame({
                "as_of": dt.date(year, 1, 1), "task": outcome, "unit": rows.unit.astype(str), "horizon": horizon,
                "horizon_unit": "years", "model": model, "p": rows.p.astype(float),
                "skill_climatology": scores.get("skill_vs_climatology"),
                "skill_persistence": scores.get("skill_vs_persistence"),
                "backtest_forecasts": int(scores["forecasts"]) if scores else None,
                "backtest_data": _record_data(outcome, level, scores)}))
    frame = coherent(pd.concat(frames, ignore_index=True)).reindex(columns=FORECAST_COLUMNS)
    frame["issued_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None).floor("s")
    frame["backtest_forecasts"] = frame.backtest_forecasts.astype("Int64")
    return frame
