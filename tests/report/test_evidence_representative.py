"""The analysis's evidence weighs each cluster as the act the measures weigh: the store's representative report
(units_sql.collapse_sql through analytics.clusters.with_clusters), not a second copy of the rule over the reports
the analysis happened to read."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd

from geodrift.analytics.alignment import alignment_events
from geodrift.analytics.clusters import cluster_ids, with_clusters
from geodrift.codebooks import outlet_country
from geodrift.ingest import ingest_files
from geodrift.query import EventFilter
from geodrift.report.analysis import build_analysis
from geodrift.report.evidence import collapse
from geodrift.store import Store


def _reports(store: Store, read: EventFilter) -> pd.DataFrame:
    """The analysis's reports as build_analysis reads them, each with its cluster and representative."""
    events = alignment_events(store, "AZE", "RUS", "TUR", where=read)
    events["outlet_country"] = [outlet_country(o, u) for o, u in zip(events.outlet, events.source_url, strict=True)]
    return with_clusters(store, events, read)


def test_a_cluster_cut_by_the_range_is_weighed_as_the_weekly_alignment_weighs_it(report_store: Store) -> None:
    """From 2 July 2020 the month-only record of Russia's appeal to Azerbaijan (stored on 1 July, 039) is outside
    the range, but its cluster (first day 14 July) is read whole by the cluster-unit series: 039 told twice of three
    reports. The evidence used to recount the act from the two reports in range, a tie it gave to 0256."""
    read = EventFilter(start="2020-07-02", end="2020-08-01", unit="reports")
    clusters = collapse(_reports(report_store, read)).set_index("cluster_id")
    measured = alignment_events(report_store, "AZE", "RUS", "TUR", where=replace(read, unit="clusters"))
    of = cluster_ids(report_store, measured.event_id)
    weighed = {of[e]: (c, g) for e, c, g in zip(measured.event_id, measured.event_code, measured.goldstein, strict=True)}
    assert len(weighed) > 5
    assert {c: (r.event_code, r.goldstein) for c, r in clusters.iterrows() if c in weighed} == weighed
    cut = of["curated:28f7a57a5ea55541"]
    assert clusters.loc[cut, "event_code"] == "039" and clusters.loc[cut, "reports"] == 2
    assert clusters.loc[cut, "act_reports"] == 1


def test_leaving_a_countrys_outlets_out_keeps_each_clusters_act(report_store: Store) -> None:
    """9 November 2020: Azerbaijan admitted shooting down the Russian Mi-24 (015, five reports, two of them TASS's)
    and apologised (055, four). The balance of sources asks whether the conclusion holds without Russia's outlets;
    it used to recount the act from the remaining reports and weigh an apology to Russia (four to three) where the
    thesis and the measures weigh an admission."""
    read = EventFilter(start="2020-06-01", end="2021-01-01", unit="reports")
    events = _reports(report_store, read)
    cluster = cluster_ids(report_store, ["curated:250dc5509a92254d"])["curated:250dc5509a92254d"]
    rest = events[events.outlet_country.fillna("unknown") != "RUS"]
    told = rest[rest.cluster_id == cluster].event_code.value_counts()
    assert told["055"] > told["015"]  # the remaining reports tell the apology more often
    whole, without = (collapse(frame).set_index("cluster_id").loc[cluster] for frame in (events, rest))
    assert whole.event_code == without.event_code == "015" and whole.goldstein == without.goldstein
    assert without.reports == whole.reports - 2 and without.act_reports == whole.act_reports - 2


def test_the_source_balance_counts_a_site_once_not_each_page(store: Store, tmp_path: Path) -> None:
    """Two reports of one visit naming no outlet, two pages of one site: the balance counted each page's URL as an
    outlet ("from 2 outlets"); it counts outlets by the key every cluster's sources use (units_sql.OUTLET_KEY)."""
    visit = {"published": "2020-07-13", "language": "en", "event_date": "2020-07-12", "event_date_precision": "day",
             "plover": None, "claimed_by": None, "fatalities": None, "confidence": "high", "outlet": None,
             "actor1": {"name": "Azerbaijan", "iso3": "AZE", "role": "GOV"},
             "actor2": {"name": "Turkey", "iso3": "TUR", "role": "GOV"}, "cameo_code": "042", "quad_class": 1,
             "modality": "actual", "place": {"name": "Ankara", "iso3": "TUR", "adm1": None, "lat": None, "lon": None},
             "summary": "Azerbaijan's foreign minister visited Ankara on July 12"}
    path = tmp_path / "visit.jsonl"
    path.write_text("".join(json.dumps({**visit, "event_id": f"visit{i}", "article_id": f"page{i}", "url": url}) + "\n"
                            for i, url in enumerate(["https://news.example/visit", "https://news.example/ankara"])))
    ingest_files(store, [path])
    document = build_analysis(store, "AZE", "RUS", "TUR", "2020-07-01", "2020-08-01", tmp_path / "out")
    balance = next(s for s in document.sections if s.heading == "Source balance")
    assert balance.paragraphs[0].text.startswith("The 2 reports behind the alignment events come from 1 outlet based")
