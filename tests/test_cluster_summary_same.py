"""The per-cluster summary and rollup the clustering writes equal, row for row, what the statements they replaced gave
(issue 15's speed work: one narrow read of the changed clusters' reports, integer cluster numbers, grouped arg_min
instead of window functions). The old statements are kept here only, as the reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodrift.cluster_keys import STATEMENT_ROOTS
from geodrift.codebooks import outlet_country
from geodrift.ingest import ingest_files
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT, MONTH_ONLY, OUTLET_KEY, rollup_sql

OLD_REPORTS = f"""
    SELECT c.cluster_id, c.block, e.event_id, e.event_date, e.source, e.event_code, e.quad_class, e.goldstein, e.modality,
           e.action_geo_name, e.action_geo_country, e.num_sources, e.date_added,
           coalesce(e.actor1_country, '-') || '>' || coalesce(e.actor2_country, '-') AS dir,
           {OUTLET_KEY} AS outlet_key, {MONTH_ONLY} AS month_only, {KNOWN_AT} AS known_at
    FROM clusters AS c JOIN events AS e USING (event_id)"""
"""The summary's reads before: every column of every changed cluster's reports (here every cluster)."""

OLD_SUMMARY = f"""
    WITH codes AS (
        SELECT cluster_id, event_code, min(quad_class) AS quad_class, min(dir) AS dir FROM old_reports
        GROUP BY cluster_id, event_code
        QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY count(*) DESC,
                                   min([month_only::INTEGER::VARCHAR, event_date::VARCHAR, event_id])) = 1),
    places AS (
        SELECT cluster_id, action_geo_name AS place, min(action_geo_country) AS place_country
        FROM old_reports WHERE action_geo_name IS NOT NULL GROUP BY cluster_id, action_geo_name
        QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY count(*) DESC, action_geo_name) = 1),
    w AS (SELECT r.*, o.country AS outlet_country, split_part(r.block, '|', 1) AS side_a,
                 split_part(r.block, '|', 2) AS side_b
          FROM old_reports AS r LEFT JOIN old_outlets AS o ON o.outlet = r.outlet_key),
    g AS (
        SELECT cluster_id, coalesce(min(event_date) FILTER (WHERE NOT month_only), min(event_date)) AS first_date,
               max(event_date) AS last_date, any_value(block) AS block, round(avg(goldstein), 9) AS goldstein,
               CASE WHEN bool_or(coalesce(modality, 'actual') = 'actual') THEN 'actual' ELSE min(modality) END
                 AS modality,
               min(action_geo_country) AS any_country, count(*) AS reports,
               list(DISTINCT source ORDER BY source) AS datasets,
               coalesce(list(DISTINCT outlet_key ORDER BY outlet_key) FILTER (WHERE outlet_key IS NOT NULL), [])
                 AS outlets,
               coalesce(list(DISTINCT outlet_country ORDER BY outlet_country)
                        FILTER (WHERE outlet_country IS NOT NULL), []) AS outlet_countries,
               greatest(count(DISTINCT outlet_key), max(coalesce(num_sources, 1))) AS sources,
               min(known_at) AS first_reported,
               count(outlet_key) > 0 AND count(outlet_key) = count(outlet_country)
                 AND bool_and(outlet_country IS NULL OR outlet_country IN (side_a, side_b)) AS sides_only,
               CASE WHEN count(outlet_key) > 0 AND count(outlet_key) = count(outlet_country)
                     AND count(DISTINCT outlet_country) = 1
                     AND bool_and(outlet_country IS NULL OR outlet_country IN (side_a, side_b))
                    THEN any_value(outlet_country) END AS witness_country
        FROM w GROUP BY cluster_id)
    SELECT g.cluster_id, g.first_date, g.last_date,
           nullif(split_part(CASE WHEN g.mutual THEN replace(g.block, '|', '>') ELSE c.dir END, '>', 1), '-'),
           nullif(split_part(CASE WHEN g.mutual THEN replace(g.block, '|', '>') ELSE c.dir END, '>', 2), '-'),
           g.mutual, left(c.event_code, 2), c.event_code,
           c.quad_class, g.goldstein, g.modality, p.place, coalesce(p.place_country, g.any_country), g.reports,
           g.datasets, g.outlets, g.outlet_countries, g.sources, g.first_reported, g.sides_only, g.witness_country
    FROM (SELECT g.*, split_part(g.block, '|', 3) = 'true'
                      AND NOT (split_part(g.block, '|', 4) = 'talk' AND left(c.event_code, 2) IN {STATEMENT_ROOTS})
                      AND NOT (split_part(g.block, '|', 4) = 'gtalk' AND NOT starts_with(c.event_code, '04'))
                      AS mutual
          FROM g JOIN codes AS c USING (cluster_id)) AS g
    JOIN codes AS c USING (cluster_id) LEFT JOIN places AS p USING (cluster_id)"""
"""The summary statement before: window functions over grouped codes and places, DISTINCT aggregates over every
report, string cluster ids in every grouping and join."""


@pytest.fixture(scope="module")
def real_store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The curated set, the ICEWS sample and a year of Georgia GDELT rows, ingested in three runs (so the later runs'
    clusters are updated incrementally, merging into earlier ones)."""
    store = Store(tmp_path_factory.mktemp("same") / "same.duckdb")
    gdelt = sorted((shared / "gdelt-v1-georgia-2011-2013").glob("*2012.csv.gz"))
    for files in ([shared / "caucasus-2020-events/events.jsonl", shared / "icews/icews_sample.csv"], gdelt[:3],
                  gdelt[3:]):
        ingest_files(store, files)
    return store


def _differing(store: Store, table: str, reference: str, columns: str = "*") -> int:
    """Rows of ``table`` and of the query ``reference`` not matched one for one in the other."""
    return int(store.con.execute(f"""SELECT (SELECT count(*) FROM (SELECT {columns} FROM {table}
                                                                     EXCEPT ALL SELECT {columns} FROM ({reference})))
                                          + (SELECT count(*) FROM (SELECT {columns} FROM ({reference})
                                                                    EXCEPT ALL SELECT {columns} FROM {table}))
                                  """).fetchall()[0][0])


def test_summary_equals_the_old_statements_row_for_row(real_store: Store) -> None:
    con = real_store.con
    con.execute(f"CREATE OR REPLACE TEMP TABLE old_reports AS {OLD_REPORTS}")
    hosts = con.execute("SELECT DISTINCT outlet_key FROM old_reports WHERE outlet_key IS NOT NULL").fetchall()
    con.execute("CREATE OR REPLACE TEMP TABLE old_outlets (outlet VARCHAR, country VARCHAR)")
    con.executemany("INSERT INTO old_outlets VALUES (?, ?)", [(h, outlet_country(h, f"//{h}/")) for (h,) in hosts])
    sources = {s for (s,) in con.execute("SELECT DISTINCT source FROM events").fetchall()}
    assert {"curated", "icews", "gdelt1"} <= sources
    clusters = int(con.execute("SELECT count(*) FROM cluster_summary").fetchall()[0][0])
    assert clusters == int(con.execute("SELECT count(DISTINCT cluster_id) FROM clusters").fetchall()[0][0]) > 10_000
    assert int(con.execute("SELECT count(*) FROM cluster_summary WHERE sides_only").fetchall()[0][0]) > 0
    assert _differing(real_store, "cluster_summary", OLD_SUMMARY) == 0


def test_rollup_equals_the_old_statement_row_for_row(real_store: Store) -> None:
    """As units_sql.rollup_sql collapses the stored reports (a store migration's path); the mean tone is compared to
    9 decimals, as summing doubles in another order moves its last bits (5e-15 at most on 1M rows)."""
    assert int(real_store.con.execute("SELECT count(*) FROM cluster_units").fetchall()[0][0]) > 10_000
    assert _differing(real_store, "cluster_units", rollup_sql("TRUE"),
                      "* REPLACE (round(avg_tone, 9) AS avg_tone)") == 0
