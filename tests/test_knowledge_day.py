"""Knowledge time of a day-precision publication (attack review F14): GDELT 1.0's DATEADDED is a day, and its daily
file holds what was added all that day, so a report is known by the day's end, not its midnight; GDELT 2.0's
DATEADDED is to the second and known then.

The knowledge-time pattern (tests/forecast/test_knowledge_time.py): decide from the raw files alone which reports
had been published by each instant T, and require the store's rule (units_sql.KNOWN_AT) to give the same set, so no
as-of-T reading (a backtest, a briefing, a cluster's "first reported") uses a report published after T. Before,
GDELT 1.0 reports counted as known from 00:00 of their day: at 06:00 a reading saw reports the day's file added at
23:00."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geodrift.forecast.history import load_history
from geodrift.ingest import ingest_files
from geodrift.query import EventFilter
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT
from tests.gdelt_files import gdelt1_line, gdelt2_line, georgia_rows

DAY = "20120801"
STAMPS = ("000000", "091500", "234500")
"""GDELT 2.0 exports of DAY: midnight, morning, the last of the day."""


def _files(shared: Path, folder: Path) -> tuple[dict[str, dt.datetime], Path, Path]:
    """A GDELT 1.0 daily file and GDELT 2.0 exports of DAY from real rows, and for each report (by event id) the
    instant it was published, from the files themselves: a 1.0 row when its day's file is complete (the day's end),
    a 2.0 row at its DATEADDED; never before the day of its event."""
    located = [r for r in georgia_rows(shared, limit=400) if r["Actor1CountryCode"]][:12]  # a country's counts
    rows = [dict(r, SQLDATE=DAY, DATEADDED=DAY) for r in located]
    day_end = dt.datetime.strptime(DAY, "%Y%m%d") + dt.timedelta(days=1, seconds=-1)
    published = {f"gdelt1:{r['GLOBALEVENTID']}": day_end for r in rows[:6]}
    v1 = folder / f"{DAY}.export.CSV"
    v1.write_text("".join(gdelt1_line(r) + "\n" for r in rows[:6]), encoding="utf-8")
    v2 = folder / "v2"
    v2.mkdir()
    for n, stamp in enumerate(STAMPS):
        part = rows[6 + 2 * n: 8 + 2 * n]
        for r in part:
            published[f"gdelt2:{r['GLOBALEVENTID']}"] = dt.datetime.strptime(DAY + stamp, "%Y%m%d%H%M%S")
        (v2 / f"{DAY}{stamp}.export.CSV").write_text(
            "".join(gdelt2_line(dict(r, DATEADDED=DAY + stamp)) + "\n" for r in part), encoding="utf-8")
    return published, v1, v2


def test_a_report_dated_to_a_day_is_known_by_its_end(shared: Path, tmp_path: Path) -> None:
    published, v1, v2 = _files(shared, tmp_path)
    with Store() as store:
        ingest_files(store, [v1, *sorted(v2.iterdir())])
        known = dict(store.con.execute(f"SELECT event_id, {KNOWN_AT} FROM events").fetchall())
        assert set(known) == set(published)
        for at in ("00:00:00", "00:00:01", "06:00:00", "09:15:00", "23:45:00", "23:59:58", "23:59:59"):
            instant = dt.datetime.fromisoformat(f"2012-08-01T{at}")
            by_rule = {event for event, when in known.items() if when <= instant}
            by_files = {event for event, when in published.items() if when <= instant}
            assert by_rule == by_files, f"as of {instant}: {sorted(by_rule ^ by_files)} read as known wrongly"
        # A reading by day still sees the whole day's reports on that day, and none the day before.
        on_the_day = store.df("SELECT event_id FROM events WHERE "
                              + EventFilter(known_by=dt.date(2012, 8, 1)).where()).event_id
        assert set(on_the_day) == set(published)
        assert store.df("SELECT count(*) AS n FROM events WHERE "
                        + EventFilter(known_by=dt.date(2012, 7, 31)).where()).n[0] == 0
        # A forecast at the next day's start uses them all, one at the day's start none of them.
        history = load_history(store, level="country", where=EventFilter(unit="reports"))
        assert history.known_before(dt.datetime(2012, 8, 2)).counts.events.sum() > 0
        assert history.known_before(dt.datetime(2012, 8, 1)).counts.empty
