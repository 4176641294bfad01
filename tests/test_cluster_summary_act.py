"""A cluster's summary names the act its measures weigh: the representative of ``units_sql.collapse_sql`` (modal
code; ties: day-dated, earliest, smallest id). Its own tie-break (alphabetical code) named another act for 1,756 of
the demo's 47,932 clusters, so the API's and the dashboard's ``event_code`` was not the act counted (twins review)."""

from __future__ import annotations

from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.store import Store

REPRESENTATIVES = """
    WITH r AS (SELECT e.*, c.cluster_id, coalesce(e.event_date_precision, 'day') IN ('month', 'year') AS month_only,
                      count(*) OVER (PARTITION BY c.cluster_id, coalesce(e.modality, 'actual'), e.event_code) AS code_n,
                      count(DISTINCT coalesce(e.modality, 'actual')) OVER (PARTITION BY c.cluster_id) AS modalities
               FROM events AS e JOIN clusters AS c USING (event_id))
    SELECT cluster_id, event_code FROM r WHERE modalities = 1
    QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY code_n DESC, month_only, event_date, event_id) = 1"""


def test_the_summary_names_the_representative_act(shared: Path) -> None:
    with Store(":memory:") as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl",
                             shared / "gdelt-v1-georgia-2011-2013/july2012.csv.gz"])
        compared = store.df(f"""SELECT count(*) AS n, count(*) FILTER (WHERE s.event_code <> r.event_code) AS differ,
                                       count(*) FILTER (WHERE mixed) AS mixed
                                FROM ({REPRESENTATIVES}) AS r JOIN cluster_summary AS s USING (cluster_id)
                                JOIN (SELECT cluster_id, count(DISTINCT event_code) > 1 AS mixed FROM clusters
                                      JOIN events USING (event_id) GROUP BY 1) USING (cluster_id)""")
        assert compared.n[0] > 1000 and compared.mixed[0] > 50
        assert compared.differ[0] == 0
