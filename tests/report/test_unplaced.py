"""Reader M1 and undated records: a briefing over a window of days says which events it cannot place (dated only to
a month it does not wholly cover, or undated) instead of dropping them or counting them on their report's day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geodrift.analytics.listings import busiest_days
from geodrift.codebooks import briefing_regions
from geodrift.report.briefing import build_briefing
from geodrift.report.document import Document
from geodrift.store import Store

CAUCASUS = briefing_regions()["caucasus"]


def _precisions(store: Store, ids: list[str]) -> dict[str, str]:
    """Each cited report's cluster's precisions: 'unknown', 'month' or 'day' when any report of it is day-dated."""
    rows = store.con.execute(
        "SELECT w.event_id, list_distinct(list(coalesce(e.event_date_precision, 'day'))) FROM "
        "(SELECT unnest(?::VARCHAR[]) AS event_id) AS w LEFT JOIN clusters AS c USING (event_id) "
        "JOIN clusters AS m ON m.cluster_id = coalesce(c.cluster_id, w.event_id) JOIN events AS e "
        "ON e.event_id = m.event_id GROUP BY 1", [ids]).fetchall()
    return {e: "day" if "day" in p else p[0] for e, p in rows}


def _section(document: Document, heading: str):  # type: ignore[no-untyped-def]
    return next((s for s in document.sections if s.heading == heading), None)


def test_a_day_of_undated_reports_has_no_developments(report_store: Store, tmp_path: Path) -> None:
    # Human Rights Watch's report of 15 July 2021 on cluster munitions in the 2020 war: two undated records
    document = build_briefing(report_store, dt.date(2021, 7, 15), CAUCASUS, tmp_path)
    assert not _section(document, "Developments").items  # type: ignore[union-attr]
    apart = _section(document, "Not placed in this window")
    assert apart and len(apart.items) == 1 and apart.items[0].text.startswith("2 undated events were reported")
    assert [p.text.endswith("reported 15 Jul 2021, undated") for p in apart.items[0].parts] == [True, True]
    assert set(_precisions(report_store, apart.items[0].all_cites()).values()) == {"unknown"}
    assert "2 events the window cannot place" in document.sections[0].paragraphs[0].text
    # and the briefings index does not list the day as one with news
    days = busiest_days(report_store, CAUCASUS.members, limit=1000)
    assert dt.date(2021, 7, 15) not in set(days.day.map(lambda d: d.date() if hasattr(d, "date") else d))


def test_a_fortnight_says_which_events_of_its_month_it_cannot_place(report_store: Store, tmp_path: Path) -> None:
    document = build_briefing(report_store, dt.date(2020, 7, 24), CAUCASUS, tmp_path, days=14)
    apart = _section(document, "Not placed in this window")
    assert apart, [s.heading for s in document.sections]
    month = [p for p in apart.items if "dated only to July 2020 are not placed" in p.text]
    assert len(month) == 1 and len(month[0].parts) >= 5, [p.text for p in apart.items]
    assert set(_precisions(report_store, month[0].all_cites()).values()) == {"month"}
    listed = [e for p in _section(document, "Developments").items for e in p.cites]  # type: ignore[union-attr]
    assert listed and set(_precisions(report_store, listed).values()) == {"day"}


def test_a_window_covering_the_month_places_its_month_dated_events(report_store: Store, tmp_path: Path) -> None:
    document = build_briefing(report_store, dt.date(2020, 10, 31), CAUCASUS, tmp_path, days=31)
    texts = [p.text for p in _section(document, "Developments").items]  # type: ignore[union-attr]
    assert any(", October;" in t or "October to" in t for t in texts), texts
    apart = _section(document, "Not placed in this window")
    assert apart is None or all("undated" in p.text for p in apart.items), [p.text for p in apart.items]
