"""Reader review M7: a development cites, for each of its events, a report from an outlet of known country when the
event has one, so the reader can weigh who says it; and the outlets the reader found most often without a country
(agency wires, national dailies) have one."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geodrift.analytics.salience import developments
from geodrift.codebooks import briefing_regions, outlet_country
from geodrift.query import EventFilter
from geodrift.registered import registered
from geodrift.store import Store
from geodrift.units_sql import OUTLET_KEY

CAUCASUS = briefing_regions()["caucasus"]


def test_frequent_wire_and_daily_outlets_have_a_country() -> None:
    assert {name: outlet_country(name) for name in (
        "Vietnam News Agency Bulletin", "PNA (Philippines News Agency)", "Central News Agency English News",
        "Korean Central News Agency", "Turan Information Agency (Azerbaijan)", "ARKA - News (Armenia)",
        "Prime-News (Georgia)", "washingtonpost.com", "president.az")} == {
        "Vietnam News Agency Bulletin": "VNM", "PNA (Philippines News Agency)": "PHL",
        "Central News Agency English News": "TWN", "Korean Central News Agency": "PRK",
        "Turan Information Agency (Azerbaijan)": "AZE", "ARKA - News (Armenia)": "ARM",
        "Prime-News (Georgia)": "GEO", "washingtonpost.com": "USA", "president.az": "AZE"}


def test_outlet_patterns_match_where_a_name_or_host_label_starts() -> None:
    """'rt.com' inside another host's name is not RT; a short agency name is not the start of another word."""
    hosts = ["chillreport.com", "www.rt.com", "efecto.com", "efe.com", "trendingnews.com", "trend.az",
             "sputniknews.com", "trtworld.com", "hina.hr"]
    assert {h: outlet_country(h, f"//{h}/") for h in hosts} == {
        "chillreport.com": None, "www.rt.com": "RUS", "efecto.com": None, "efe.com": "ESP",
        "trendingnews.com": None, "trend.az": "AZE", "sputniknews.com": "RUS", "trtworld.com": "TUR",
        "hina.hr": "HRV"}


def test_each_event_is_cited_by_a_report_of_known_country_when_it_has_one(report_store: Store) -> None:
    found = developments(report_store, CAUCASUS.countries, dt.date(2020, 9, 27), dt.date(2020, 11, 11),
                         members=CAUCASUS.members, baseline_days=90, where=EventFilter())
    cited = pd.DataFrame({"event_id": [e for ids in found.event_ids for e in ids]})
    with registered(report_store.con, "cited", cited):
        reports = report_store.con.execute(f"""
            SELECT c.cluster_id, e.event_id, {OUTLET_KEY} AS outlet, e.event_id IN (SELECT event_id FROM cited) AS cited
            FROM events AS e JOIN clusters AS c USING (event_id)
            WHERE c.cluster_id IN (SELECT cluster_id FROM clusters JOIN cited USING (event_id))
              AND coalesce(e.event_date_precision, 'day') = 'day'""").df()  # a report dated to its day comes first
    reports["known"] = reports.outlet.map(lambda o: outlet_country(o) is not None)
    by_cluster = reports.groupby("cluster_id").agg(any_known=("known", "any"))
    cited_known = reports[reports.cited].groupby("cluster_id").known.all()
    checked = by_cluster.join(cited_known.rename("cited_known"), how="inner")
    mixed = checked[checked.any_known]
    assert len(mixed) >= 10, checked
    assert mixed.cited_known.all(), reports[reports.cluster_id.isin(mixed.index[~mixed.cited_known])]
