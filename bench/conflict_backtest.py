"""Rolling-origin backtests of every conflict task on the real UCDP and COW data (1990–2024 origins).

    PYTHONPATH=src python bench/conflict_backtest.py [../shared/data]

Ingests ACD v25.1, BRD and the MID dyad-years into a scratch store, then prints per level, outcome and horizon
each model's Brier, log score, AUC-PR, skill against climatology and persistence, calibration error, the
calibration per decile (equal-count bins of each model's forecasts) and its noise (the largest unit-clustered decile
standard error, the chance a calibrated forecaster keeps every decile within 0.02), the recalibrated models
(``+platt``; ``+horizon``, the variant chosen on 1965–1989: docs/methods.md, "Recalibration by horizon"; fitted at
each origin on earlier origins' resolved out-of-sample forecasts from 1965) against their raw bases per period of
origins (1965–1989, where variants were compared, then each decade), the top-20 capture, and the battle-death
distribution's pinball/CRPS scores; then the CPU time each took.

Targets (docs/methods.md, "Conflict forecasts"): the whole run under 10 minutes on 2 cores (7.6 min CPU, 20.4 min
wall on the 2-core box shared with four other jobs, 3 December 2026, with the shared features and fits; 11.2 min CPU
before, same forecasts; docs/methods.md, "Run time"); a model with positive Brier skill against both baselines on
every task (met by the raw models; ``+horizon`` loses to persistence on pair war within five years, -0.6%, ``+platt``
on pair war at both horizons); calibration error <= 0.02 in every decile of >= 50 forecasts (equal-count deciles: met
raw on 4 of 12 tasks, ``+horizon`` on 5, ``+platt`` on 3; on the country tasks a calibrated forecaster would meet it
with probability 0.00-0.51, the chance_met column). The full tables are in docs/methods.md.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from geodrift.forecast.conflict_backtest import DECILE_MIN, DECILE_TARGET, ConflictBacktest, backtest_conflict
from geodrift.forecast.conflict_data import OUTCOMES, load_conflict_history
from geodrift.forecast.conflict_deaths import backtest_deaths
from geodrift.ingest import ingest_files
from geodrift.store import Store

COLUMNS = ["model", "forecasts", "events", "brier", "log", "auc_pr", "skill_vs_climatology", "skill_vs_persistence",
           "log_skill_vs_persistence", "calibration_error", "max_decile_error", "decile_se", "chance_met"]
PERIOD_COLUMNS = ["period", "model", "forecasts", "events", "brier", "log", "auc_pr", "skill_vs_climatology",
                  "skill_vs_persistence", "max_decile_error"]


def _deciles(reliability: dict[str, pd.DataFrame]) -> str:
    """Observed frequency per decile of the forecasts, one line per model ('forecast→observed'), bins of fewer than
    DECILE_MIN forecasts in brackets, a '!' after a counted bin whose error exceeds DECILE_TARGET."""
    lines = []
    for name, table in reliability.items():
        cells = []
        for f, o, n in zip(table.forecast, table.observed, table.n, strict=True):
            cell = f"{f:.3f}→{o:.3f}"
            cells.append(f"[{cell}({n})]" if n < DECILE_MIN else cell + ("!" if abs(f - o) > DECILE_TARGET else " "))
        lines.append(f"  {name:>14} ({table.n.min()}-{table.n.max()} a bin): " + " ".join(cells))
    return "\n".join(lines)


def _summary(result: ConflictBacktest) -> list[dict[str, object]]:
    """Per recalibrated model: it and its raw base, over the scored origins and per period."""
    rows = []
    frames = [result.scores.assign(period="all scored"), result.periods]
    table = pd.concat([f for f in frames if f is not None], ignore_index=True)
    for name in (str(m) for m in result.scores.model if "+" in str(m)):
        base = name.split("+")[0]
        for period, group in table.groupby("period", sort=False):
            by = group.set_index("model")
            for model in (base, name):
                row = by.loc[model]
                rows.append({"task": f"{result.level} {result.outcome} h{result.horizon}", "period": period,
                             "model": model, "skill_clim": row.skill_vs_climatology,
                             "skill_pers": row.skill_vs_persistence, "log": row.log, "auc_pr": row.auc_pr,
                             "worst_decile": row.max_decile_error, "decile_se": row.decile_se,
                             "chance_met": row.chance_met,
                             "met": "-" if pd.isna(row.max_decile_error)
                             else "yes" if row.max_decile_error <= DECILE_TARGET else "no"})
    return rows


def main(data: Path) -> None:
    pd.set_option("display.width", 200)  # the tables are wide (also when bench/run.py calls this)
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
                summary.extend(_summary(result))
                print(f"\n{level} {outcome}, {'next year' if horizon == 1 else 'within 5 years'}")
                print(result.scores[COLUMNS].round(4).to_string(index=False))
                print(f"calibration per decile, equal-count bins ([n < {DECILE_MIN}], ! error > {DECILE_TARGET}):\n"
                      + _deciles(result.reliability))
                if result.periods is not None:
                    print("per period of origins:\n" + result.periods[PERIOD_COLUMNS].round(4).to_string(index=False))
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
    print("\nper task and period: each recalibrated model and its raw base, Brier skill against both baselines, log "
          f"score, AUC-PR and the worst decile error (equal-count deciles of >= {DECILE_MIN} forecasts; met: <= "
          f"{DECILE_TARGET})")
    print(pd.DataFrame(summary).round(4).to_string(index=False))
    print("\nCPU seconds per task: " + ", ".join(f"{name} {seconds:.0f}" for name, seconds in timings))
    total_cpu, total_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"total: {total_cpu / 60:.1f} min CPU, {total_wall / 60:.1f} min wall (target < 10 min on 2 cores); "
          f"ratio to the target {total_cpu / 600:.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
