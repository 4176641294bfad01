"""Forecast benchmark and validation.

1. A full monthly rolling backtest (counts, 1-12 months ahead, every model refitted at every origin) for
   200 countries over 10 simulated years, next to the same backtest with the baselines alone (issue 7:
   target under 5 minutes).
2. Calibration on simulated processes with known probabilities (forecast/simulate.py): calibration error
   and Brier against the true-probability forecaster, per model (targets: <= 0.02 and within 5%).
"""

from __future__ import annotations

import time

from geodrift.forecast import scores
from geodrift.forecast.backtest import backtest_counts, backtest_escalation, count_models, escalation_models
from geodrift.forecast.simulate import simulate_history, true_probability


def speed(units: int = 200, years: int = 10) -> None:
    history, _ = simulate_history(units=units, weeks=years * 52, log_mean=0.5, seed=11)
    print(f"forecast benchmark: monthly counts backtest, {units} simulated countries x {years} years "
          f"({int(history.counts.conflict.sum()):,} events), horizons 1-12")
    baselines = {k: v for k, v in count_models().items() if k != "negbin"}
    start = time.perf_counter()
    base = backtest_counts(history, models=baselines)
    t_base = time.perf_counter() - start
    start = time.perf_counter()
    full = backtest_counts(history)
    t_full = time.perf_counter() - start
    print(f"  baselines alone: {t_base:6.1f} s ({len(base.predictions):,} forecasts)")
    print(f"  all models:      {t_full:6.1f} s ({len(full.predictions):,} forecasts); ratio {t_full / t_base:.1f} "
          "(target: all models < 300 s)")
    table = full.scores[full.scores.horizon.isin([1, 6, 12])]
    print(table[["horizon", "model", "crps", "coverage90", "skill_vs_zero", "skill_vs_climatology"]]
          .to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def calibration(units: int = 100, weeks: int = 260) -> None:
    history, truth = simulate_history(units=units, weeks=weeks, seed=5)
    result = backtest_escalation(history, horizon_days=7, k=1, warmup_days=28, models=escalation_models(1))
    print(f"calibration on a simulated INGARCH process ({units} units x {weeks} weeks, P(>=1 event next week)):")
    first = result.predictions[result.predictions.model == "climatology"]
    true = true_probability(truth, first.unit, first.origin)
    truth_brier = scores.brier(true, first.hit)
    print(f"  {'true probabilities':<20} Brier {truth_brier:.4f}  calibration error "
          f"{scores.calibration_error(true, first.hit):.4f}")
    for name, group in result.predictions.groupby("model", sort=False):
        brier = scores.brier(group.p, group.hit)
        print(f"  {name:<20} Brier {brier:.4f} ({brier / truth_brier - 1:+.1%} vs truth)  calibration error "
              f"{scores.calibration_error(group.p, group.hit):.4f}")
    print("  targets: calibration error <= 0.02 and Brier within 5% of the true-probability forecaster")


def run() -> None:
    calibration()
    speed()


if __name__ == "__main__":
    run()
