"""The per-cluster summary (``cluster_summary``): corroboration of each cluster the clustering changed.

Why a module of its own: the clustering decides which reports are one happening; this says what the happening's
reports amount to (reports, datasets, outlets and their countries, sources, first report, whether only the two
sides' own media witnessed it), which every report and page prints next to a claim.
"""

from __future__ import annotations

import duckdb

from geodrift.cluster_keys import STATEMENT_ROOTS
from geodrift.codebooks import outlet_country
from geodrift.units_sql import KNOWN_AT, MONTH_ONLY, OUTLET_KEY


def summarise(con: duckdb.DuckDBPyConnection) -> None:
    """One cluster_summary row per cluster listed in ``cl_changed``: reports, datasets, outlets and their countries,
    first report; the sides of a directed act are its representative report's (the block holds them unordered; so
    does the talk family's for a statement and the gtalk family's for an intent, which keep their direction when
    they are the representative).

    The first report is the earliest knowledge time of the cluster's reports (units_sql.KNOWN_AT), not the earliest
    stored ``date_added``: a page dated only to its month is known by the month's end, not on its first day."""
    # The reports of the changed clusters, only the columns the summary reads; the most frequent code and place come
    # from grouped counts (far fewer rows than reports), not from window functions over every report.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE cl_reports AS
        SELECT c.cluster_id, c.block, e.event_id, e.event_date, e.source, e.event_code, e.quad_class, e.goldstein, e.modality,
               e.action_geo_name, e.action_geo_country, e.num_sources, e.date_added,
               coalesce(e.actor1_country, '-') || '>' || coalesce(e.actor2_country, '-') AS dir,
               {OUTLET_KEY} AS outlet_key,
               {MONTH_ONLY} AS month_only, {KNOWN_AT} AS known_at
        FROM clusters AS c JOIN events AS e USING (event_id)
        WHERE c.cluster_id IN (SELECT cluster_id FROM cl_changed)""")
    hosts = con.execute("SELECT DISTINCT outlet_key FROM cl_reports WHERE outlet_key IS NOT NULL").fetchall()
    known = [(h, outlet_country(h, f"//{h}/")) for (h,) in hosts]
    con.execute("CREATE OR REPLACE TEMP TABLE cl_outlets (outlet VARCHAR, country VARCHAR)")
    if known:
        con.executemany("INSERT INTO cl_outlets VALUES (?, ?)", known)
    con.execute(f"""
        INSERT INTO cluster_summary
        WITH codes AS (
            SELECT cluster_id, event_code, min(quad_class) AS quad_class, min(dir) AS dir FROM cl_reports
            GROUP BY cluster_id, event_code
            -- ties as units_sql.collapse_sql breaks them (day-dated, earliest, smallest id): the act shown is the one
            -- the measures weigh
            QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY count(*) DESC,
                                       min([month_only::INTEGER::VARCHAR, event_date::VARCHAR, event_id])) = 1),
        places AS (
            SELECT cluster_id, action_geo_name AS place, min(action_geo_country) AS place_country
            FROM cl_reports WHERE action_geo_name IS NOT NULL GROUP BY cluster_id, action_geo_name
            QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY count(*) DESC, action_geo_name) = 1),
        w AS (SELECT r.*, o.country AS outlet_country, split_part(r.block, '|', 1) AS side_a,
                     split_part(r.block, '|', 2) AS side_b
              FROM cl_reports AS r LEFT JOIN cl_outlets AS o ON o.outlet = r.outlet_key),
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
        JOIN codes AS c USING (cluster_id) LEFT JOIN places AS p USING (cluster_id)""")
