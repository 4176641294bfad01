"""UCDP GED rows are distinct events by construction (one per dyad, day and location): the clusterer never merges two
of them (review 7, M8: the /quality page showed GED with a 23.3% duplicate rate, fighting at one town on consecutive
days merged into one event)."""

from __future__ import annotations

from pathlib import Path

from geodrift.analytics.quality import quality_report
from geodrift.ingest import ingest_files
from geodrift.store import Store


def test_ged_rows_stay_one_event_each(shared: Path) -> None:
    store = Store(":memory:")
    ingest_files(store, [shared / "ucdp/ged191_syria.csv.gz"])
    reports, clusters = store.df("""SELECT count(*) AS r, count(DISTINCT c.cluster_id) AS c FROM events AS e
                                    JOIN clusters AS c USING (event_id) WHERE e.source = 'ucdp-ged'""").iloc[0]
    assert (reports, clusters) == (16_566, 16_566)
    pair = store.df("""SELECT source_event_id AS id, c.cluster_id FROM events AS e JOIN clusters AS c USING (event_id)
                       WHERE source_event_id IN ('235034', '235099')""")  # Tall as Sawwan, 24 and 25 Nov 2016
    assert pair.cluster_id.nunique() == 2
    duplicates = quality_report(store)["duplicates"].set_index("source")
    assert duplicates.loc["ucdp-ged", "duplicate_rate"] == 0  # what /quality and `db quality` show
