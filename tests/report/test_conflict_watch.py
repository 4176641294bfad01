"""Conflict risks of `geodrift risk` in the briefing's and the analysis' "What to watch", on the 2020 Caucasus
events plus the real UCDP v25.1 and COW MID files, read back from the rendered Markdown and JSON."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geodrift.cli import app
from geodrift.store import Store
from tests.conflict_risks import store_risks


@pytest.fixture(scope="module")
def watch_db(report_db: Path, shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report store with the conflict history and the risks for 2020 (as of 1 January 2020, so a briefing
    of July 2020 may show them), backtested from 2013 only to keep the test fast."""
    db = tmp_path_factory.mktemp("watch") / "watch.duckdb"
    shutil.copy(report_db, db)
    store_risks(db, shared, 2020, 2013)
    return db


def _watch(markdown: str) -> str:
    return markdown.split("## What to watch", 1)[1].split("\n## ", 1)[0]


def test_briefing_watches_the_members_conflict_risks(watch_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["brief", "--date", "2020-07-24", "--region", "caucasus", "--days", "14",
                                      "--out", str(tmp_path), "--formats", "md,json", "--db", str(watch_db)])
    assert result.exit_code == 0, result.output
    watch = _watch(next(tmp_path.glob("*.md")).read_text(encoding="utf-8"))
    for country in ("Armenia", "Azerbaijan", "Georgia"):
        assert f"{country}, conflict risk for 2020: armed conflict (25+ battle deaths a year) " in watch
    assert "by 2024" in watch and "war (1,000+)" in watch and "militarised interstate dispute" in watch
    assert "UCDP/PRIO armed conflicts v25.1 (to 2024)" in watch and "COW militarised interstate disputes (to 2014)" in watch
    assert "forecast for 2020 from the years to 2018, published by 1 January 2020" in watch
    assert "Brier skill against climatology / persistence" in watch and "armed conflict next year +" in watch
    assert "dispute within 5 years not yet scorable" in watch, "no five-year MID window from 2013 was published"
    document = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    section = next(s for s in document["sections"] if s["heading"] == "What to watch")
    texts = [i["text"] for i in section["items"]]
    assert sum("conflict risk for 2020" in t for t in texts) == len({"ARM", "AZE", "GEO", "RUS", "TUR"} & set(
        briefing_members())), texts


def briefing_members() -> tuple[str, ...]:
    from geodrift.codebooks import briefing_regions

    return tuple(briefing_regions()["caucasus"].members)


def test_analysis_watches_the_swing_state(watch_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", "AZE", "--poles", "RUS", "TUR", "--from", "2020-06-01", "--to",
                                      "2020-12-31", "--out", str(tmp_path), "--formats", "md", "--db", str(watch_db)])
    assert result.exit_code == 0, result.output
    watch = _watch(next(tmp_path.glob("*.md")).read_text(encoding="utf-8"))
    assert "Azerbaijan, conflict risk for 2020" in watch and "Armenia" not in watch
    assert "UCDP/PRIO armed conflicts v25.1 (to 2024)" in watch


def test_the_risks_page_lists_the_stored_risks_with_their_record(watch_db: Path) -> None:
    from fastapi.testclient import TestClient

    from geodrift.web.app import create_app
    from geodrift.web.config import ServeSettings

    with Store(watch_db) as store:
        page = TestClient(create_app(ServeSettings(db=str(watch_db)), store)).get("/risks")
    assert page.status_code == 200
    body = page.text
    assert "Syria" in body and "Azerbaijan" in body and "v25.1" in body
    assert body.index("Syria") < body.index("Georgia"), "most at risk of armed conflict first"
    assert "Backtest record" in body and "skill vs climatology" in body and '<a href="/risks">Risks</a>' in body
    assert body.index("Backtest record") < body.index("Syria"), "the record is read beside the risks, first"
    assert "beats both baselines" in body or "persistence better" in body
    # reader, 3 December: a war risk of 0.3% read "0%" (the briefings say "<1%": not impossible), and the record's
    # Brier skills read "+36%" where the briefings and the command say "+0.36"
    with Store(watch_db, read_only=True) as store:
        small = store.df("SELECT count(*) AS n FROM forecasts WHERE task IN ('conflict', 'war', 'dispute') "
                         "AND p > 0 AND p < 0.005").n[0]
    assert small > 0 and "<td>&lt;1%</td>" in body and "<td>0%</td>" not in body
    skills = re.findall(r"<td>logistic</td><td>([^<]*)</td><td>([^<]*)</td>", body)
    assert skills and all(re.fullmatch(r"[+-]\d\.\d\d|0\.00|n/a", s) for pair in skills for s in pair), skills


def test_the_risks_page_says_how_to_fill_it(report_db: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from geodrift.web.app import create_app
    from geodrift.web.config import ServeSettings

    db = tmp_path / "empty.duckdb"
    shutil.copy(report_db, db)
    with Store(db) as store:
        page = TestClient(create_app(ServeSettings(db=str(db)), store)).get("/risks")
    assert page.status_code == 200 and "No conflict risks are stored yet" in page.text


def test_a_briefing_after_the_year_shows_the_five_year_risks_still_open(watch_db: Path, tmp_path: Path) -> None:
    """In 2022 only the five-year forecasts made for 2020 (2020-2024) are open: they are shown with their horizon,
    where this crashed with KeyError 'p_conflict' (reader H1)."""
    result = CliRunner().invoke(app, ["brief", "--date", "2022-03-01", "--region", "caucasus", "--days", "14",
                                      "--out", str(tmp_path), "--formats", "md", "--db", str(watch_db)])
    assert result.exit_code == 0, result.output
    watch = _watch(next(tmp_path.glob("*.md")).read_text(encoding="utf-8"))
    assert "Azerbaijan, conflict risk within five years, 2020-2024 (the forecast for 2020 alone has closed): " \
           "armed conflict (25+ battle deaths a year) " in watch, watch
    assert "in 2020" not in watch, "the closed next-year forecast is not shown"
    result = CliRunner().invoke(app, ["analyze", "AZE", "--poles", "RUS", "TUR", "--from", "2022-01-01", "--to",
                                      "2022-12-31", "--out", str(tmp_path / "a"), "--formats", "md",
                                      "--db", str(watch_db)])
    assert result.exit_code == 0, result.output
    assert "Azerbaijan, conflict risk within five years, 2020-2024" in next(
        (tmp_path / "a").glob("*.md")).read_text(encoding="utf-8")


def test_dashboard_pages_after_the_year_render_the_open_risks(watch_db: Path) -> None:
    from fastapi.testclient import TestClient

    from geodrift.web.app import create_app
    from geodrift.web.config import ServeSettings

    with Store(watch_db) as store:
        client = TestClient(create_app(ServeSettings(db=str(watch_db)), store))
        home, briefing = client.get("/"), client.get("/briefings/2022-03-01")
    assert home.status_code == 200 and briefing.status_code == 200, (home.text[-300:], briefing.text[-300:])
    assert "conflict risk within five years, 2020-2024" in briefing.text
