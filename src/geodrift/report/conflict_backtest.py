"""The conflict backtests as report sections (``geodrift backtest --task conflict``): per level, outcome and
horizon the scores of every model against climatology and persistence, where a baseline still wins, the
recalibrated models against their raw bases (overall and per period of origins), the calibration per decile, a
reliability diagram, the top-N hit rates, and the battle-death distribution's pinball/CRPS scores."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodrift.forecast.conflict_backtest import DECILE_MIN, DECILE_TARGET, ConflictBacktest
from geodrift.forecast.conflict_deaths import DeathsBacktest
from geodrift.report.charts import reliability_chart
from geodrift.report.document import Chart, Paragraph, Section, Table

BASELINES = ("climatology", "persistence")
OUTCOME_WORDS = {"conflict": "armed conflict (25+ battle deaths)", "war": "war (1,000+ battle deaths)",
                 "dispute": "militarised interstate dispute (COW MID)"}
SHOWN = {"model": "model", "forecasts": "n", "events": "events", "brier": "Brier", "log": "log score",
         "auc_pr": "AUC-PR", "skill_vs_climatology": "skill vs climatology",
         "skill_vs_persistence": "skill vs persistence", "calibration_error": "ECE",
         "max_decile_error": "worst decile"}
PERIOD_SHOWN = {"period": "origins", "model": "model", "forecasts": "n", "events": "events", "brier": "Brier",
                "log": "log score", "auc_pr": "AUC-PR", "skill_vs_climatology": "skill vs climatology",
                "skill_vs_persistence": "skill vs persistence", "max_decile_error": "worst decile"}


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def _table(caption: str, frame: pd.DataFrame, columns: dict[str, str]) -> Table:
    kept = [c for c in columns if c in frame]
    return Table(caption, [columns[c] for c in kept],
                 [[_cell(v) for v in row] for row in frame[kept].astype(object).to_numpy().tolist()])


def verdict(result: ConflictBacktest) -> str:
    """One sentence: the best model by Brier, its skill against both baselines, and which baseline still wins."""
    table = result.scores.set_index("model")
    models = table.drop(index=[b for b in BASELINES if b in table.index])
    window = "next year" if result.horizon == 1 else f"within {result.horizon} years"
    best = str(models.brier.idxmin())
    row = models.loc[best].to_dict()
    text = (f"{result.level.capitalize()} {OUTCOME_WORDS[result.outcome]}, {window}: the best model is {best} "
            f"(Brier {row['brier']:.4f}, AUC-PR {row['auc_pr']:.3f}; Brier skill {row['skill_vs_climatology']:+.1%} "
            f"against climatology and {row['skill_vs_persistence']:+.1%} against persistence, log-score skill "
            f"{row['log_skill_vs_persistence']:+.1%} against persistence) over {int(row['forecasts']):,} forecasts "
            f"with {int(row['events']):,} events.")
    beaten = [b for b in BASELINES if b in table.index and table.brier[b] < row["brier"]]
    if beaten:
        text += f" {' and '.join(beaten).capitalize()} still scores a better Brier than every model here."
    over = table[table.max_decile_error > DECILE_TARGET]
    text += (f" Calibration per decile (bins of ≥ {DECILE_MIN} forecasts): {best}'s largest error is "
             f"{row['max_decile_error']:.3f}; " + (
                 f"above the {DECILE_TARGET} target for {', '.join(f'{m} ({e:.3f})' for m, e in over.max_decile_error.items())}."
                 if len(over) else f"every model is within {DECILE_TARGET}."))
    if "chance_met" in row and row["chance_met"] == row["chance_met"]:
        text += (f" By chance alone a decile's observed frequency wanders by up to {row['decile_se']:.3f} (standard "
                 f"error clustered by {result.level}), so even a calibrated forecaster would keep every decile within "
                 f"{DECILE_TARGET} with probability {row['chance_met']:.0%}.")
    return text + recalibration_sentence(table)


def recalibration_sentence(table: pd.DataFrame) -> str:
    """How each recalibrated model ('<base>+platt') compares with its raw base: Brier skill and worst decile."""
    parts = []
    for name in (str(m) for m in table.index if "+" in str(m)):
        base = name.split("+")[0]
        if base not in table.index:
            continue
        raw, new = table.loc[base], table.loc[name]
        parts.append(f"{name}: Brier skill {new.skill_vs_climatology:+.1%} / {new.skill_vs_persistence:+.1%} "
                     f"against climatology / persistence (raw {raw.skill_vs_climatology:+.1%} / "
                     f"{raw.skill_vs_persistence:+.1%}), worst decile {new.max_decile_error:.3f} (raw "
                     f"{raw.max_decile_error:.3f})")
    return (" Recalibrated on earlier origins' out-of-sample forecasts only: " + "; ".join(parts) + ".") if parts else ""


def decile_tables(result: ConflictBacktest, per_table: int = 4) -> list[Table]:
    """Per decile (equal-count bins of each model's forecasts) and model: mean forecast → observed frequency, a bin
    of fewer than DECILE_MIN forecasts in brackets (not counted), '!' where a counted bin misses by more than
    DECILE_TARGET; ``per_table`` models a table, so a page holds it."""
    names = list(result.reliability)
    window = "next year" if result.horizon == 1 else f"within {result.horizon} years"
    sizes = sorted({int(n) for t in result.reliability.values() for n in t.n})
    tables = []
    for first in range(0, len(names), per_table):
        columns = names[first:first + per_table]
        rows = []
        for b in range(max(len(result.reliability[name]) for name in columns)):
            cells = [f"{b + 1}"]
            for name in columns:
                table = result.reliability[name]
                if b >= len(table):
                    cells.append("")
                    continue
                f, o, n = table.forecast[b], table.observed[b], int(table.n[b])
                cell = f"{f:.3f}→{o:.3f}"
                cells.append(f"[{cell} ({n})]" if n < DECILE_MIN else cell + (" !" if abs(f - o) > DECILE_TARGET else ""))
            rows.append(cells)
        title = f"Calibration per decile, {result.level} {result.outcome} {window}"
        caption = (f"{title}: each model's forecasts sorted "
                   f"and cut into ten equal-count bins (deciles; tied forecasts stay in one bin; {sizes[0]:,}–"
                   f"{sizes[-1]:,} forecasts a bin), mean forecast → observed frequency; [bins of fewer than "
                   f"{DECILE_MIN}] do not count, ! marks an error above {DECILE_TARGET} (the 'worst decile' of the "
                   "scores table)") if first == 0 else f"{title}, continued"
        tables.append(Table(caption, ["decile", *columns], rows))
    return tables


def period_table(result: ConflictBacktest) -> Table | None:
    """The recalibrated models and their raw bases per period of origins (the recalibration history, then decades)."""
    if result.periods is None:
        return None
    shown = {str(m) for m in result.periods.model if "+" in str(m)}
    shown |= {m.split("+")[0] for m in shown}
    if not shown:
        return None
    frame = result.periods[result.periods.model.isin(shown)]
    window = "next year" if result.horizon == 1 else f"within {result.horizon} years"
    return _table(f"Raw and recalibrated per period of origins, {result.level} {result.outcome} {window} (the first "
                  "period is the recalibration history before the scored origins, where variants were compared)",
                  frame, PERIOD_SHOWN)


def top_table(result: ConflictBacktest, n: int) -> Table | None:
    """Per model: the share of countries with the outcome, and of onsets, that were in each year's top ``n``."""
    if result.top is None:
        return None
    top = result.top.groupby("model", sort=False)[["events", "in_top", "onsets", "onsets_in_top"]].sum()
    top["share"], top["onset_share"] = top.in_top / top.events, top.onsets_in_top / top.onsets.where(top.onsets > 0)
    return _table(f"Top-{n} hit rates, summed over the origins (onsets: the outcome after a year without it)",
                  top.reset_index(), {"model": "model", "events": "country-years with the outcome",
                                      "in_top": f"in the top {n}", "share": "share", "onsets": "onsets",
                                      "onsets_in_top": f"onsets in the top {n}", "onset_share": "onset share"})


def conflict_sections(results: list[ConflictBacktest], deaths: DeathsBacktest | list[DeathsBacktest] | None,
                      out_dir: Path, *,
                      top_n: int = 20) -> list[Section]:
    """One section per level and outcome (both horizons), then one for battle deaths."""
    sections = []
    groups: dict[tuple[str, str], list[ConflictBacktest]] = {}
    for result in results:
        groups.setdefault((result.level, result.outcome), []).append(result)
    for (level, outcome), group in groups.items():
        section = Section(f"conflict — {level} {outcome}")
        for result in group:
            section.paragraphs.append(Paragraph(verdict(result)))
            origins = result.predictions.year
            window = "next year" if result.horizon == 1 else f"within {result.horizon} years"
            section.tables.append(_table(f"{level.capitalize()} {outcome}, {window}: origins {origins.min()}–"
                                         f"{origins.max()} (lower Brier and log score are better)",
                                         result.scores, SHOWN))
            top = top_table(result, top_n)
            if top is not None:
                section.tables.append(top)
            section.tables.extend(decile_tables(result))
            periods = period_table(result)
            if periods is not None:
                section.tables.append(periods)
            if result.horizon == 1 and result.reliability:
                path = reliability_chart(result.reliability, out_dir / f"conflict_{level}_{outcome}_reliability.png",
                                         title=f"Reliability: {level} {outcome}, next year")
                section.charts.append(Chart(f"Reliability diagram, {level} {outcome} next year", path,
                                            f"Reliability diagram, {level} {outcome} next year: observed frequency "
                                            "against mean forecast probability per decile (equal-count bin) of each "
                                            "model's forecasts."))
        sections.append(section)
    for death in [deaths] if isinstance(deaths, DeathsBacktest) else deaths or []:
        sections.append(deaths_section(death))
    return sections


def deaths_section(deaths: DeathsBacktest) -> Section:
    """The battle-death distribution's scores against climatology and persistence."""
    table = deaths.scores.set_index("model")
    hurdle = table.loc["hurdle"]
    years = deaths.quantiles.year
    unit = "country's" if deaths.level == "country" else "pair's (state against state)"
    section = Section(f"conflict — battle deaths per {deaths.level}, next year")
    section.paragraphs.append(Paragraph(
        f"A hurdle model (P(any battle deaths) × the distribution of deaths given deaths) forecasts 19 quantiles of "
        f"each {unit} UCDP battle deaths for origins {years.min()}–{years.max()}. Its CRPS on log(1 + deaths) is "
        f"{hurdle.crps:.3f} against {table.crps['climatology']:.3f} for climatology and "
        f"{table.crps['persistence']:.3f} for persistence (skill {hurdle.skill_vs_climatology:+.1%} and "
        f"{hurdle.skill_vs_persistence:+.1%}); its 10–90% interval held {hurdle.coverage_80:.0%} of the outcomes. On "
        f"the {hurdle.with_deaths:.0f} {deaths.level}-years with deaths its pinball loss is "
        f"{hurdle.pinball_with_deaths:.3f} against {table.pinball_with_deaths['persistence']:.3f} for persistence."))
    section.tables.append(_table("Pinball loss (mean over τ = 0.05..0.95) and CRPS ≈ 2 × pinball, on log(1 + deaths)",
                                 deaths.scores, {"model": "model", "forecasts": "forecasts",
                                                 "with_deaths": "with deaths", "pinball": "pinball", "crps": "CRPS",
                                                 "pinball_with_deaths": "pinball where deaths",
                                                 "coverage_80": "10–90% coverage",
                                                 "skill_vs_climatology": "skill vs climatology",
                                                 "skill_vs_persistence": "skill vs persistence"}))
    return section
