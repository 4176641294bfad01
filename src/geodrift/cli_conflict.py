"""CLI verbs for the conflict history: ``geodrift risk`` (ranked conflict risks for a year, with drivers)."""

from __future__ import annotations

from typing import Annotated

import typer

from geodrift.cli_common import DbOption, FormatOption, emit, open_store, settings, user_errors
from geodrift.forecast.conflict_risk import conflict_risk

SHOWN = {"rank": "#", "unit": "unit", "name": "name", "p_conflict": "P(armed conflict)", "p_war": "P(war)",
         "p_dispute": "P(MID)", "in_conflict_last_known": "in conflict (last known)", "drivers": "main drivers"}


def risk(
    year: Annotated[int, typer.Option("--year", help="forecast year; uses data published by 1 January of it")],
    top: Annotated[int, typer.Option("--top", help="rows to show")] = 20,
    pairs: Annotated[bool, typer.Option("--pairs", help="pairs of countries with a shared history")] = False,
    model: Annotated[str, typer.Option("--model", help="conflict model (logistic, boosted, ...)")] = "logistic",
    record: Annotated[bool, typer.Option("--record/--no-record", help="add the model's backtest record")] = True,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Countries (or pairs) ranked by P(armed conflict) in YEAR, with P(war), P(dispute) and the main drivers."""
    with user_errors(), open_store(settings(db), read_only=True) as store:
        frame = conflict_risk(store, year, top=top, level="pair" if pairs else "country", model=model,
                              record=record)
        if fmt != "table":
            emit(frame, fmt)
            return
        shown = frame[list(SHOWN)].rename(columns=SHOWN).round(3)
        last = int(frame.data_through.iloc[0])
        title = f"Conflict risk {year} ({model}; UCDP/COW data through {last})"
        if record and "conflict_skill_vs_climatology" in frame:
            row = frame.iloc[0]
            title += (f" - backtest 1990-{year - 1}: Brier skill vs climatology {row.conflict_skill_vs_climatology:+.2f}"
                      f" (war {row.war_skill_vs_climatology:+.2f}), vs persistence"
                      f" {row.conflict_skill_vs_persistence:+.2f} (war {row.war_skill_vs_persistence:+.2f}),"
                      f" AUC-PR {row.conflict_auc_pr:.2f} (war {row.war_auc_pr:.2f})")
        emit(shown, fmt, title)


def register(app: typer.Typer) -> None:
    app.command("risk")(risk)
