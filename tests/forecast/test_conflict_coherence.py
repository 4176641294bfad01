"""Coherent conflict risks: P(war) ≤ P(armed conflict) and P(within five years) ≥ P(next year), enforced without
raising any unit's summed Brier score (forecast/conflict_coherence)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from geodrift.forecast.conflict_coherence import coherent


def _rows(values: dict[tuple[str, int], float], unit: str = "BHR-YEM") -> pd.DataFrame:
    return pd.DataFrame([{"unit": unit, "task": t, "horizon": h, "p": p} for (t, h), p in values.items()])


def test_the_readers_pair_is_made_coherent() -> None:
    """The pair blend's Bahrain-Yemen for 2021: P(armed conflict) 0.443, P(war) 0.449 (reader M1)."""
    fixed = coherent(_rows({("conflict", 1): 0.443, ("war", 1): 0.449, ("conflict", 5): 0.70, ("war", 5): 0.60,
                            ("dispute", 1): 0.2, ("dispute", 5): 0.1})).set_index(["task", "horizon"]).p
    assert fixed[("war", 1)] == fixed[("conflict", 1)] == pytest.approx(0.446)
    assert fixed[("dispute", 1)] == fixed[("dispute", 5)] == pytest.approx(0.15), "within five years is at least next year"
    assert (fixed[("conflict", 5)], fixed[("war", 5)]) == (0.70, 0.60), "coherent numbers are left alone"


def test_no_outcome_scores_worse_after_the_fix() -> None:
    """For random forecasts and every outcome a unit can have (war implies conflict, next year implies within
    five years), the summed Brier score never rises."""
    rng = np.random.default_rng(15)
    keys = [("conflict", 1), ("war", 1), ("conflict", 5), ("war", 5)]
    outcomes = [dict(zip(keys, o, strict=True)) for o in itertools.product((0, 1), repeat=4)
                if o[1] <= o[0] and o[3] <= o[2] and o[0] <= o[2] and o[1] <= o[3]]
    frames = [_rows(dict(zip(keys, rng.uniform(size=4), strict=True)), unit=f"U{i}") for i in range(300)]
    raw = pd.concat(frames, ignore_index=True)
    fixed = coherent(raw)
    wide = fixed.pivot_table(index="unit", columns=["task", "horizon"], values="p")
    assert (wide[("war", 1)] <= wide[("conflict", 1)]).all() and (wide[("war", 5)] <= wide[("conflict", 5)]).all()
    assert (wide[("conflict", 5)] >= wide[("conflict", 1)]).all() and (wide[("war", 5)] >= wide[("war", 1)]).all()
    assert (raw.p != fixed.p).sum() > 100, "random forecasts break the orders often"
    for outcome in outcomes:
        y = np.array([outcome[(t, h)] for t, h in zip(raw.task, raw.horizon, strict=True)])
        before = ((raw.p - y) ** 2).groupby(raw.unit).sum()
        after = ((fixed.p - y) ** 2).groupby(raw.unit).sum()
        assert (after <= before + 1e-12).all(), outcome
