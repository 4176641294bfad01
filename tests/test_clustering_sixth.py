"""Event clusters, the sixth rule's steps (docs/methods.md, "Event clusters"), each with hand-made cases of both kinds:
an arrival told beside a record that names no day; one GDELT document's rows with varied roles on two days, or
geocoded to two places."""

from __future__ import annotations

from pathlib import Path

from geodrift.clustering import rebuild_clusters
from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.test_clustering import clustered, record, same
from tests.test_clustering_sources import gdelt_doc_rows, ingested

AZERBAIJAN = {"name": "Azerbaijan", "iso3": "AZE"}
ABKHAZIA = "Abkhazia, Abkhazia**, Georgia|GG02"


def test_an_arrival_beside_a_record_naming_no_day_joins_it(tmp_path: Path) -> None:
    """Turkish troops that "arrived in Azerbaijan by July 30" (a deadline: the record carries its page's day) and the
    F-16s that arrived "on Friday, July 31" for the same drills are one deployment. Two arrivals whose records both
    name their day (30 and 31 July) stay two, and so does an arrival a week later."""
    found = clustered(tmp_path, [
        record("troops", "2020-07-30", "TUR", "AZE", "062", place=AZERBAIJAN, outlet="iswnews.com",
               summary="Turkish soldiers and hardware arrived in Azerbaijan by July 30 for a joint exercise."),
        record("jets", "2020-07-31", "TUR", "AZE", "062", place=AZERBAIJAN, outlet="defence-blog.com",
               summary="Turkish F-16 jets arrived on Friday, July 31, to join the joint exercise."),
        record("later", "2020-08-07", "TUR", "AZE", "062", place=AZERBAIJAN, outlet="defence-blog.com",
               summary="Turkish tanks arrived on August 7 for the exercise's second stage."),
    ])
    assert same(found, "troops", "jets") and found["later"] != found["jets"]
    named = tmp_path / "named"
    named.mkdir()
    found = clustered(named, [
        record("troops", "2020-07-30", "TUR", "AZE", "062", place=AZERBAIJAN, outlet="iswnews.com",
               summary="Turkish soldiers and hardware arrived in Azerbaijan on July 30 for a joint exercise."),
        record("jets", "2020-07-31", "TUR", "AZE", "062", place=AZERBAIJAN, outlet="defence-blog.com",
               summary="Turkish F-16 jets arrived on Friday, July 31, to join the joint exercise."),
    ])
    assert found["troops"] != found["jets"]


def test_one_gdelt_document_s_rows_with_varied_roles_on_two_days_are_one(shared: Path, tmp_path: Path) -> None:
    """GDELT 1.0 codes one document set (one AvgTone) as Baku's negotiation with the Azerbaijani government on 7 August
    2012 and Hasanov's with Sharifov (government on both sides) on the 8th: one meeting. Two other documents, one on each
    day (police and government, government and legislature), stay apart from it and from each other."""
    found = ingested(tmp_path, "20120808.export.CSV", gdelt_doc_rows(shared, [
        {"id": "1", "a1": "AZE", "a2": "AZE", "r2": "GOV", "code": "046", "tone": "3.784", "articles": "4",
         "day": "20120807"},
        {"id": "2", "a1": "AZE", "a2": "AZE", "r1": "GOV", "r2": "GOV", "code": "046", "tone": "3.784",
         "articles": "4", "day": "20120808"},
        {"id": "3", "a1": "AZE", "a2": "AZE", "r1": "COP", "r2": "GOV", "code": "046", "tone": "1.5", "day": "20120807"},
        {"id": "4", "a1": "AZE", "a2": "AZE", "r1": "GOV", "r2": "LEG", "code": "046", "tone": "2.25",
         "day": "20120808"},
    ], version=1))
    assert same(found, "1", "2")
    assert len({found["1"], found["3"], found["4"]}) == 3


def test_one_gdelt_document_geocoded_to_two_places_is_one(shared: Path, tmp_path: Path) -> None:
    """One document set (one AvgTone) codes Moscow's intent toward the United States placed in Abkhazia and the
    negotiation it tells at Tbilisi (28 November 2012): one act. Two documents' talks of Georgia and the United States
    in the same two places stay apart, and so do one document's two clashes in two places (violence keeps its place)."""
    found = ingested(tmp_path, "20121128.export.CSV", gdelt_doc_rows(shared, [
        {"id": "1", "a1": "RUS", "a2": "USA", "code": "030", "tone": "2.365", "articles": "2", "place": ABKHAZIA},
        {"id": "2", "a1": "USA", "a2": "RUS", "code": "046", "tone": "2.365", "articles": "2"},
        {"id": "3", "a1": "GEO", "a2": "USA", "code": "036", "tone": "5.1", "place": ABKHAZIA},
        {"id": "4", "a1": "USA", "a2": "GEO", "code": "046", "tone": "6.2"},
        {"id": "5", "a1": "GEO", "a2": "RUS", "code": "190", "tone": "1.75", "place": ABKHAZIA},
        {"id": "6", "a1": "GEO", "a2": "RUS", "code": "190", "tone": "1.75"},
    ], version=1))
    assert same(found, "1", "2")
    assert found["3"] != found["4"] and found["5"] != found["6"]


def test_one_document_on_two_days_ingested_apart_equals_a_rebuild(shared: Path, tmp_path: Path) -> None:
    """The two days of one document set (Baku and the government on the 7th, two officials on the 8th) as two files,
    the later first: its rows join once both days are stored, and the incremental clusters and summaries are those of
    one rebuild."""
    store = Store(":memory:")
    for day in ("20120808", "20120807"):
        path = tmp_path / f"{day}.export.CSV"
        path.write_text("\n".join(gdelt_doc_rows(shared, [
            {"id": f"{day}1", "a1": "AZE", "a2": "AZE", "r1": "GOV" if day == "20120808" else "", "r2": "GOV",
             "code": "046", "tone": "3.784", "articles": "4", "day": day},
            {"id": f"{day}2", "a1": "AZE", "a2": "GEO", "code": "042", "tone": "1.5", "day": day},
        ], version=1)) + "\n", encoding="utf-8")
        ingest_files(store, [path])
    clusters = store.df("SELECT event_id, cluster_id FROM clusters ORDER BY event_id")
    summary = store.df("SELECT * FROM cluster_summary ORDER BY cluster_id")
    assert clusters.set_index("event_id").cluster_id["gdelt1:201208071"] == "gdelt1:201208071"
    assert clusters.set_index("event_id").cluster_id["gdelt1:201208081"] == "gdelt1:201208071"
    rebuild_clusters(store)
    assert clusters.equals(store.df("SELECT event_id, cluster_id FROM clusters ORDER BY event_id"))
    assert summary.equals(store.df("SELECT * FROM cluster_summary ORDER BY cluster_id"))
