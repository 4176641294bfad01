"""Rolling-origin backtests of every conflict task on the real UCDP and COW data (1990–2024 origins).

    PYTHONPATH=src python bench/conflict_backtest.py [../shared/data]

Ingests ACD v25.1, BRD and the MID dyad-years into a scratch store, then prints per level, outcome and horizon
each model's Brier, log score, AUC-PR, skill against climatology and persistence, and the top-20 capture.
About 8 minutes on a shared 2-core machine.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

from geodrift.forecast.conflict_backtest import backtest_conflict
from geodrift.forecast.conflict_data import OUTCOMES, load_conflict_history
from geodrift.ingest import ingest_files
from geodrift.store import Store


def main(data: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "conflict.duckdb") as store:
        ingest_files(store, [data / "ucdp/ucdp_acd_v25_1_unnested.csv", data / "ucdp/ucdp-brd-dyadic-221.csv",
                             data / "cow-mid/cow_mid_dyad_year_peacesciencer.csv"])
        history = load_conflict_history(store)
    columns = ["model", "forecasts", "events", "brier", "log", "auc_pr", "skill_vs_climatology",
               "skill_vs_persistence", "calibration_error"]
    for level in ("country", "pair"):
        for outcome in OUTCOMES:
            for horizon in (1, 5):
                result = backtest_conflict(history, level=level, outcome=outcome, horizon=horizon)
                print(f"\n{level} {outcome}, {'next year' if horizon == 1 else 'within 5 years'}")
                print(result.scores[columns].round(4).to_string(index=False))
                if result.top is not None:
                    top = result.top.groupby("model", sort=False)[["events", "in_top", "onsets", "onsets_in_top"]].sum()
                    top["share"], top["onset_share"] = top.in_top / top.events, top.onsets_in_top / top.onsets
                    print(top.round(3).to_string())


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
