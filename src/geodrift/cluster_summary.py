"""The per-cluster summary (``cluster_summary``) and rollup (``cluster_units``) of each cluster the clustering changed.

Why a module of its own: the clustering decides which reports are one happening; this says what the happening's
reports amount to (reports, datasets, outlets and their countries, sources, first report, whether only the two
sides' own media witnessed it), which every report and page prints next to a claim, and what the measures count of it
(units_sql.collapse_sql's representative report, first day and weight, written as ``cluster_units``).

Both read one narrow projection of the changed clusters' reports (``cl_reports``), numbered by an integer cluster
number (``cn``) so the grouping and joins hash integers, not the string ids; two grouped tables of it, per cluster,
modality and code (``cl_codes``) and per cluster, modality and outlet (``cl_outlet_n``), give both the representative
reports (grouped ``arg_min``, not window functions) and the distinct outlets (no DISTINCT aggregate over every report).
"""

from __future__ import annotations

import duckdb

from geodrift.cluster_keys import STATEMENT_ROOTS
from geodrift.codebooks import outlet_country
from geodrift.units_sql import KNOWN_AT, MONTH_ONLY, OUTLET_KEY

FIRST = "(month_only, event_date, event_id)"
"""A report's rank among reports of one code: day-dated before month-only, earliest, smallest id (as
units_sql.collapse_sql breaks ties, so the act the summary shows is the one the measures weigh)."""


def summarise(con: duckdb.DuckDBPyConnection) -> None:
    """One cluster_summary row per cluster listed in ``cl_changed``: reports, datasets, outlets and their countries,
    first report; the sides of a directed act are its representative report's (the block holds them unordered; so
    does the talk family's for a statement and the gtalk family's for an intent, which keep their direction when
    they are the representative). Leaves ``cl_reports``, ``cl_ids``, ``cl_codes`` and ``cl_outlet_n`` for
    ``units_rows``.

    The first report is the earliest knowledge time of the cluster's reports (units_sql.KNOWN_AT), not the earliest
    stored ``date_added``: a page dated only to its month is known by the month's end, not on its first day."""
    con.execute("CREATE OR REPLACE TEMP TABLE cl_ids AS SELECT cluster_id, row_number() OVER () AS cn FROM cl_changed")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE cl_reports AS
        SELECT i.cn, c.block, e.event_id, e.event_date, e.source, e.event_code, e.quad_class, e.goldstein,
               coalesce(e.modality, 'actual') AS modality, e.action_geo_name, e.action_geo_country,
               coalesce(e.num_sources, 1) AS num_sources, e.actor1_country, e.actor2_country, e.avg_tone,
               e.event_date_precision, {OUTLET_KEY} AS outlet_key, {MONTH_ONLY} AS month_only, {KNOWN_AT} AS known_at
        FROM clusters AS c JOIN cl_ids AS i USING (cluster_id) JOIN events AS e USING (event_id)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE cl_codes AS
        SELECT cn, modality, event_code, count(*) AS n, min(quad_class) AS quad_class,
               min(coalesce(actor1_country, '-') || '>' || coalesce(actor2_country, '-')) AS dir, min({FIRST}) AS first,
               arg_min({{'actor1_country': actor1_country, 'actor2_country': actor2_country, 'quad_class': quad_class,
                         'goldstein': goldstein, 'action_geo_country': action_geo_country}}, {FIRST}) AS rep
        FROM cl_reports GROUP BY cn, modality, event_code""")
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_outlet_n AS
        SELECT cn, modality, outlet_key, count(*) AS n FROM cl_reports WHERE outlet_key IS NOT NULL GROUP BY ALL""")
    hosts = con.execute("SELECT DISTINCT outlet_key FROM cl_outlet_n").fetchall()
    known = [(h, outlet_country(h, f"//{h}/")) for (h,) in hosts]
    con.execute("CREATE OR REPLACE TEMP TABLE cl_outlets (outlet VARCHAR, country VARCHAR)")
    if known:
        con.executemany("INSERT INTO cl_outlets VALUES (?, ?)", known)
    con.execute(f"""
        INSERT INTO cluster_summary
        WITH codes AS (
            SELECT cn, arg_min({{'event_code': event_code, 'quad_class': quad_class, 'dir': dir}}, (-n, first)) AS pick
            FROM (SELECT cn, event_code, sum(n) AS n, min(quad_class) AS quad_class, min(dir) AS dir,
                         min(first) AS first FROM cl_codes GROUP BY cn, event_code)
            GROUP BY cn),
        places AS (
            SELECT cn, arg_min({{'place': action_geo_name, 'country': country}}, (-n, action_geo_name)) AS top
            FROM (SELECT cn, action_geo_name, count(*) AS n, min(action_geo_country) AS country FROM cl_reports
                  WHERE action_geo_name IS NOT NULL GROUP BY cn, action_geo_name)
            GROUP BY cn),
        outlets AS (
            SELECT o.cn, list(o.outlet_key ORDER BY o.outlet_key) AS outlets, count(*) AS n_outlets,
                   list(DISTINCT k.country ORDER BY k.country) FILTER (WHERE k.country IS NOT NULL) AS countries,
                   sum(o.n) = sum(o.n) FILTER (WHERE k.country IS NOT NULL) AS all_known,
                   count(DISTINCT k.country) AS n_countries
            FROM (SELECT cn, outlet_key, sum(n) AS n FROM cl_outlet_n GROUP BY cn, outlet_key) AS o
            LEFT JOIN cl_outlets AS k ON k.outlet = o.outlet_key GROUP BY o.cn),
        g AS (
            SELECT cn, coalesce(min(event_date) FILTER (WHERE NOT month_only), min(event_date)) AS first_date,
                   max(event_date) AS last_date, any_value(block) AS block, round(avg(goldstein), 9) AS goldstein,
                   CASE WHEN bool_or(modality = 'actual') THEN 'actual' ELSE min(modality) END AS modality,
                   min(action_geo_country) AS any_country, count(*) AS reports,
                   list(DISTINCT source ORDER BY source) AS datasets, max(num_sources) AS most_sources,
                   min(known_at) AS first_reported
            FROM cl_reports GROUP BY cn),
        s AS (
            SELECT g.*, c.pick.event_code, c.pick.quad_class, c.pick.dir, p.top.place, p.top.country AS place_country,
                   coalesce(o.outlets, []) AS outlets, coalesce(o.countries, []) AS outlet_countries,
                   greatest(coalesce(o.n_outlets, 0), g.most_sources) AS sources,
                   coalesce(o.all_known AND list_has_all([split_part(g.block, '|', 1), split_part(g.block, '|', 2)],
                                                         o.countries), FALSE) AS sides_only,
                   o.n_countries,
                   split_part(g.block, '|', 3) = 'true'
                     AND NOT (split_part(g.block, '|', 4) = 'talk' AND left(c.pick.event_code, 2) IN {STATEMENT_ROOTS})
                     AND NOT (split_part(g.block, '|', 4) = 'gtalk' AND NOT starts_with(c.pick.event_code, '04'))
                     AS mutual
            FROM g JOIN codes AS c USING (cn) LEFT JOIN places AS p USING (cn) LEFT JOIN outlets AS o USING (cn))
        SELECT i.cluster_id, s.first_date, s.last_date,
               nullif(split_part(CASE WHEN s.mutual THEN replace(s.block, '|', '>') ELSE s.dir END, '>', 1), '-'),
               nullif(split_part(CASE WHEN s.mutual THEN replace(s.block, '|', '>') ELSE s.dir END, '>', 2), '-'),
               s.mutual, left(s.event_code, 2), s.event_code, s.quad_class, s.goldstein, s.modality, s.place,
               coalesce(s.place_country, s.any_country), s.reports, s.datasets, s.outlets, s.outlet_countries,
               s.sources, s.first_reported, s.sides_only,
               CASE WHEN s.sides_only AND s.n_countries = 1 THEN s.outlet_countries[1] END
        FROM s JOIN cl_ids AS i USING (cn)""")


def units_rows() -> str:
    """The ``cluster_units`` rows of the clusters ``summarise`` read (one per cluster and modality), from its tables:
    what units_sql.rollup_sql gives them (the representative report's sides, quad class, Goldstein value and place;
    the first day and its precision; the weight: distinct outlets, or the largest num_sources when larger)."""
    return """
        WITH u AS (
            SELECT cn, modality, coalesce(min(event_date) FILTER (WHERE NOT month_only), min(event_date)) AS first_day,
                   CASE WHEN bool_or(NOT month_only) THEN 'day' ELSE arg_min(event_date_precision, event_date) END
                     AS precision, avg(avg_tone) AS tone, count(*) AS reports, max(num_sources) AS most_sources
            FROM cl_reports GROUP BY cn, modality),
        w AS (SELECT cn, modality, count(*) AS outlets FROM cl_outlet_n GROUP BY cn, modality),
        r AS (SELECT cn, modality, arg_min(rep, (-n, first)) AS rep FROM cl_codes GROUP BY cn, modality)
        SELECT i.cluster_id, u.modality, u.first_day, r.rep.actor1_country, r.rep.actor2_country, r.rep.quad_class,
               r.rep.goldstein, CAST(greatest(coalesce(w.outlets, 0), u.most_sources) AS INTEGER), u.tone,
               r.rep.action_geo_country, u.reports, u.precision
        FROM u JOIN r USING (cn, modality) LEFT JOIN w USING (cn, modality) JOIN cl_ids AS i USING (cn)"""
