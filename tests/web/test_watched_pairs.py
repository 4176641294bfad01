"""The dashboard's briefing and ``geodrift brief`` watch the same forecasts: the dashboard and the CLI watched only the
pairs of the region's members (ARM-AZE, ARM-GEO, AZE-GEO) while the demo's briefing also showed each member's pairs
with Russia and Turkey, so one day's briefing showed fewer forecasts on the dashboard (report/forecasts.watched_units,
the one rule all of them call)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geodrift.codebooks import briefing_regions
from geodrift.report.forecasts import watched_units
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
from tests.test_cli import run

DAY = "2020-07-24"
PAIRS = ["ARM-AZE", "AZE-RUS", "AZE-TUR", "ARM-RUS", "GEO-RUS", "ARM-TUR", "AZE-IRN"]
"""Escalation forecasts stored as of DAY: member pairs, members with either pole, and Iran, a power of the region but
no pole of its alignment (not watched)."""
_PAIR = re.compile(r"Between ([A-Z][\w ]+?) and ([A-Z][\w ]+?): probability")


def test_a_region_watches_its_members_their_pairs_and_their_pairs_with_both_poles() -> None:
    caucasus = briefing_regions()["caucasus"]
    assert watched_units(caucasus) == ["ARM", "AZE", "GEO", "ARM-AZE", "ARM-GEO", "ARM-RUS", "ARM-TUR", "AZE-GEO",
                                       "AZE-RUS", "AZE-TUR", "GEO-RUS", "GEO-TUR"]


@pytest.fixture()
def db(report_db: Path, tmp_path: Path) -> Path:
    """The report store with a 30-day escalation forecast of each of PAIRS, made on DAY."""
    path = tmp_path / "watched.duckdb"
    shutil.copy(report_db, path)
    with Store(path) as store:
        for i, unit in enumerate(PAIRS):
            store.con.execute("INSERT INTO forecasts (issued_at, as_of, task, unit, horizon, horizon_unit, k, model, p) "
                              "VALUES (TIMESTAMP '2026-12-01 10:00', ?, 'escalation', ?, 30, 'days', 1, 'climatology', ?)",
                              [DAY, unit, 0.1 + i / 100])
    return path


def test_the_dashboard_and_the_cli_briefing_watch_the_same_pairs(db: Path, tmp_path: Path) -> None:
    result = run("brief", "--date", DAY, "--region", "caucasus", "--formats", "md", "--out", str(tmp_path), "--db",
                 str(db))
    assert result.returncode == 0, result.stderr
    cli = set(_PAIR.findall(next(tmp_path.glob("briefing_*.md")).read_text(encoding="utf-8")))
    with Store(db, read_only=True) as store:
        page = TestClient(create_app(ServeSettings(db=str(db)), store)).get(f"/briefings/{DAY}",
                                                                            params={"region": "caucasus"})
    assert page.status_code == 200
    assert set(_PAIR.findall(page.text)) == cli
    assert cli == {("Armenia", "Azerbaijan"), ("Azerbaijan", "Russia"), ("Azerbaijan", "Turkey"), ("Armenia", "Russia"),
                   ("Georgia", "Russia"), ("Armenia", "Turkey")}
