"""Backtests: no leakage, calibration on processes with known probabilities, honest skill on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodrift.analytics.unvotes import alignment_positions
from geodrift.forecast import scores
from geodrift.forecast.backtest import (
    LeakageError,
    backtest_alignment,
    backtest_counts,
    backtest_escalation,
    check_no_leakage,
)
from geodrift.forecast.features import Panel
from geodrift.forecast.history import History, load_history
from geodrift.forecast.models import Climatology, GradientBoosting, Persistence
from geodrift.forecast.simulate import simulate_history, true_probability
from geodrift.query import EventFilter
from geodrift.store import Store


class PeekingPanel(Panel):
    """A feature builder that treats every event as known on the day it happened (event_date, not date_added)."""

    def __init__(self, history: History, units: list[str]) -> None:
        super().__init__(history, units)
        self.known = self.day.copy()


@pytest.fixture(scope="module")
def curated(caucasus_store: Store) -> History:
    return load_history(caucasus_store, level="dyad", where=EventFilter(sources=("curated",)))


def test_leakage_check_passes_for_known_dates(curated: History) -> None:
    check_no_leakage(curated, ["ARM-AZE", "AZE-TUR"], [pd.Timestamp("2020-07-20"), pd.Timestamp("2020-10-01")],
                     horizon_days=7)


def test_a_model_that_peeks_is_caught(curated: History) -> None:
    late = curated.counts[curated.counts.known > curated.counts.day]
    assert len(late) > 50, "the hand-coded events include reports published after the event"
    with pytest.raises(LeakageError, match="not known by then"):
        # (mid-October: by cluster, the Tovuz clash of 12 July counts when its first report was out, that same day)
        check_no_leakage(curated, ["ARM-AZE"], [pd.Timestamp("2020-10-15")], horizon_days=7, panel=PeekingPanel)
    with pytest.raises(LeakageError):
        backtest_escalation(curated, units=["ARM-AZE", "AZE-TUR"], panel=PeekingPanel,
                            models={"climatology": Climatology()})


def test_training_labels_are_what_was_known() -> None:
    history, _ = simulate_history(units=3, weeks=60, delay=10, seed=3)
    panel = Panel(history, history.units)
    at = history.first_day + pd.Timedelta(days=200)
    window = ([at - pd.Timedelta(days=7)], [at])
    assert panel.labels(*window, as_of=at).sum() == 0, "events of the last 10 days were not known yet"
    assert panel.labels(*window).sum() > 0


@pytest.mark.long  # slow (15-42 s): make test-long runs it
def test_calibrated_on_a_process_with_known_probabilities() -> None:
    """Issue target: calibration error <= 0.02 and Brier within 5% of the true-probability forecaster."""
    history, truth = simulate_history(units=60, weeks=208, seed=1)
    result = backtest_escalation(history, horizon_days=7, k=1, warmup_days=28,
                                 models={"climatology": Climatology(), "persistence": Persistence(),
                                         "boosted": GradientBoosting()})
    p = result.predictions[result.predictions.model == "boosted"]
    true = true_probability(truth, p.unit, p.origin)
    assert len(p) > 9000
    assert scores.calibration_error(p.p, p.hit) <= 0.02
    assert scores.brier(p.p, p.hit) <= 1.05 * scores.brier(true, p.hit)
    row = result.scores.set_index("model").loc["boosted"]
    assert row.skill_vs_climatology > 0.05 and row.skill_vs_persistence > 0.05


def test_counts_backtest_on_gdelt_georgia(caucasus_store: Store) -> None:
    history = load_history(caucasus_store, where=EventFilter(sources=("gdelt1",)), reported_within=1)
    result = backtest_counts(history, units=["GEO", "RUS", "USA", "ARM", "AZE"], horizons=(1, 3))
    table = result.scores.set_index(["horizon", "model"])
    assert set(table.index.get_level_values("model")) == {"zero", "last-value", "climatology", "negbin"}
    assert (table.crps > 0).all() and np.isclose(table.loc[(1, "zero"), "skill_vs_zero"], 0)
    negbin = table.loc[(1, "negbin")]
    assert negbin.skill_vs_zero > 0 and negbin["skill_vs_last-value"] > 0, "the count model beats the VIEWS benchmarks"


def test_alignment_intervals_widen_with_the_horizon(caucasus_store: Store) -> None:
    result = backtest_alignment(alignment_positions(caucasus_store, "RUS", "USA"))
    table = result.scores.set_index(["horizon", "model"])
    assert table.loc[(5, "persistence"), "mean_sd"] > 1.5 * table.loc[(1, "persistence"), "mean_sd"]
    assert 0.85 <= table.loc[(1, "persistence"), "coverage90"] <= 0.97
    assert table.loc[(1, "persistence"), "skill_vs_climatology"] > 0.3
