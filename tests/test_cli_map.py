"""`geodrift map` counts what every other verb counts (clusters by default, `--unit reports` for the rows) and draws
its points over country borders shipped with geodrift (issue 15 reader: '21 located events' were 9 happenings, on a
bare longitude/latitude grid)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from geodrift.store import Store
from tests.test_cli import run

WAR = ("map", "ARM", "AZE", "--from", "2020-09-27", "--to", "2020-11-11")


@pytest.fixture(scope="module")
def db(caucasus_db: Path, caucasus_store: Store) -> str:
    return str(caucasus_db)


def test_map_counts_clusters_unless_asked_for_reports(db: str) -> None:
    clusters = json.loads(run(*WAR, "--format", "json", "--db", db).stdout)
    reports = json.loads(run(*WAR, "--unit", "reports", "--format", "json", "--db", db).stdout)
    assert len({r["event_id"] for r in clusters}) == len(clusters) < len(reports), (len(clusters), len(reports))
    assert all(r["reports"] == 1 for r in reports) and max(r["reports"] for r in clusters) > 1
    table = run(*WAR, "--db", db).stdout
    said = re.search(r"(\d+) located events \((\d+) reports\)", table)
    assert said and int(said.group(1)) == len(clusters), table
    assert f"{len(reports)} located reports" in run(*WAR, "--unit", "reports", "--db", db).stdout


def test_map_chart_draws_country_borders(db: str, tmp_path: Path) -> None:
    import matplotlib.image

    png, html = tmp_path / "map.png", tmp_path / "map.html"
    assert run(*WAR, "--db", db, "--chart", str(png)).returncode == 0
    pixels = matplotlib.image.imread(png)[..., :3]
    grey = np.all(np.abs(pixels - 0.6) < 0.08, axis=-1)  # the borders' #999999, antialiased
    assert grey.sum() > 2_000, grey.sum()
    assert run(*WAR, "--db", db, "--chart", str(html)).returncode == 0
    assert '"name":"borders"' in html.read_text(encoding="utf-8")


def test_places_read_cleanly_in_tables_and_stay_raw_in_json(db: str) -> None:
    day = ("map", "--country", "GEO", "--from", "2012-04-09", "--to", "2012-04-09", "--db", db)
    table = run(*day).stdout
    raw = {r["action_geo_name"] for r in json.loads(run(*day, "--format", "json").stdout)}
    assert "Tbilisi, Georgia (general), Georgia" in raw, raw
    assert "Tbilisi, Georgia " in table and "(general)" not in table, table
