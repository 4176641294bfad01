"""Rolling-origin backtests of every conflict task on the real UCDP and COW data (1990–2024 origins).

    PYTHONPATH=src python bench/conflict_backtest.py [../shared/data]

Ingests ACD v25.1, BRD and the MID dyad-years into a scratch store, then prints per level, outcome and horizon
each model's Brier, log score, AUC-PR, skill against climatology and persistence, calibration error and the
calibration per decile, the top-20 capture, and the battle-death distribution's pinball/CRPS scores; then the
time each took.

Targets (docs/methods.md, "Conflict forecasts"): the whole run under 10 minutes of CPU on 2 cores (3.8 min CPU,
8.8 min wall on a 2-core box shared by five other jobs, 1 December 2026; 2.5 min CPU before conflict.blend and the pair
battle deaths); a model with positive Brier skill against both baselines on every task (met on all twelve since
conflict.blend: pair conflict next year +2.8% and pair war +7.4% against persistence); calibration error <= 0.02 in
every decile bin of >= 50 forecasts (not met on any task: the worst decile of the best model runs 0.03-0.18).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from geodrift.forecast.conflict_backtest import DECILE_MIN, DECILE_TARGET, backtest_conflict
from geodrift.forecast.conflict_data import OUTCOMES, load_conflict_history
from geodrift.forecast.conflict_deaths import backtest_deaths
from geodrift.ingest import ingest_files
from geodrift.store import Store

COLUMNS = ["model", "forecasts", "events", "brier", "log", "auc_pr", "skill_vs_climatology", "skill_vs_persistence",
           "log_skill_vs_persistence", "calibration_error", "max_decile_error"]


def _deciles(reliability: dict[str, pd.DataFrame]) -> str:
    """Observed frequency per forecast decile bin, one line per model ('forecast→observed (n)'), bins of fewer than
    DECILE_MIN forecasts in brackets, a '!' after a counted bin whose error exceeds DECILE_TARGET."""
    lines = []
    for name, table in reliability.items():
        cells = []
        for f, o, n in zip(table.forecast, table.observed, table.n, strict=True):
            cell = f"{f:.2f}→{o:.2f}({n})"
            cells.append(f"[{cell}]" if n < DECILE_MIN else cell + ("!" if abs(f - o) > DECILE_TARGET else ""))
        lines.append(f"  {name:>12}: " + "  ".join(cells))
    return "\n".join(lines)


def _summary(table: pd.DataFrame, level: str, outcome: str, horizon: int) -> dict[str, object]:
    models = table[~table.model.isin(["climatology", "persistence"])]
    best = models.loc[models.brier.idxmin()]
    return {"task": f"{level} {outcome} h{horizon}", "best": best.model,
            "skill_vs_climatology": best.skill_vs_climatology, "skill_vs_persistence": best.skill_vs_persistence,
            "best_max_decile_error": best.max_decile_error,
            "worst_max_decile_error": f"{table.max_decile_error.max():.4f} ({table.model[table.max_decile_error.idxmax()]})",
            "over_target": ", ".join(table.model[table.max_decile_error > DECILE_TARGET]) or "-"}


def main(data: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "conflict.duckdb") as store:
        ingest_files(store, [data / "ucdp/ucdp_acd_v25_1_unnested.csv", data / "ucdp/ucdp-brd-dyadic-221.csv",
                             data / "cow-mid/cow_mid_dyad_year_peacesciencer.csv"])
        history = load_conflict_history(store)
    wall, cpu, timings, summary = time.perf_counter(), time.process_time(), [], []
    for level in ("country", "pair"):
        for outcome in OUTCOMES:
            for horizon in (1, 5):
                start = time.process_time()
                result = backtest_conflict(history, level=level, outcome=outcome, horizon=horizon)
                timings.append((f"{level} {outcome} h{horizon}", time.process_time() - start))
                summary.append(_summary(result.scores, level, outcome, horizon))
                print(f"\n{level} {outcome}, {'next year' if horizon == 1 else 'within 5 years'}")
                print(result.scores[COLUMNS].round(4).to_string(index=False))
                print(f"calibration per decile ([n < {DECILE_MIN}], ! error > {DECILE_TARGET}):\n"
                      + _deciles(result.reliability))
                if result.top is not None:
                    top = result.top.groupby("model", sort=False)[["events", "in_top", "onsets", "onsets_in_top"]].sum()
                    top["share"], top["onset_share"] = top.in_top / top.events, top.onsets_in_top / top.onsets
                    print(top.round(3).to_string())
    for level in ("country", "pair"):
        start = time.process_time()
        deaths = backtest_deaths(history, level=level)
        timings.append((f"{level} battle deaths", time.process_time() - start))
        print(f"\n{level} battle deaths, next year (pinball and CRPS on log(1 + deaths))")
        print(deaths.scores.round(4).to_string(index=False))
    print("\nper task: the best model by Brier against both baselines, and the largest decile calibration error "
          f"(bins of >= {DECILE_MIN} forecasts) of that model and of the worst model")
    print(pd.DataFrame(summary).round(4).to_string(index=False))
    print("\nCPU seconds per task: " + ", ".join(f"{name} {seconds:.0f}" for name, seconds in timings))
    total_cpu, total_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"total: {total_cpu / 60:.1f} min CPU, {total_wall / 60:.1f} min wall (target < 10 min on 2 cores); "
          f"ratio to the target {total_cpu / 600:.2f}")


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
