"""The main job on the embedded default: the flagship case, from the reference data to the briefing and analysis.

Ingest the reference event files, code the seed article, load UN votes, then write the South Caucasus
briefing for late July 2020 and the analysis of Azerbaijan between Russia and Turkey in 2020.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from geodrift.analytics.alignment import alignment_series
from geodrift.analytics.dyads import dyad_quad_counts
from geodrift.analytics.unvotes import POSITION_SCALE, load_unvotes, unvote_alignment
from geodrift.cli_common import print_table
from geodrift.codebooks import briefing_regions
from geodrift.coding.articles import Article
from geodrift.csvsafe import to_csv
from geodrift.errors import InputError
from geodrift.events import shown_date
from geodrift.forecast.tasks import forecast_alignment, forecast_escalation
from geodrift.ingest import ingest_files
from geodrift.ingest_text import code_files
from geodrift.query import EventFilter
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.charts import series_chart
from geodrift.report.forecasts import stored_forecasts, watched_units
from geodrift.report.narrative import interval, percent, signed
from geodrift.report.render import write_document
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT

CAUCASUS = ["ARM", "AZE", "GEO", "RUS", "TUR"]
INPUTS = {
    "gdelt-v1-georgia-2011-2013": "*.csv.gz",
    "icews": "events.2018.sample.tab",
    "caucasus-2020-events": "events.jsonl",
}


def demo_inputs(data_dir: Path) -> list[Path]:
    """The reference files the demo ingests; a clear error naming what is missing."""
    missing = [name for name in INPUTS if not (data_dir / name).is_dir()]
    if missing:
        raise InputError(
            f"the demo needs the reference data folder with {', '.join(missing)} "
            f"(looked in {data_dir.resolve()}); set GEODRIFT_DATA=/path/to/shared/data or pass --data"
        )
    paths: list[Path] = []
    for name, pattern in INPUTS.items():
        found = sorted((data_dir / name).glob(pattern))
        if not found:
            raise InputError(f"{data_dir / name}: no files matching {pattern}")
        paths += found
    return paths


SEED_ROWS = 10
"""The seed article's events the demo prints; a longer list says how many it shows of how many."""
SEED_PUBLISHED = dt.date(2020, 7, 24)
"""The seed article carries no date; the issue places it in late July 2020 (after the 23 July drills)."""


def seed_article(article: Article) -> Article:
    """The seed article as the demo stores it: its file's URL and an outlet name, so its citations say where it is
    (and a later coding of it, by a newer build into the same folder, replaces this one: store_recode)."""
    return replace(article, url=article.url or Path(article.origin).resolve().as_uri(),
                   outlet=article.outlet or "seed article")


def code_seed(store: Store, seed_dir: Path, console: Console) -> None:
    """Code the seed article (../shared/seed) into the store and show its events."""
    coded = code_files([seed_dir], published=SEED_PUBLISHED, store=store, prepare=seed_article)
    rows = coded.events
    if not rows:
        console.print(f"no seed article found in {seed_dir}")
        return
    shown = f"{SEED_ROWS} shown of {len(rows)}, all in the store: source 'text'" if len(rows) > SEED_ROWS \
        else str(len(rows))
    table = Table(title=f"Events coded from the seed article ({shown}; published {SEED_PUBLISHED}, assumed)",
                  title_justify="left")
    for column in ("date", "actor", "code", "target", "modality", "place", "evidence"):  # "source" is a dataset here
        table.add_column(column)
    for row in rows[:SEED_ROWS]:
        table.add_row(shown_date(row["event_date"], row.get("event_date_precision")),
                      f"{row['actor1_country']} {row['actor1_role'] or ''}", row["event_code"],
                      f"{row['actor2_country'] or ''} {row['actor2_role'] or ''}", row["modality"],
                      row["action_geo_name"] or "", row["evidence_sentence"][:60] + "…")
    print_table(table, console)


def run_demo(data_dir: Path, out_dir: Path, console: Console) -> None:
    """Ingest the reference data into out_dir/geodrift.duckdb, code the seed article, print the summaries."""
    paths = demo_inputs(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "geodrift.duckdb"
    with Store(db) as store:
        results = ingest_files(store, paths)
        done = [r for r in results if r.status == "done"]
        console.print(
            f"ingested {len(done)} files ({sum(r.accepted for r in done):,} events), "
            f"{sum(r.status == 'skipped' for r in results)} already in the store"
        )
        code_seed(store, data_dir.parent / "seed", console)
        if (data_dir / "unvotes").is_dir():
            load_unvotes(store, data_dir / "unvotes", _published_ideal_points(data_dir))
        console.print(f"store holds {store.count_events():,} events")
        series = dyad_quad_counts(store, CAUCASUS, "month")
        outputs = [out_dir / "dyads_monthly.csv"]
        to_csv(series, outputs[0])
        _dyad_tables(series, console)
        outputs += _flagship(store, out_dir, console)
        _forecasts(store, console)
        reports = _reports(store, out_dir)
    console.print("wrote: " + ", ".join(str(p) for p in [db, *outputs]), soft_wrap=True)
    console.print("\n[bold]Reports[/] (open the .html files in a browser; .md, .pdf and .json say the same):")
    for label, paths in reports.items():
        console.print(f"  {label}:", soft_wrap=True)
        for path in paths:
            console.print(f"    {path}", soft_wrap=True, highlight=False)


BRIEF_DAY = dt.date(2020, 7, 24)
BRIEF_DAYS = 14
"""The demo briefs the fortnight to 24 July 2020: the Tovuz fighting, the Russian drills and the exercise announcement."""


def _forecasts(store: Store, console: Console) -> None:
    """Forecasts as of the briefing day, from the hand-coded events and the UN votes, stored for the reports."""
    region = briefing_regions()["caucasus"]
    pairs = ["ARM-AZE", "AZE-TUR", "ARM-RUS", "AZE-RUS", "ARM-TUR"]
    # Only pairs a report known before the day names: ARM-TUR's first curated report is published after it.
    known = set(store.df(f"""SELECT DISTINCT least(actor1_country, actor2_country) || '-' ||
                                 greatest(actor1_country, actor2_country) AS pair FROM events
                             WHERE source = 'curated' AND event_date < ? AND CAST({KNOWN_AT} AS DATE) < ?""",
                         [BRIEF_DAY, BRIEF_DAY]).pair)
    frames = [forecast_escalation(store, [p for p in pairs if p in known], as_of=BRIEF_DAY, source="curated")]
    if store.has_table("un_votes"):
        frames.append(forecast_alignment(store, list(region.members), ("RUS", "TUR"), last_year=BRIEF_DAY.year - 1))
    frame = pd.concat(frames, ignore_index=True)
    store.record_forecasts(pa.Table.from_pandas(frame, preserve_index=False))
    console.print(f"issued {len(frame)} forecasts as of {BRIEF_DAY} (escalation from the hand-coded events, "
                  "alignment from UN votes), each with its backtest record")
    escalation = frame[frame.task == "escalation"].drop_duplicates(["horizon", "model"])
    console.print("escalation models, each the best in a backtest on the curated events to "
                  f"{BRIEF_DAY} only (a daily `geodrift update` backtests every source to its day, so it may pick "
                  "another): " + "; ".join(f"{h} days {m} ({n} forecasts)" for h, m, n in zip(
                      escalation.horizon, escalation.model, escalation.backtest_forecasts, strict=True)), soft_wrap=True)


def _reports(store: Store, out_dir: Path) -> dict[str, list[Path]]:
    """The flagship briefing and analysis in every format, showing the stored forecasts."""
    region = briefing_regions()["caucasus"]
    watch = stored_forecasts(store, watched_units(region), BRIEF_DAY)
    briefing = build_briefing(store, BRIEF_DAY, region, out_dir / "briefing", days=BRIEF_DAYS, forecasts=watch,
                              as_of=BRIEF_DAY)
    analysis = build_analysis(store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1),
                              out_dir / "analysis",
                              forecasts=stored_forecasts(store, ["AZE", "AZE-TUR", "AZE-RUS"], BRIEF_DAY))
    return {
        f"South Caucasus briefing, {BRIEF_DAYS} days to {BRIEF_DAY:%d %B %Y} (ranked developments, flare-ups, "
        "alignment shifts, each item citing its sources)":
            write_document(briefing, out_dir / "briefing", f"briefing_caucasus_{BRIEF_DAY}"),
        "Azerbaijan between Russia and Turkey, June-December 2020 (thesis, drift test, timeline, evidence for "
        "and against, UN votes, source balance)":
            write_document(analysis, out_dir / "analysis", "analysis_AZE_RUS_TUR"),
    }


def _published_ideal_points(data_dir: Path) -> Path | None:
    path = data_dir / "unga-idealpoints" / "IdealpointsJuly2025.csv"
    return path if path.is_file() else None


def _dyad_tables(series: pd.DataFrame, console: Console) -> None:
    totals = series.groupby("dyad")[["q1", "q2", "q3", "q4", "events"]].sum().sort_values("events", ascending=False)
    table = Table(title="South Caucasus dyads, all months: events by quad class", title_justify="left")
    for column in ("dyad", "verbal coop", "material coop", "verbal conflict", "material conflict", "events"):
        table.add_column(column, justify="left" if column == "dyad" else "right")
    for dyad, row in totals.iterrows():
        table.add_row(str(dyad), *(f"{int(v):,}" for v in row))
    print_table(table, console)


def _flagship(store: Store, out_dir: Path, console: Console) -> list[Path]:
    """Azerbaijan between Russia and Turkey: events in the second half of 2020, and UN votes."""
    where = EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2021, 1, 1))
    frame = alignment_series(store, "AZE", "RUS", "TUR", where=where)
    table = Table(title="Flagship: Azerbaijan between Russia (-1) and Turkey (+1), hand-coded events, 2020 "
                        "(shrunken source-weighted Goldstein gap, 90% bootstrap interval)", title_justify="left")
    for column in ("month", "events with RUS", "events with TUR", "alignment", "interval"):
        table.add_column(column, justify="right")
    for record in frame.to_dict("records"):
        value = record["alignment"]
        known = isinstance(value, float) and value == value
        table.add_row(f"{record['period']:%Y-%m}", str(record["n_a"]), str(record["n_b"]),
                      signed(value) if known else "no events",
                      interval(record["lo"], record["hi"]) if known else "")
    print_table(table, console)
    written = [out_dir / "flagship_alignment.csv", out_dir / "flagship_alignment.png"]
    to_csv(frame, written[0])
    series_chart(frame, "alignment", written[1], lo="lo", hi="hi", ylabel="← RUS   alignment   TUR →",
                 title="Azerbaijan between Russia and Turkey, 2020 (hand-coded events)")
    if store.has_table("un_votes"):
        votes = unvote_alignment(store, "AZE", "RUS", "TUR", start=2012)
        last = {c: int(votes.year[votes[c].notna()].max()) for c in ("alignment", "alignment_published")
                if c in votes and votes[c].notna().any()}
        table = Table(title="The same question from UN General Assembly votes: position on the RUS (-1) to TUR (+1) "
                            f"ideal-point line (ours to {last.get('alignment', '-')}; Bailey-Strezhnev-Voeten's to "
                            f"{last.get('alignment_published', '-')}); position = {POSITION_SCALE}. Agreement counts "
                            "identical votes on every roll call; a position is read on the one line that divides the "
                            "roll calls most (mostly the West against the rest), where Azerbaijan lies on Russia's "
                            "side: a year can agree more often with Turkey yet lie nearer Russia", title_justify="left")
        for column in ("year", "agreement with RUS", "agreement with TUR", "position (ours)", "position (published)"):
            table.add_column(column, justify="right")
        for record in votes.to_dict("records"):
            table.add_row(str(record["year"]), _share(record.get("agreement_a")), _share(record.get("agreement_b")),
                          _fmt(record.get("alignment")), _fmt(record.get("alignment_published")))
        print_table(table, console)
        written.append(out_dir / "flagship_unvotes.csv")
        to_csv(votes, written[-1])
    return written


def _fmt(value: object) -> str:
    """A position as the analysis prints it: signed, 0.00 without a sign (narrative.signed); blank when unknown."""
    return signed(value) if isinstance(value, float) and value == value else ""


def _share(value: object) -> str:
    """An agreement rate as the analysis prints it ('71%'): a share of votes has no sign."""
    return percent(value) if isinstance(value, float) and value == value else ""
