"""forecast and backtest as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.test_cli import assert_one_line_error, invoke, run


@pytest.fixture(scope="module")
def db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The hand-coded 2020 events and the UN votes: a small store with every task's inputs."""
    from geodrift.analytics.unvotes import load_unvotes

    path = tmp_path_factory.mktemp("forecast") / "f.duckdb"
    with Store(path) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
        load_unvotes(store, shared / "unvotes", shared / "unga-idealpoints/IdealpointsJuly2025.csv")
    return str(path)


def test_forecast_escalation_and_save(db: str) -> None:
    result = run("forecast", "escalation", "ARM-AZE", "aze-tur", "--as-of", "2020-07-24", "--format", "json",
                 "--db", db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {(r["unit"], r["horizon"]) for r in rows} == {("ARM-AZE", 7), ("AZE-TUR", 7), ("ARM-AZE", 30),
                                                         ("AZE-TUR", 30)}
    assert all(0 < r["p"] < 1 and r["backtest_forecasts"] > 50 for r in rows)
    saved = run("forecast", "escalation", "ARM-AZE", "--as-of", "2020-07-24", "--days", "7", "--save", "--db", db)
    assert saved.returncode == 0, saved.stderr
    assert "stored 1 forecasts" in saved.stderr
    with duckdb.connect(db, read_only=True) as con:
        assert con.sql("SELECT count(*) FROM forecasts WHERE unit = 'ARM-AZE'").fetchall()[0][0] == 1
    out = Path(db).parent / "brief"
    brief = run("brief", "--date", "2020-07-24", "--days", "14", "--region", "ARM,AZE", "--formats", "md",
                "--out", str(out), "--db", db)
    assert brief.returncode == 0, brief.stderr
    watch = (out / "briefing_ARM-AZE_2020-07-24.md").read_text().split("## What to watch", 1)[1]
    assert "Between Armenia and Azerbaijan" in watch, "a region's pair forecasts are watched, not only its countries"


def test_forecast_alignment_table_and_report(db: str, tmp_path: Path) -> None:
    result = run("forecast", "alignment", "AZE", "GEO", "--poles", "RUS", "TUR", "--last-year", "2019", "--out",
                 str(tmp_path), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "P(>" in result.stdout and "AZE" in result.stdout and "GEO" in result.stdout
    assert len((tmp_path / "forecasts.csv").read_text().splitlines()) == 5  # 2 countries x 2 horizons + header
    html = (tmp_path / "forecasts.html").read_text()
    assert "Azerbaijan in 2024 (5 years after its last UN votes, of 2019)" in html and "data:image/png;base64," in html


def _backtest_every_task(db: str, folder: Path, *options: str) -> list[str]:
    result = run("backtest", "--out", str(folder), "--db", db, *options)
    assert result.returncode == 0, result.stderr
    summary = (folder / "summary.csv").read_text()
    for task in ("escalation 7d", "escalation 30d", "counts monthly", "alignment RUS-USA"):
        assert task in summary
    html = (folder / "backtest.html").read_text()
    assert html.count("data:image/png;base64,") >= 4 and "skill" in html
    assert (folder / "backtest.pdf").read_bytes().startswith(b"%PDF")
    assert list(folder.glob("*_predictions.csv.gz"))
    return next(folder.glob("escalation_7d_curated_country_per_unit.csv")).read_text().splitlines()


@pytest.mark.long  # slow (15-42 s): make test-long runs it
def test_backtest_runs_every_task_on_a_few_units(db: str, tmp_path: Path) -> None:
    per_country = _backtest_every_task(db, tmp_path, "--max-units", "3")
    assert per_country[0].startswith("unit,model,") and len(per_country) > 3


@pytest.mark.long
def test_backtest_with_no_options_runs_every_task(db: str, tmp_path: Path) -> None:
    """The whole store, every task (about 10 CPU-minutes on a busy 2-core machine: make test-long)."""
    per_country = _backtest_every_task(db, tmp_path)
    assert per_country[0].startswith("unit,model,") and len(per_country) > 10


@pytest.mark.parametrize(("args", "message"), [
    (["forecast", "escalation", "ARM-AZE", "--as-of", "2020-13-01"], "--as-of '2020-13-01' is not a date"),
    (["forecast", "escalation", "ARM-AZE", "ARM", "--as-of", "2020-07-24"], "either countries (ARM) or dyads"),
    (["forecast", "escalation", "ARM-AZE", "--as-of", "2010-01-01"], "nothing to forecast"),
    (["forecast", "escalation", "ARM-AZE", "--as-of", "2020-07-24", "--k", "0"], "--k must be at least 1"),
    (["forecast", "alignment", "XKX", "--poles", "RUS", "TUR"], "no UN ideal points for XKX"),
    (["backtest", "--task", "weather", "--out", "x"], "unknown task 'weather'"),
])
def test_user_mistakes(db: str, args: list[str], message: str) -> None:
    assert_one_line_error(invoke(*args, "--db", db), message)


@pytest.mark.long  # slow (15-42 s): make test-long runs it
def test_escalation_is_monotone_in_the_window_and_ignores_the_other_units(db: str) -> None:
    """P(>= k in 30 days) >= P(>= k in 7 days), since the 30 days hold the 7; and a unit's probability is the same
    asked alone or beside others (it once changed with the request: climatology was shrunk toward the request's
    own mean)."""
    from geodrift.forecast.tasks import forecast_escalation

    with Store(db, read_only=True) as store:
        alone = forecast_escalation(store, ["arm-aze"], as_of="2020-10-15", days=(7, 30, 90), source="curated")
        beside = forecast_escalation(store, ["AZE-TUR", "ARM-AZE", "RUS-TUR"], as_of="2020-10-15", days=(30, 7, 90),
                                     source="curated")
    for frame in (alone, beside):
        for _, group in frame.groupby("unit"):
            p = group.sort_values("horizon").p.to_numpy()
            assert (p[1:] >= p[:-1]).all(), group
    mine = beside[beside.unit == "ARM-AZE"].reset_index(drop=True)
    assert list(alone.horizon) == list(mine.horizon) == [7, 30, 90]
    assert alone.p.tolist() == mine.p.tolist()
    assert alone.model.tolist() == mine.model.tolist()


def test_training_pools_give_each_unit_outside_the_pool_its_own_fit() -> None:
    from geodrift.forecast.tasks import training_pools

    pool = ["ARM-AZE", "AZE-TUR"]
    assert training_pools(["AZE-TUR", "GEO-RUS", "ARM-AZE", "AZE-TUR"], pool) == [
        (pool, ["AZE-TUR", "ARM-AZE"]), ([*pool, "GEO-RUS"], ["GEO-RUS"])]


def test_forecast_counts_says_why_a_horizon_is_missing(db: str) -> None:
    result = run("forecast", "counts", "ARM", "AZE", "--as-of", "2020-04-01", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    horizons = {r["horizon"] for r in json.loads(result.stdout)}
    assert 12 not in horizons and 1 in horizons
    assert "note: 12 months ahead: not forecast: no backtest origin" in result.stderr


def test_the_default_source_is_the_one_covering_the_units_then(caucasus_store: Store) -> None:
    """GDELT-Georgia 2011-13 beside the curated 2020 set: pooled, GDELT's 100,000 reports chose the pool and the model
    of a 2020 forecast (every dyad about 5.5% the week before the war, review 7 H4); the default is the source with
    the most reports naming the units in the year before the as-of day."""
    from geodrift.forecast.source_choice import choose_source

    assert choose_source(caucasus_store, ["ARM-AZE", "AZE-TUR"], dt.date(2020, 9, 20), None).source == "curated"
    assert choose_source(caucasus_store, ["GEO", "RUS"], dt.date(2013, 5, 1), None).source == "gdelt1"
    assert choose_source(caucasus_store, ["ARM-AZE"], dt.date(2020, 9, 20), "all").source is None
    assert choose_source(caucasus_store, ["ARM-AZE"], dt.date(2010, 1, 1), None).source is None  # nothing named yet


def test_a_forecast_says_its_source_history_and_model_record(caucasus_db: Path) -> None:
    result = run("forecast", "escalation", "ARM-AZE", "--as-of", "2020-09-20", "--days", "7", "--format", "json",
                 "--db", str(caucasus_db))
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["p"] > 0.1, "the curated record of 2020 (the pooled default gave 0.056)"
    said = " ".join(result.stderr.split())
    assert "source: curated (the source with the most reports naming ARM-AZE in the 365 days before 2020-09-20" in said
    assert "note: trained on the curated events of " in said and "known before 20 September 2020" in said
    assert f"model at 7 days: {row['model']}, the best of the backtest on the curated events before" in said
    assert f"over {row['backtest_forecasts']:,} backtest forecasts" in said


def test_a_backfilled_archive_says_to_pass_reported_within(caucasus_db: Path) -> None:
    """GDELT 1.0 dates its 2011-13 events by the backfile of 2013: as of May 2013 no origin knew them; the error says
    so and what to pass (the README's example passes it)."""
    result = run("forecast", "counts", "GEO", "RUS", "--as-of", "2013-05-01", "--source", "gdelt1",
                 "--db", str(caucasus_db))
    assert_one_line_error(result, "no monthly origin had training data and a scored outcome: ")
    assert "days after they happened" in result.stderr and "--reported-within N" in result.stderr
