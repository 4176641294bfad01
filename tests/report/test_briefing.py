"""The briefing on the real 2020 Caucasus events: ranking, flare-ups, citations that resolve to stored events."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from geodrift.codebooks import briefing_regions
from geodrift.errors import InputError
from geodrift.report.briefing import build_briefing
from geodrift.store import Store

CAUCASUS = briefing_regions()["caucasus"]


@pytest.fixture(scope="module")
def briefing(report_store: Store, tmp_path_factory: pytest.TempPathFactory):
    return build_briefing(report_store, dt.date(2020, 7, 24), CAUCASUS, tmp_path_factory.mktemp("b"), days=14)


def test_sections_in_reading_order(briefing) -> None:
    assert [s.heading for s in briefing.sections] == ["Summary", "Developments", "Flare-ups", "Alignment shifts",
                                                      "What to watch", "Not placed in this window"]


def test_the_tovuz_fighting_ranks_first(briefing) -> None:
    top = briefing.sections[1].items[0]
    assert top.text.startswith("Armenia and Azerbaijan: fight")
    assert "Tovuz" in top.text or "border" in top.text
    # one citation per distinct event (cluster), not five reports of the same clash (issue 15)
    assert 3 <= len(top.cites) <= 5
    # (its assaults of the next day merged with it: one family of acts on adjacent days, report/grouping.py)
    assert re.search(r"\d+ events \(\d+ reports( over \d+ days)?\)", top.text), top.text


def test_the_tovuz_fighting_is_a_flare_up_by_clashes_and_by_reports(briefing, report_store: Store,
                                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    """The reader's H1: the demo briefing said "No flare-up" beside a chart going from 0 a week to 1, 3, 2. By clash
    the week of 13 July holds three distinct days of fighting against a baseline of the weeks the store holds any
    event for (weeks with no record are no baseline); by report the week of 6 July is one too."""
    items = briefing.sections[2].items
    assert any("between Armenia and Azerbaijan: 3 material-conflict events in the week of 13 July 2020" in p.text
               for p in items), [p.text for p in briefing.sections[2].paragraphs]
    assert not briefing.sections[2].paragraphs  # no "No flare-up" beside a flagged week
    by_reports = build_briefing(report_store, dt.date(2020, 7, 24), CAUCASUS, tmp_path_factory.mktemp("r"), days=14,
                                unit="reports")
    assert any("between Armenia and Azerbaijan" in p.text and "06 July 2020" in p.text
               for p in by_reports.sections[2].items)


def test_a_briefing_past_the_data_makes_no_negative_finding(report_store: Store, tmp_path: Path) -> None:
    """The reader's M15: a briefing dated after the store's last event said "No flare-up" and "No significant
    shift"; it says the store holds no events then, and when the last one is."""
    last = report_store.df("SELECT max(event_date) AS d FROM events").d.iloc[0]
    document = build_briefing(report_store, dt.date(2030, 1, 1), CAUCASUS, tmp_path)
    flare, shifts = (" ".join(p.text for p in s.paragraphs) for s in document.sections[2:4])
    assert flare.startswith("Flare-ups cannot be assessed: the store holds no events on or after 01 January 2030")
    assert shifts.startswith("Alignment shifts cannot be assessed: the store holds no events on or after 01 July 2029")
    assert f"its last event is dated {last:%d %B %Y}" in flare and "No flare-up" not in flare
    assert "No significant shift" not in shifts


def test_every_citation_resolves_to_a_stored_event(briefing, report_store: Store) -> None:
    cited = briefing.cited_ids()
    assert len(cited) >= 15  # 19 since items telling one happening are grouped (report/grouping.py); 20+ before
    assert cited == set(briefing.citations)
    stored = set(report_store.df("SELECT event_id FROM events").event_id)
    assert cited <= stored
    with_url = [c for c in briefing.citations.values() if c.url]
    assert len(with_url) >= len(cited) - 3


def test_an_empty_day_says_so(report_store: Store, tmp_path: Path) -> None:
    document = build_briefing(report_store, dt.date(2019, 3, 3), CAUCASUS, tmp_path)
    assert "No events among Armenia, Azerbaijan and Georgia" in document.sections[0].paragraphs[0].text
    assert not document.cited_ids()


def test_days_must_be_positive(report_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--days"):
        build_briefing(report_store, dt.date(2020, 7, 24), CAUCASUS, tmp_path, days=0)


def test_a_forecast_stored_without_a_backtest_record_is_still_watched() -> None:
    """Found by the clean-clone run: a stored escalation forecast with no backtest count broke the analysis page."""
    import pandas as pd

    from geodrift.report.briefing import forecast_items
    from geodrift.report.narrative import TemplateNarrator

    stored = pd.DataFrame([{"task": "escalation", "unit": "ARM-AZE", "k": None, "horizon": 7, "p": 0.22,
                            "model": "climatology", "skill_climatology": None, "skill_persistence": None,
                            "backtest_forecasts": None, "as_of": pd.Timestamp("2020-07-24")}])
    (item,) = forecast_items(stored, TemplateNarrator())
    assert "Armenia and Azerbaijan" in item.text and "22%" in item.text


def test_a_development_known_only_to_its_month_is_dated_by_the_month(report_store: Store, tmp_path: Path) -> None:
    """A cluster whose reports give only a month ("in July") is stored on the 1st; the development says "July", as
    its citation says "2020-07", not "01 Jul" (a reviewer's finding on the July 2020 briefing)."""
    from geodrift.analytics.salience import developments
    from geodrift.report.briefing import development_text
    from geodrift.report.narrative import TemplateNarrator

    found = developments(report_store, CAUCASUS.countries, dt.date(2020, 7, 1), dt.date(2020, 8, 1),
                         members=CAUCASUS.members)
    vague = found[found.first_month_only & found.last_month_only]
    assert len(vague), "expected a development of month-only records in July 2020"
    assert all(d.day == 1 for d in vague.first_date)
    text = development_text(next(vague.itertuples()), TemplateNarrator())
    assert ", July;" in text and "01 Jul" not in text
    dated = found[~found.first_month_only].iloc[0]
    assert f"{dated.first_date:%d %b}" in development_text(dated, TemplateNarrator())
