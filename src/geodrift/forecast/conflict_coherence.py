"""Coherent conflict risks: a war is an armed conflict, and a conflict next year is a conflict within five years,
so P(war) ≤ P(armed conflict) and P(within five years) ≥ P(next year) for the same unit (docs/methods.md,
"Coherent risks").

Each outcome and horizon is fitted by its own model, so the raw numbers can break these orders (the pair blend gave
Bahrain–Yemen P(war) 0.449 against P(armed conflict) 0.443). Where they do, the offending pair of probabilities is
replaced by its mean, repeatedly until no order is broken: each step is the Euclidean projection onto one order's
half-space, and every possible outcome (war ⇒ conflict, next year ⇒ within five years) lies in all of them, so no
step can raise the summed Brier score of a unit's forecasts, whatever happens.
"""

from __future__ import annotations

import itertools

import pandas as pd

ORDERS = (("war", "conflict"),)
"""(smaller, larger) outcomes of the same unit and horizon: every war-year is an armed-conflict year."""
ROUNDS = 60
"""Averaging rounds: each at least halves a remaining violation, so 60 leave none above 1e-15."""


def coherent(forecasts: pd.DataFrame) -> pd.DataFrame:
    """``forecasts`` (rows of the forecasts table: unit, task, horizon, p) with P(war) ≤ P(armed conflict) at every
    horizon and P(within a longer horizon) ≥ P(within a shorter one) for every outcome."""
    if forecasts.empty:
        return forecasts
    wide = forecasts.pivot_table(index="unit", columns=["task", "horizon"], values="p", dropna=False)
    columns: list[tuple[str, int]] = [(str(c[0]), int(c[1])) for c in wide.columns.to_list()]
    constraints = [((small, h), (large, h)) for small, large in ORDERS for h in sorted({c[1] for c in columns})
                   if (small, h) in columns and (large, h) in columns]
    for task in sorted({c[0] for c in columns}):
        horizons = sorted(h for t, h in columns if t == task)
        constraints += [((task, short), (task, long)) for short, long in itertools.pairwise(horizons)]
    for _ in range(ROUNDS):
        broken = False
        for low, high in constraints:
            over = wide[low] > wide[high]
            if over.any():
                broken = True
                mean = (wide.loc[over, low] + wide.loc[over, high]) / 2
                wide.loc[over, low] = mean
                wide.loc[over, high] = mean
        if not broken:
            break
    for low, high in constraints:  # what 60 halvings leave is below float precision; make the order exact
        wide[low] = wide[low].where(~(wide[low] > wide[high]), wide[high])
    stacked: pd.Series = wide.stack(["task", "horizon"], future_stack=True)  # type: ignore[assignment]
    fixed = pd.DataFrame({"fixed": stacked}).reset_index()
    merged = forecasts.merge(fixed, on=["unit", "task", "horizon"], how="left", validate="many_to_one")
    return forecasts.assign(p=merged.fixed.where(merged.fixed.notna(), merged.p).to_numpy())
