"""A report dated only to a month is in no day or week of it: daily and weekly dyad series leave it out of their
periods and count it apart (reader M6: `geodrift dyads ARM AZE --freq week` put July's month-dated reports in the week
of 29 June), from the rollups, from the reports as read, and in a store migrated from schema 15."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geodrift.analytics.dyads import dyad_series, dyad_undated
from geodrift.ingest import ingest_files
from geodrift.query import EventFilter
from geodrift.store import Store
from tests.test_cli import run


def _record(event_id: str, day: str, precision: str, outlet: str, summary: str, code: str = "190") -> dict[str, object]:
    return {"article_id": event_id[:12], "url": f"https://{outlet}/{event_id}", "outlet": outlet,
            "published": "2020-09-30", "language": "en", "event_date": day, "event_date_precision": precision,
            "actor1": {"name": "Armenian armed forces", "iso3": "ARM", "role": "MIL"},
            "actor2": {"name": "Azerbaijani armed forces", "iso3": "AZE", "role": "MIL"}, "cameo_code": code,
            "plover": "ASSAULT" if code == "190" else "CONSULT", "quad_class": 4 if code == "190" else 1,
            "modality": "actual", "claimed_by": "AZE", "place": None,
            "fatalities": None, "summary": summary, "confidence": "high", "event_id": event_id}


@pytest.fixture()
def pair(tmp_path: Path) -> Path:
    """A report of shelling in September 2020 without its day, and one of talks on 15 September (two events)."""
    path = tmp_path / "september.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (
        _record("a1b2c3d4e5f60718", "2020-09", "month", "news.am",
                "Armenian forces shelled Azerbaijani positions several times in September."),
        _record("0f1e2d3c4b5a6978", "2020-09-15", "day", "apa.az",
                "Armenian and Azerbaijani military commanders met at the border on 15 September.", "040"))) + "\n")
    return path


def _weekly(store: Store, unit: str, **extra: object) -> pd.Series:
    where = EventFilter(start=pd.Timestamp("2020-08-31").date(), end=pd.Timestamp("2020-10-01").date(), unit=unit,
                        **extra)  # type: ignore[arg-type]
    frame = dyad_series(store, "ARM", "AZE", freq="week", where=where)
    return frame.set_index(frame.period.dt.strftime("%Y-%m-%d")).events


@pytest.mark.parametrize("unit", ["clusters", "reports"])
@pytest.mark.parametrize("extra", [{}, {"roles": ("MIL",)}], ids=["rollups", "as read"])
def test_a_month_dated_report_is_in_no_week(pair: Path, tmp_path: Path, unit: str, extra: dict[str, object]) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        ingest_files(store, [pair])
        weeks = _weekly(store, unit, **extra)
        assert weeks.to_dict() == {"2020-08-31": 0, "2020-09-07": 0, "2020-09-14": 1, "2020-09-21": 0, "2020-09-28": 0}
        where = EventFilter(start=pd.Timestamp("2020-08-31").date(), end=pd.Timestamp("2020-10-01").date(), unit=unit,
                            **extra)  # type: ignore[arg-type]
        apart = dyad_undated(store, "ARM", "AZE", freq="week", where=where)
        assert apart.assign(period=apart.period.dt.strftime("%Y-%m-%d")).to_dict("records") == [
            {"period": "2020-09-01", "dated": "month", "events": 1, "weight": 1.0, "conflict_events": 1}]
        monthly = dyad_series(store, "ARM", "AZE", freq="month", where=where)
        assert list(monthly.events) == [0, 2], "a month holds its month-dated report"
        assert dyad_undated(store, "ARM", "AZE", freq="month", where=where).empty


def test_a_store_of_schema_15_is_migrated_to_dated_rollups(pair: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        ingest_files(store, [pair])
        # What schema 15 kept: rollups without the precision of their day.
        for table in ("dyad_days", "country_days", "dyad_months", "country_months"):
            for prefix in ("", "cluster_"):
                store.con.execute(f"ALTER TABLE {prefix}{table} DROP COLUMN dated")
        store.con.execute("ALTER TABLE cluster_units DROP COLUMN event_date_precision")
        store.con.execute("ALTER TABLE forecasts DROP COLUMN backtest_data")
        store.con.execute("UPDATE meta SET value = '15' WHERE key = 'schema_version'")
    with Store(db) as store:
        for unit in ("clusters", "reports"):
            assert _weekly(store, unit).to_dict()["2020-08-31"] == 0 and _weekly(store, unit).sum() == 1, unit
        assert store.df("SELECT dated, sum(events) AS n FROM cluster_dyad_months GROUP BY 1 ORDER BY 1"
                        ).values.tolist() == [["day", 1], ["month", 1]]


def test_the_cli_says_what_it_counted_apart(pair: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        ingest_files(store, [pair])
    asked = ("dyads", "ARM", "AZE", "--from", "2020-08-31", "--to", "2020-09-30", "--freq", "week", "--db", str(db))
    table = run(*asked)
    assert table.returncode == 0, table.stderr
    said = "1 event dated only to a month is in no week of this series, counted apart: September 2020: 1"
    assert said in table.stdout
    as_json = run(*asked, "--format", "json")
    assert [r["events"] for r in json.loads(as_json.stdout)] == [0, 0, 1, 0, 0] and said in as_json.stderr
    monthly = run(*asked[:-4], "--db", str(db))
    assert "counted apart" not in monthly.stdout + monthly.stderr
