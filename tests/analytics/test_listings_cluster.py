"""An event page's cluster counts its reports and outlets as the cluster's summary does (/api/v1/clusters/{id}):
one normalisation of an outlet's name, so a page never says "from 2 outlets" of one site the API counts once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geodrift.analytics.clusters import cluster_with_reports
from geodrift.analytics.listings import event_cluster
from geodrift.ingest import ingest_files
from geodrift.store import Store

BASE = {"published": "2020-07-13", "language": "en", "event_date": "2020-07-12", "event_date_precision": "day",
        "plover": None, "claimed_by": None, "fatalities": None, "confidence": "high", "outlet": None,
        "actor1": {"name": "Armenian forces", "iso3": "ARM", "role": "MIL"},
        "actor2": {"name": "Azerbaijani forces", "iso3": "AZE", "role": "MIL"},
        "cameo_code": "190", "quad_class": 4, "modality": "actual",
        "place": {"name": "Tovuz", "iso3": "AZE", "adm1": None, "lat": None, "lon": None},
        "summary": "Armenian forces shelled positions in Tovuz district on July 12"}


def _shelling(store: Store, tmp_path: Path) -> None:
    """Three reports of the 12 July 2020 Tovuz shelling naming no outlet, two of them from one site, once on its
    port."""
    urls = ["http://news.example:8080/tovuz-shelling", "https://news.example/tovuz-clashes",
            "https://other.example/2020/07/12/tovuz"]
    path = tmp_path / "tovuz.jsonl"
    path.write_text("".join(json.dumps({**BASE, "event_id": f"tovuz{i}", "article_id": f"article{i}", "url": url})
                            + "\n" for i, url in enumerate(urls)))
    ingest_files(store, [path])


def test_a_site_served_on_its_port_is_one_outlet(store: Store, tmp_path: Path) -> None:
    """Two reports of the Tovuz shelling that name no outlet, from one site with and without its port: the summary
    keys outlets by the URL's host (units_sql.OUTLET_KEY), the page used to keep the port and count two."""
    _shelling(store, tmp_path)
    cluster = event_cluster(store, "curated:tovuz0")
    assert cluster is not None, "the three reports of one shelling are one cluster"
    found = cluster_with_reports(store, cluster["cluster_id"])
    assert found is not None
    summary, reports = found
    assert cluster["reports"] == summary["reports"] == len(reports) == 3
    assert sorted(r["event_id"] for r in cluster["listed"]) == sorted(reports.event_id)
    assert cluster["outlets"] == list(summary["outlets"]) == ["news.example", "other.example"]


def test_the_briefings_developments_count_that_site_once(store: Store, tmp_path: Path) -> None:
    """The briefing's developments count outlets by the same key (their ``sources``, "from N sources"): the page
    kept the port there too and counted the Tovuz shelling from 3 sources."""
    from geodrift.analytics.salience import developments

    _shelling(store, tmp_path)
    found = developments(store, ["ARM", "AZE"], dt.date(2020, 7, 12), dt.date(2020, 7, 13))
    assert len(found) == 1 and found.iloc[0].reports == 3
    assert found.iloc[0].sources == 2 and sorted(found.iloc[0].outlets) == ["news.example", "other.example"]
