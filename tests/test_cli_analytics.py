"""Analytics verbs as a user runs them, on a store built from the reference data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geodrift.store import Store
from tests.test_cli import assert_one_line_error, invoke, run


@pytest.fixture(scope="module")
def db(caucasus_db: Path, caucasus_store: Store) -> str:
    return str(caucasus_db)


def test_dyads_table_json_and_chart(db: str, tmp_path: Path) -> None:
    result = run("dyads", "ARM", "AZE", "--from", "2020-06-01", "--to", "2020-12-31", "--db", db,
                 "--chart", str(tmp_path / "d.png"))
    assert result.returncode == 0, result.stderr
    assert "2020-07-01" in result.stdout and (tmp_path / "d.png").stat().st_size > 10_000
    rows = json.loads(run("dyads", "ARM", "AZE", "--from", "2020-06-01", "--to", "2020-12-31", "--format", "json",
                          "--db", db).stdout)
    assert len(rows) == 7 and {"q4", "goldstein_mean", "share"} <= set(rows[0])


def test_alignment_from_events_and_unvotes(db: str, tmp_path: Path) -> None:
    result = run("alignment", "AZE", "--poles", "RUS", "TUR", "--from", "2020-06-01", "--to", "2020-12-31",
                 "--db", db, "--chart", str(tmp_path / "a.html"))
    assert result.returncode == 0, result.stderr
    assert "AZE between RUS (-1) and TUR (+1)" in result.stdout
    assert "plotly" in (tmp_path / "a.html").read_text()[:200_000].lower()
    un = run("alignment", "UKR", "--poles", "RUS", "USA", "--source", "unvotes", "--from", "1992-01-01",
             "--format", "csv", "--db", db)
    assert un.returncode == 0, un.stderr
    assert un.stdout.splitlines()[0].startswith("year,") and len(un.stdout.splitlines()) > 28


def test_drift_and_flareups(db: str, tmp_path: Path) -> None:
    drift = run("drift", "ARM", "AZE", "--freq", "week", "--db", db, "--chart", str(tmp_path / "c.svg"))
    assert drift.returncode == 0, drift.stderr
    assert "drift of the ARM–AZE dyad" in drift.stdout and (tmp_path / "c.svg").read_text().startswith("<?xml")
    flare = run("flareups", "ARM", "AZE", "--from", "2019-06-03", "--to", "2021-01-03", "--unit", "reports", "--db", db)
    assert flare.returncode == 0, flare.stderr
    assert "2020-07-06" in flare.stdout or "2020-06-29" in flare.stdout


def test_analytics_user_mistakes(db: str, tmp_path: Path) -> None:
    assert_one_line_error(invoke("dyads", "AZE", "XYZ", "--db", db), "unknown country or group 'XYZ'")
    assert_one_line_error(invoke("dyads", "AZE", "TUR", "--from", "2021-01-01", "--to", "2019-12-31", "--db", db),
                          "empty date range")
    assert_one_line_error(invoke("alignment", "AZE", "--db", db), "needs --poles")
    assert_one_line_error(invoke("drift", "AZE", "--db", db), "drift S --poles A B")
    assert_one_line_error(invoke("drift", "AZE", "TUR", "--from", "2020-07-01", "--to", "2020-07-31", "--db", db),
                          "needs at least")
    assert_one_line_error(invoke("dyads", "AZE", "TUR", "--db", db, "--chart", str(tmp_path / "x.gif")), "chart files end")
    assert_one_line_error(invoke("dyads", "AZE", "BRA", "--db", db), "no events between")


def test_matrix_and_map(db: str, tmp_path: Path) -> None:
    grid = run("matrix", "ARM,AZE,RUS,TUR", "--from", "2020-01-01", "--format", "json", "--db", db,
               "--chart", str(tmp_path / "m.png"))
    assert grid.returncode == 0, grid.stderr
    rows = {r["country"]: r for r in json.loads(grid.stdout)}
    assert rows["ARM"]["AZE"] == rows["AZE"]["ARM"] < 0 < rows["AZE"]["TUR"]
    assert (tmp_path / "m.png").stat().st_size > 10_000
    located = run("map", "ARM", "AZE", "--from", "2020-07-01", "--to", "2020-11-30", "--format", "csv", "--db", db,
                  "--chart", str(tmp_path / "map.html"))
    assert located.returncode == 0, located.stderr
    assert "Tovuz" in located.stdout and (tmp_path / "map.html").is_file()
    assert_one_line_error(run("map", "--db", db), "needs a dyad")


def test_alignment_leaves_the_mean_of_a_pole_without_events_blank(db: str) -> None:
    """Reader 3's M10: November 2020 showed "n_b 0, g_b 0.000", a mean Goldstein for no events."""
    import csv
    import io

    out = run("alignment", "AZE", "--poles", "RUS", "TUR", "--from", "2020-06-01", "--to", "2021-01-01",
              "--format", "csv", "--db", db)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    one_sided = [r for r in rows if (r["n_a"] == "0") != (r["n_b"] == "0")]
    assert one_sided, rows
    for row in rows:
        for pole in ("a", "b"):
            assert (row[f"g_{pole}"] == "") == (row[f"n_{pole}"] == "0"), row
