"""The conflict backtest's shared work (issue 16, part 5: the full backtest under 10 minutes on 2 cores): feature
grids kept per history, the blend's onset model taken from the transition model's fit, and the scores computed with
numpy. Each shortcut must give what the long way gives, bit for bit, on the real UCDP and COW data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodrift.forecast.conflict_backtest import backtest_conflict, conflict_models
from geodrift.forecast.conflict_data import FIRST_YEAR, ConflictHistory
from geodrift.forecast.conflict_features import panel


def _fresh(history: ConflictHistory) -> ConflictHistory:
    """The same history with nothing derived from it yet."""
    return ConflictHistory(history.countries, history.pairs, history.coverage, history.ideals)


def test_kept_features_serve_every_outcome_and_horizon(history: ConflictHistory) -> None:
    years = list(range(1985, 2000))
    for level in ("country", "pair"):
        panel(history, level, "conflict", 1, years)  # fills the memo with the grid and this outcome
        for outcome, horizon in (("war", 5), ("dispute", 1), ("conflict", 5)):
            kept = panel(history, level, outcome, horizon, years)
            pd.testing.assert_frame_equal(kept, panel(_fresh(history), level, outcome, horizon, years))
            assert (kept.recent == kept[f"{outcome}_last"]).all() and (kept.horizon == horizon).all()
    assert ("grid", "pair") in history.memo and ("outcome", "country", "war") in history.memo
    assert history.known_by(1990) is history.known_by(1990), "one cut per year"
    assert history.known_by(1990).countries.year.max() == 1990 > FIRST_YEAR


def test_blend_sharing_the_transition_fit_forecasts_as_alone(history: ConflictHistory) -> None:
    registered = conflict_models()
    models = {k: registered[k] for k in ("climatology", "persistence", "transition", "blend", "blend+platt")}
    alone = {k: v for k, v in models.items() if k != "transition"}
    shared = backtest_conflict(history, level="pair", outcome="war", horizon=1, origins=range(2000, 2004),
                               models=models, history_from=1994)
    apart = backtest_conflict(_fresh(history), level="pair", outcome="war", horizon=1, origins=range(2000, 2004),
                              models=alone, history_from=1994)
    for result in (shared, apart):
        assert len(result.predictions) and result.predictions.p.notna().all()
    columns = ["unit", "year", "model", "p", "raw", "y"]
    kept = shared.predictions[shared.predictions.model != "transition"][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, apart.predictions[columns].reset_index(drop=True))
    pd.testing.assert_frame_equal(shared.earlier[columns], apart.earlier[columns])
    onset = shared.predictions[shared.predictions.recent == 0].pivot_table(index=["unit", "year"], columns="model",
                                                                          values="p")
    assert np.array_equal(onset["blend"], onset["transition"]), "quiet rows: the transition model's onset forecasts"
