"""Conflict risks in documents: the stored UCDP/COW forecasts of ``geodrift risk`` as "What to watch" items,
labelled with the data's vintage, and as the rows of the dashboard's /risks page."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geodrift.codebooks import country_name
from geodrift.forecast.conflict_data import OUTCOMES, data_vintage
from geodrift.forecast.conflict_features import GAP
from geodrift.report.document import Paragraph
from geodrift.report.narrative import Narrator, percent
from geodrift.store import Store

CONFLICT_TASKS = OUTCOMES
"""The ``task`` of a stored conflict forecast is its outcome (forecast/conflict_risk.risk_forecasts)."""
OUTCOME_NAMES = {"conflict": "armed conflict (25+ battle deaths a year)", "war": "war (1,000+)",
                 "dispute": "militarised interstate dispute"}


def with_vintage(store: Store, forecasts: pd.DataFrame) -> pd.DataFrame:
    """``forecasts`` with a ``vintage`` column: the conflict data behind each conflict forecast (None otherwise)."""
    if forecasts.empty or not forecasts.task.isin(CONFLICT_TASKS).any():
        return forecasts
    vintage = data_vintage(store)
    labels = [f"{vintage}; forecast for {pd.Timestamp(a).year} from the years to {pd.Timestamp(a).year - GAP}, "
              f"published by 1 January {pd.Timestamp(a).year}" if t in CONFLICT_TASKS else None
              for t, a in zip(forecasts.task, forecasts.as_of, strict=True)]
    return forecasts.assign(vintage=pd.Series(labels, index=forecasts.index, dtype=object))


def _skill(value: object) -> str:
    try:
        number = float(str(value))
    except ValueError:  # NA
        number = float("nan")
    return "n/a" if number != number else f"{number:+.0%}"


def _count(value: object) -> int:
    try:
        return int(float(str(value)))
    except ValueError:  # NA, NaN: no scorable origin
        return 0


def _share(value: object) -> str | None:
    """A stored probability as a percent, None where the horizon is not open (or not forecast)."""
    number = pd.to_numeric(pd.Series([value], dtype=object), errors="coerce").iloc[0]
    return None if pd.isna(number) else percent(float(number))


def risk_table(forecasts: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: P(outcome) next year (``p_conflict``...) and within five years (``p_conflict_5y``...),
    most at risk of armed conflict first. Either horizon may be missing: a briefing dated in 2023 sees only the
    five-year forecasts made for 2021 still open, so the order falls back to the first column there is."""
    rows = forecasts[forecasts.task.isin(CONFLICT_TASKS)]
    if rows.empty:
        return pd.DataFrame()
    wide = rows.pivot_table(index=["unit", "as_of", "model"], columns=["task", "horizon"], values="p").reset_index()
    wide.columns = [str(c[0]) if str(c[1]) == "" else f"p_{c[0]}" + ("" if str(c[1]) == "1" else f"_{c[1]}y")
                    for c in wide.columns]
    wide.insert(1, "name", [" - ".join(country_name(u) for u in str(unit).split("-")) for unit in wide.unit])
    order = [c for c in (f"p_{o}{h}" for h in ("", "_5y") for o in OUTCOMES) if c in wide.columns][:1]
    return wide.sort_values([*order, "unit"], ascending=[False] * len(order) + [True],
                            na_position="last").reset_index(drop=True)


def record_table(forecasts: pd.DataFrame) -> pd.DataFrame:
    """The backtest record behind the stored conflict forecasts: one row per level, outcome and horizon."""
    rows = forecasts[forecasts.task.isin(CONFLICT_TASKS)].assign(
        level=lambda f: ["pair" if "-" in str(u) else "country" for u in f.unit])
    columns = ["level", "task", "horizon", "as_of", "model", "skill_climatology", "skill_persistence",
               "backtest_forecasts", "backtest_data"]
    rows = rows.reindex(columns=[*rows.columns.drop("backtest_data", errors="ignore"), "backtest_data"])  # older: none
    table = rows.drop_duplicates(["level", "task", "horizon"])[columns].sort_values(
        ["level", "task", "horizon"], key=lambda s: s.map({t: i for i, t in enumerate(OUTCOMES)}).fillna(s)
        if s.name == "task" else s).reset_index(drop=True)
    return table.assign(verdict=[verdict(c, p) for c, p in zip(table.skill_climatology, table.skill_persistence,
                                                                   strict=True)])


def verdict(skill_climatology: object, skill_persistence: object) -> str:
    """Whether the model beat its baselines in the backtest, in words ("persistence better" where it did not)."""
    skills = dict(zip(("climatology", "persistence"), pd.to_numeric(pd.Series([skill_climatology, skill_persistence],
                                                                               dtype=object), errors="coerce"),
                      strict=True))
    if any(pd.isna(v) for v in skills.values()):
        return "no record yet"
    behind = [name for name, value in skills.items() if value < 0]
    return " and ".join(behind) + " better" if behind else "beats both baselines"


def conflict_items(forecasts: pd.DataFrame | None, narrator: Narrator) -> list[Paragraph]:
    """One sentence per country or pair (most at risk first) with its probabilities of armed conflict, war and
    dispute next year and within five years, then the model's backtest record and the data's vintage."""
    if forecasts is None or forecasts.empty or not forecasts.task.isin(CONFLICT_TASKS).any():
        return []
    table = risk_table(forecasts)
    items = []
    for row in table.to_dict("records"):
        year = pd.Timestamp(row["as_of"]).year
        items.append(Paragraph(narrator.say("forecast_conflict", {
            "where": row["name"], "year": year, "until": year + 4,
            "outcomes": [(OUTCOME_NAMES[o], _share(row.get(f"p_{o}")), _share(row.get(f"p_{o}_5y")))
                         for o in OUTCOMES if _share(row.get(f"p_{o}")) or _share(row.get(f"p_{o}_5y"))]})))
    record = record_table(forecasts)
    conflict = forecasts[forecasts.task.isin(CONFLICT_TASKS)]
    vintage = conflict.vintage.dropna().iloc[0] if "vintage" in conflict and conflict.vintage.notna().any() else (
        "UCDP/PRIO armed conflicts and COW militarised disputes")
    both = record.level.nunique() > 1
    items.append(Paragraph(narrator.say("forecast_conflict_record", {
        "model": ", ".join(sorted(set(record.model))), "vintage": vintage,
        "records": [((f"{r.level} " if both else "") + OUTCOME_NAMES[str(r.task)].split(" (")[0],
                     "next year" if r.horizon == 1 else f"within {r.horizon} years", _skill(r.skill_climatology),
                     _skill(r.skill_persistence), _count(r.backtest_forecasts)) for r in record.itertuples()],
        "data": list(dict.fromkeys(d for d in record.backtest_data if isinstance(d, str) and d))})))
    return items


def stored_risks(store: Store, day: dt.date | None = None) -> pd.DataFrame:
    """The latest stored conflict forecasts as of ``day`` (default: all) for every unit, with their vintage."""
    if not store.has_table("forecasts"):
        return pd.DataFrame()
    when = (day or dt.date.max).isoformat()
    frame = store.df(f"""
        SELECT * FROM forecasts WHERE task IN ('conflict', 'war', 'dispute') AND as_of <= DATE '{when}'
        QUALIFY row_number() OVER (PARTITION BY task, unit, horizon ORDER BY as_of DESC, issued_at DESC) = 1
        ORDER BY task, unit, horizon""")
    return with_vintage(store, frame)
