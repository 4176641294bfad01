"""One rule in one place: a development is named after its cluster's representative as the store picks it for the
cluster read whole (analytics.clusters.representatives), not by a second copy of the rule over the reports a window
happens to read; and reading representatives within a date bound gives what reading the whole store gave."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from geodrift.analytics.clusters import representatives
from geodrift.codebooks import briefing_regions
from geodrift.query import ALL_MODALITIES, EventFilter
from geodrift.report.briefing import build_briefing
from geodrift.store import Store

CEASEFIRE = "curated:1291c9f5887c2698"
"""The 9-10 November 2020 Armenia-Azerbaijan ceasefire: one report of the signing (057) dated the 9th, then sixteen
of the 10th, most of them of the ceasefire (0871): its representative act is the ceasefire."""


def test_a_development_is_named_after_the_stores_representative(report_store: Store, tmp_path: Path) -> None:
    summary = report_store.df("SELECT root FROM cluster_summary WHERE cluster_id = ?", [CEASEFIRE])
    assert list(summary.root) == ["08"]
    # the one-day briefing of 9 November reads only the signing's report of that day; it named the development
    # after it ("engage in diplomatic cooperation", 05) while every measure weighs the cluster as a ceasefire
    document = build_briefing(report_store, dt.date(2020, 11, 9), briefing_regions()["caucasus"], tmp_path)
    rows = document.sections[1].tables[0].rows
    # the ceasefire is one occasion of Armenia, Azerbaijan and Russia (report/grouping.py, across pairs)
    # (columns: #, countries, CAMEO root, CAMEO code, modality, ...; a directed pair reads "ARM → AZE")
    pair = [r for r in rows if {"ARM", "AZE"} <= set(re.split(r"\s*[–→]\s*", r[1])) and r[4] == "actual"]
    assert any(r[2] == "08" for r in pair) and not any(r[2] == "05" for r in pair), rows


def test_bounded_representatives_are_the_whole_stores(report_store: Store) -> None:
    clusters = [c for (c,) in report_store.con.execute(
        "SELECT DISTINCT cluster_id FROM cluster_summary WHERE first_date BETWEEN DATE '2020-11-01' AND "
        "DATE '2020-11-15'").fetchall()]
    assert len(clusters) > 20
    every = EventFilter(modalities=ALL_MODALITIES)  # a cluster of denials has a representative too
    whole = representatives(report_store, clusters, every)
    bounded = representatives(report_store, clusters, every, (dt.date(2020, 11, 1), dt.date(2020, 11, 15)))
    assert whole.equals(bounded) and len(whole) == len(clusters)
