"""A briefing "as known on T" draws its chart from what was known on T (attack review 8, F7).

The developments and citations of an as-of briefing already read only reports known by T; its weekly chart, the
weeks it shades as no data and its note on events dated only to a month read the whole store, so a report published
after T moved a cluster into another week on the chart. The briefing of T as known on T must equal the one written
from a store holding only what was known on T.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geodrift.ingest import ingest_files
from geodrift.query import region
from geodrift.report.briefing import build_briefing
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT

CURATED = "caucasus-2020-events/events.jsonl"


@pytest.mark.parametrize("as_of", ["2020-07-20", "2020-11-05"])
def test_the_as_of_chart_is_the_chart_of_what_was_known(shared: Path, tmp_path: Path, as_of: str) -> None:
    day = dt.date.fromisoformat(as_of)
    whole = tmp_path / "whole.duckdb"
    with Store(whole) as store:
        ingest_files(store, [shared / CURATED])
        known = set(store.df(f"SELECT source_event_id FROM events WHERE CAST({KNOWN_AT} AS DATE) <= DATE '{as_of}'")
                    .source_event_id)
    lines = [line for line in (shared / CURATED).read_text(encoding="utf-8").splitlines()
             if json.loads(line)["event_id"] in known]
    (tmp_path / "known.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(tmp_path / "known.duckdb") as store:
        ingest_files(store, [tmp_path / "known.jsonl"])
    briefed = region("ARM,AZE")
    for unit in ("clusters", "reports"):
        alts = []
        for db in (whole, tmp_path / "known.duckdb"):
            with Store(db, read_only=True) as store:
                document = build_briefing(store, day, briefed, tmp_path / db.stem / unit, days=14, unit=unit,
                                          as_of=day)
            alts.append([chart.alt for section in document.sections for chart in section.charts])
        assert alts[0] and alts[0] == alts[1], unit
