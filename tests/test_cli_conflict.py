"""What a user sees of the conflict history in the CLI: rows named for what they are, no dispute forecast without
COW data, the format name users type in error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geodrift.cli import app
from geodrift.store import Store


@pytest.fixture(scope="module")
def acd_only(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store holding UCDP ACD v25.1 and BRD, no COW file; the ingest output."""
    db = tmp_path_factory.mktemp("acd") / "acd.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(shared / "ucdp/ucdp_acd_v25_1_unnested.csv"),
                                      str(shared / "ucdp/ucdp-brd-dyadic-221.csv"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db, result.output


def test_ingest_counts_conflict_years_not_events(acd_only: tuple[Path, str]) -> None:
    output = " ".join(acd_only[1].split())
    assert "ucdp_acd_v25_1_unnested.csv: 2,752 conflict-years, 0 duplicates" in output
    assert "ucdp-brd-dyadic-221.csv: 1,403 dyad-years" in output
    assert "2 files ingested (2,752 conflict-years, 1,403 dyad-years, 0 rows quarantined)" in output
    assert "events" not in output


def test_risk_without_cow_data_has_no_dispute_forecast(acd_only: tuple[Path, str]) -> None:
    db = str(acd_only[0])
    table = CliRunner().invoke(app, ["risk", "--year", "2020", "--top", "3", "--no-record", "--db", db])
    assert table.exit_code == 0, table.output
    assert "no COW dispute data in the store" in table.output and "no data" in table.output
    assert "0.5" not in table.output, "never a coin flip for a task without data"
    rows = json.loads(CliRunner().invoke(app, ["risk", "--year", "2020", "--top", "3", "--no-record", "--db", db,
                                               "--format", "json"]).stdout)
    assert [r["p_dispute"] for r in rows] == [None, None, None] and all(r["p_conflict"] > 0.9 for r in rows)


def test_empty_store_error_names_the_format(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.duckdb"):
        pass
    result = CliRunner().invoke(app, ["risk", "--year", "2020", "--db", str(tmp_path / "empty.duckdb")])
    assert result.exit_code != 0
    assert "--format ucdp-acd" in result.output and "ucdp_acd" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.long  # every level, outcome and horizon: minutes on a busy 2-core machine
def test_backtest_task_conflict_writes_the_report(acd_only: tuple[Path, str], tmp_path: Path) -> None:
    out = tmp_path / "bt"
    result = CliRunner().invoke(app, ["backtest", "--task", "conflict", "--origins-from", "2019", "--out", str(out),
                                      "--db", str(acd_only[0])])
    assert result.exit_code == 0, result.output
    summary = (out / "summary.csv").read_text()
    assert "country conflict" in summary and "pair war" in summary and "country battle deaths" in summary
    assert "dispute" not in summary, "no COW file: no dispute task"
    html = (out / "backtest.html").read_text()
    assert "conflict — country conflict" in html and "Top-20 hit rates" in html and "CRPS" in html
    assert "skill vs persistence" in html and (out / "conflict_country_war_reliability.png").stat().st_size > 5000
    assert (out / "backtest.pdf").read_bytes().startswith(b"%PDF")
    bad = CliRunner().invoke(app, ["backtest", "--task", "conflicts", "--out", str(out), "--db", str(acd_only[0])])
    assert bad.exit_code == 1 and "use escalation, counts, alignment or conflict" in bad.output


def test_risk_says_where_its_history_ends_and_that_the_events_are_not_read(acd_only: tuple[Path, str], shared: Path,
                                                                            tmp_path: Path) -> None:
    """Review 7 M9: ARM's 2021 risk (2.2%) is blind to the 2020 war the store's own events hold; the output says the
    history ends in 2019 (release lag) and that the 2020 reports are not read."""
    import shutil

    from geodrift.ingest import ingest_files

    db = tmp_path / "with_events.duckdb"
    shutil.copy(acd_only[0], db)
    with Store(db) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
        reports = int(store.df("SELECT count(*) AS n FROM events WHERE year(event_date) = 2020").n.iloc[0])
    result = CliRunner().invoke(app, ["risk", "--year", "2021", "--top", "3", "--no-record", "--db", str(db)],
                                terminal_width=400)
    said = " ".join(result.output.split())
    assert result.exit_code == 0, said
    assert "the conflict history ends in 2019: a UCDP year is published the following summer" in said
    assert f"nothing of 2020 is seen: these models read UCDP, COW and UN votes only, not the event store " \
           f"({reports:,} reports dated 2020 there" in said
