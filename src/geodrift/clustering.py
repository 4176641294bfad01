"""Event clusters: every stored report (a GDELT/ICEWS row, a curated record, a coded event) joins exactly one cluster,
the reports of one real-world happening (docs/methods.md, "Event clusters", has the rule and its failure cases).

Reports share a *block* when they have the same pair of countries (either direction for mutual acts: consult,
sign, cooperate, ceasefire, fight, and every act of the two families below; for domestic acts the actors' roles too,
unordered for mutual acts; for violence each side's non-state party), the same act and the same modality class
(actual, announced and denied reports of an act together; threatened and hypothetical apart). The act is the CAMEO
root, except for two *families* of roots that code one happening: violence (18, 19, 20) in every report, and in
reports coded from a sentence the diplomatic exchange (03, 04, 05 but 057: one call read out as an intent, a
consultation or praise) and the deal (057 signing with the 0871 ceasefire it declares; a deal has no place).
Within a block and a day, reports at the same first-level place (a domestic act: the same town) form an atom;
reports placed only by country join the largest atom of that country that day, unplaced reports the largest atom of
the day. Across days, an atom joins an adjacent day's atom of the same block and place when that one is a local peak
of reports (dates disagree by a day between dataset rows of one event, but a quieter day next to a louder one is its
echo), unless it holds only curated records, which read their day from the text (a deal excepted: it is signed at
night and in force the next day); clusters span at most three days. Curated records dated to a month
only (stored on its first day) join the largest cluster of their block that month with a report of their base code.

Everything is SQL over the new reports and their neighbourhood, so it scales with DuckDB; it is deterministic
(the cluster id is the smallest event id of its day-dated reports), incremental (only the months of a block
around new reports are recomputed: a new atom changes assignments at most three days away) and idempotent;
an incremental run gives exactly what a rebuild from scratch gives (tests/test_clustering.py).
"""

from __future__ import annotations

from typing import Any

import duckdb

from geodrift.cluster_units import clear_units, refresh_units
from geodrift.codebooks import border_fronts, outlet_country
from geodrift.store import Store
from geodrift.units_sql import MONTH_ONLY

MUTUAL_PREFIXES = ("04", "057", "06", "0871", "19")
"""CAMEO codes whose act is mutual (consult, sign an agreement, cooperate, agree a ceasefire, fight): reports of them
match in either direction ("Armenia and Azerbaijan clashed" is coded ARM→AZE by one page and AZE→ARM by another)."""
REACH_DAYS = 3
"""A new atom changes cluster assignments at most this many days away (peaks look one day further than joins)."""
CONTEXT_DAYS = 5
"""Read-only margin around the recomputed months, so their edge atoms see their neighbours."""


VIOLENT_ROOTS = ("18", "19", "20")
"""CAMEO roots of violence (assault, fight, mass violence): one *family*, unordered, since one outlet codes a clash 19x
and another the same shelling 18x or 20x; for these the block also holds each side's *party*."""
TALK_ROOTS = ("03", "04", "05")
"""CAMEO roots of diplomatic exchange (intents, consultations, diplomatic cooperation). In a report coded from a
sentence (curated records, coded text) they form one unordered family, *talk*: one call or meeting is read out as an
intent (030), a consultation (041) or praise (051). Its signing (057) goes with the ceasefire it declares (0871) into
the family *deal*. Statements (01), appeals (02) and complaints (11) keep their roots: an admission and an apology the
same day were one speaker's as often as two speakers' in the labelled pairs. Dataset rows (GDELT, ICEWS) have no
sentence and keep their root: rows of two roots on one day are usually two sentences about two acts."""
NON_STATE_ROLES = ("REB", "UAF", "INS", "CRM", "SEP", "OPP")
"""Roles that name a party of their own in violence (rebels, unidentified armed forces, insurgents, criminals,
separatists, opposition and protesters). Any other role (government, military, police, civilians, none) is the
country at large: a state's forces and the civilians under its fire are one side of one exchange, but a state's clash
with militants and its fire on protesters the same day are two happenings (Gaza, 2 June 2018)."""


def _mutual_sql() -> str:
    return "(" + " OR ".join(f"starts_with(event_code, '{p}')" for p in MUTUAL_PREFIXES) + ")"


def _party_sql(role: str) -> str:
    return f"CASE WHEN {role} IN {NON_STATE_ROLES} THEN {role} ELSE 'state' END"


FAMILY_SQL = f"""CASE WHEN event_root_code IN {VIOLENT_ROOTS} THEN 'V'
    WHEN coalesce(evidence_sentence, '') = '' THEN coalesce(event_root_code, '')
    WHEN starts_with(event_code, '057') OR starts_with(event_code, '0871') THEN 'deal'
    WHEN event_root_code IN {TALK_ROOTS} THEN 'talk' ELSE event_root_code END"""
"""The block's act: the violence family (V), the talk and deal families of text-coded reports, else the CAMEO root."""
UNORDERED_SQL = f"coalesce({_mutual_sql()} OR ({FAMILY_SQL}) IN ('V', 'deal', 'talk'), FALSE)"
"""Whether the report's two sides are unordered: a mutual act, or any act of the three families."""
TOWN_SQL = "action_geo_type IN (3, 4) AND action_geo_name NOT LIKE '%(general)%'"
"""A report placed at a town or landmark (GDELT's "X, Georgia (general)" is a country default, not a town)."""

REPORTS_SQL = f"""
    SELECT event_id, event_date AS day, source,
           CASE WHEN {UNORDERED_SQL} THEN least(coalesce(actor1_country, '-'), coalesce(actor2_country, '-'))
                ELSE coalesce(actor1_country, '-') END AS side_a,
           CASE WHEN {UNORDERED_SQL} THEN greatest(coalesce(actor1_country, '-'), coalesce(actor2_country, '-'))
                ELSE coalesce(actor2_country, '-') END AS side_b,
           {UNORDERED_SQL} AS mutual,
           {FAMILY_SQL} AS root,
           CASE WHEN actor1_country IS NOT DISTINCT FROM actor2_country THEN
                    CASE WHEN {UNORDERED_SQL} THEN least(coalesce(actor1_role, ''), coalesce(actor2_role, '')) || '>'
                                                || greatest(coalesce(actor1_role, ''), coalesce(actor2_role, ''))
                         ELSE coalesce(actor1_role, '') || '>' || coalesce(actor2_role, '') END
                WHEN event_root_code IN {VIOLENT_ROOTS} THEN
                    CASE WHEN coalesce(actor1_country, '-') > coalesce(actor2_country, '-')
                         THEN {_party_sql('actor2_role')} || '>' || {_party_sql('actor1_role')}
                         ELSE {_party_sql('actor1_role')} || '>' || {_party_sql('actor2_role')} END
                ELSE '' END AS roles,
           CASE WHEN coalesce(modality, 'actual') IN ('actual', 'negated', 'announced') THEN 'actual'
                ELSE modality END AS mclass,
           event_code AS code,
           CASE WHEN ({FAMILY_SQL}) <> 'deal' THEN coalesce(f.countries, action_geo_country) END AS pc,
           CASE WHEN ({FAMILY_SQL}) = 'deal' THEN NULL
                WHEN actor1_country IS NOT DISTINCT FROM actor2_country AND length(action_geo_adm1) > 2 AND {TOWN_SQL}
                THEN lower(action_geo_adm1) || '/' || lower(action_geo_name)
                WHEN length(action_geo_adm1) > 2 THEN coalesce(f.front, lower(action_geo_adm1)) END AS cell,
           {MONTH_ONLY} AS month_only,
           source = 'curated' AND ({FAMILY_SQL}) <> 'deal' AS text_dated
    FROM events LEFT JOIN cl_fronts AS f ON f.iso3 = action_geo_country AND f.adm1 = lower(action_geo_adm1)"""
"""Per report: its block fields, its place cell (first-level division; country-only and unplaced reports have none;
a domestic act placed at a town is at that town, since arrests or protests in two towns of one state are two
happenings) and whether its date is only a month. An announced act is stored on the day it is to happen, so it joins
the act carried out that day (an exercise announced for 29 July and its start). Provinces facing each other across a
border (codebooks/data/border_fronts.tsv) are one place, located in both countries: each side reports a border clash
on its own territory. Month- and year-precision records are stored on the period's first day; month-only is their
stored ``event_date_precision`` (units_sql.MONTH_ONLY), so a record really dated on a 1st keeps its day.
``text_dated``: a curated record's day is read from its text, so it keeps it (a deal's is not: signed at night, in force
the next day, one outlet dates it by the signing and another by the ceasefire)."""

BLOCK_SQL = "side_a || '|' || side_b || '|' || mutual::VARCHAR || '|' || root || '|' || mclass || '|' || roles"


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def update_clusters(store: Store) -> int:
    """Cluster the events of files not yet clustered, merging them into the existing clusters; returns their number.

    Runs in one transaction; a second run with nothing new changes nothing.
    """
    con = store.con
    done = int(_scalar(con, "SELECT value FROM meta WHERE key = 'clustered_file_id'") or 0)
    newest = _scalar(con, "SELECT max(file_id) FROM events")
    if newest is None or int(newest) <= done:
        return 0
    con.begin()
    try:
        count = _update(con, done, int(newest))
        con.execute("UPDATE meta SET value = ? WHERE key = 'clustered_file_id'", [str(int(newest))])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return count


def rebuild_clusters(store: Store) -> int:
    """Forget every cluster and cluster all events again (the reference the incremental update must equal)."""
    con = store.con
    con.execute("DELETE FROM clusters")
    con.execute("DELETE FROM cluster_summary")
    clear_units(con)
    con.execute("UPDATE meta SET value = '0' WHERE key = 'clustered_file_id'")
    return update_clusters(store)


def _update(con: duckdb.DuckDBPyConnection, done: int, newest: int) -> int:
    fronts = border_fronts()
    con.execute("CREATE OR REPLACE TEMP TABLE cl_fronts (front VARCHAR, iso3 VARCHAR, adm1 VARCHAR, countries VARCHAR)")
    con.executemany("INSERT INTO cl_fronts VALUES (?, ?, ?, ?)",
                    [(front, iso3, adm1, "/".join(sorted({c for (c, _), f in fronts.items() if f == front})))
                     for (iso3, adm1), front in fronts.items()])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_new AS
        SELECT *, {BLOCK_SQL} AS block FROM ({REPORTS_SQL} WHERE file_id > {done} AND file_id <= {newest})""")
    count = int(_scalar(con, "SELECT count(*) FROM cl_new"))
    if count == 0:
        return 0
    # The recomputed unit is a block's calendar month: the months of every new report's day ± REACH_DAYS.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_months AS
        SELECT DISTINCT block, CAST(date_trunc('month', day + INTERVAL (o) DAY) AS DATE) AS month
        FROM cl_new, range(-{REACH_DAYS}, {REACH_DAYS + 1}) AS t(o)""")
    lo, hi = con.execute(f"""SELECT CAST(min(month) - INTERVAL {CONTEXT_DAYS} DAY AS DATE),
        CAST(max(month) + INTERVAL 1 MONTH + INTERVAL {CONTEXT_DAYS} DAY AS DATE) FROM cl_months""").fetchall()[0]
    # The scope: new reports and the stored reports of the touched blocks within the context ranges. A report is
    # inside a recomputed month when its own month is one; in its margin when the month CONTEXT_DAYS before or after
    # it is (three hash look-ups on (block, month), not a range join over every report).
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_scope AS
        WITH old AS (
            SELECT r.*, {BLOCK_SQL} AS block FROM ({REPORTS_SQL}
                WHERE file_id <= {done} AND event_date >= DATE '{lo}' AND event_date < DATE '{hi}') AS r
            SEMI JOIN (SELECT DISTINCT block FROM cl_months) AS b ON {BLOCK_SQL} = b.block),
        s AS (SELECT * FROM old UNION ALL SELECT * FROM cl_new)
        SELECT s.*, m0.block IS NOT NULL AS inner_
        FROM s
        LEFT JOIN cl_months AS m0 ON m0.block = s.block AND m0.month = CAST(date_trunc('month', s.day) AS DATE)
        LEFT JOIN cl_months AS mb ON mb.block = s.block
            AND mb.month = CAST(date_trunc('month', s.day + INTERVAL {CONTEXT_DAYS} DAY) AS DATE)
        LEFT JOIN cl_months AS ma ON ma.block = s.block
            AND ma.month = CAST(date_trunc('month', s.day - INTERVAL {CONTEXT_DAYS} DAY) AS DATE)
        WHERE m0.block IS NOT NULL OR mb.block IS NOT NULL OR ma.block IS NOT NULL""")
    _assign(con)
    # Rewrite every report of a cluster (old or new) that holds a recomputed report.
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_old AS
        SELECT c.event_id, c.cluster_id FROM clusters AS c SEMI JOIN cl_scope AS s ON s.event_id = c.event_id""")
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_write AS
        WITH touched_new AS (SELECT DISTINCT cluster_id FROM cl_assigned WHERE inner_),
             touched_old AS (SELECT DISTINCT o.cluster_id FROM cl_old AS o JOIN cl_assigned AS a USING (event_id)
                             WHERE a.inner_)
        SELECT a.event_id, a.cluster_id, a.block, a.day FROM cl_assigned AS a
        LEFT JOIN cl_old AS o USING (event_id)
        WHERE a.inner_ OR (NOT a.month_only AND (a.cluster_id IN (SELECT cluster_id FROM touched_new)
                                               OR o.cluster_id IN (SELECT cluster_id FROM touched_old)))""")
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_changed AS
        SELECT cluster_id FROM cl_old SEMI JOIN cl_write USING (event_id)
        UNION SELECT cluster_id FROM cl_write""")
    con.execute("DELETE FROM clusters WHERE event_id IN (SELECT event_id FROM cl_write)")
    con.execute("INSERT INTO clusters SELECT event_id, cluster_id, block, day FROM cl_write")
    con.execute("DELETE FROM cluster_summary WHERE cluster_id IN (SELECT cluster_id FROM cl_changed)")
    _summarise(con)
    refresh_units(con, "cl_changed")
    for table in ("cl_new", "cl_months", "cl_scope", "cl_atoms", "cl_groups", "cl_roots", "cl_assigned",
                  "cl_old", "cl_write", "cl_changed", "cl_outlets", "cl_fronts", "cl_reports"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return count


def _assign(con: duckdb.DuckDBPyConnection) -> None:
    """cl_assigned: every scope report with its cluster id, by the atoms, place attachment and peak rules."""
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_atoms AS
        SELECT block, day, pc, cell, CASE WHEN cell IS NOT NULL THEN 2 WHEN pc IS NOT NULL THEN 1 ELSE 0 END AS level,
               min(event_id) AS atom, count(*) AS n, bool_and(text_dated) AS text_dated
        FROM cl_scope WHERE NOT month_only GROUP BY block, day, pc, cell""")
    # Country-only atoms join the largest first-level atom of their country that day; unplaced atoms then join
    # the largest placed group of the day.
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_groups AS
        WITH one AS (
            SELECT a.atom, b.atom AS grp FROM cl_atoms AS a
            JOIN cl_atoms AS b ON b.block = a.block AND b.day = a.day AND contains(b.pc, a.pc) AND b.level = 2
            WHERE a.level = 1 QUALIFY row_number() OVER (PARTITION BY a.atom ORDER BY b.n DESC, b.atom) = 1),
        placed AS (
            SELECT a.*, coalesce(o.grp, a.atom) AS grp FROM cl_atoms AS a LEFT JOIN one AS o USING (atom)
            WHERE a.level >= 1),
        sized AS (SELECT grp, any_value(block) AS block, any_value(day) AS day, sum(n) AS n FROM placed GROUP BY grp),
        best AS (
            SELECT a.atom, s.grp FROM cl_atoms AS a JOIN sized AS s ON s.block = a.block AND s.day = a.day
            WHERE a.level = 0 QUALIFY row_number() OVER (PARTITION BY a.atom ORDER BY s.n DESC, s.grp) = 1),
        zero AS (
            SELECT a.atom, coalesce(b.grp, a.atom) AS grp FROM cl_atoms AS a LEFT JOIN best AS b USING (atom)
            WHERE a.level = 0)
        SELECT atom, grp FROM placed UNION ALL SELECT atom, grp FROM zero""")
    # Peaks across days: a group joins an adjacent day's group of the same block and place when that one is a
    # local peak of reports (ties go to the earlier day); peaks and groups next to no peak stand alone, and so does a
    # group of curated records only: their day is read from the text, not a publication date (in parts A and B of the
    # held-out pairs a lone record a day off a louder day was another act twice and the same act never; in the first
    # sample it was the same act twice: docs/methods.md).
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_roots AS
        WITH g AS (
            SELECT grp, any_value(block) AS block, min(day) AS day, sum(n) AS n,
                   bool_and(text_dated) AS read_day
            FROM cl_groups JOIN cl_atoms USING (atom) GROUP BY grp),
        placed AS (SELECT g.*, a.pc, a.cell, g.n * 1000000 - (g.day - DATE '1800-01-01') AS score
                   FROM g JOIN cl_atoms AS a ON a.atom = g.grp),
        nb AS (
            SELECT *, lag(day) OVER w AS pday, lag(score) OVER w AS pscore, lag(grp) OVER w AS pgrp,
                   lead(day) OVER w AS nday, lead(score) OVER w AS nscore, lead(grp) OVER w AS ngrp
            FROM placed WINDOW w AS (PARTITION BY block, pc, cell ORDER BY day)),
        peaks AS (
            SELECT *, pday = day - 1 AS padj, nday = day + 1 AS nadj,
                   (pday IS NULL OR pday < day - 1 OR pscore < score)
                   AND (nday IS NULL OR nday > day + 1 OR nscore < score) AS peak
            FROM nb),
        marked AS (
            SELECT *, lag(peak) OVER w AS ppeak, lead(peak) OVER w AS npeak
            FROM peaks WINDOW w AS (PARTITION BY block, pc, cell ORDER BY day))
        SELECT grp, CASE
            WHEN peak OR read_day THEN grp
            WHEN coalesce(padj AND ppeak, FALSE) AND NOT coalesce(nadj AND npeak AND nscore > pscore, FALSE) THEN pgrp
            WHEN coalesce(nadj AND npeak, FALSE) THEN ngrp
            ELSE grp END AS root, day, pc, cell
        FROM marked""")
    # Month-only reports join the largest cluster of their block whose root lies in their month and which holds a
    # report of their base code, if any; else those of one code, place and month form a cluster.
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_assigned AS
        WITH dated AS (
            SELECT s.event_id, s.block, s.day, s.inner_, s.month_only, s.code, r.root
            FROM cl_scope AS s
            JOIN cl_atoms AS a ON a.block = s.block AND a.day = s.day AND a.pc IS NOT DISTINCT FROM s.pc
                               AND a.cell IS NOT DISTINCT FROM s.cell
            JOIN cl_groups AS gr ON gr.atom = a.atom JOIN cl_roots AS r ON r.grp = gr.grp
            WHERE NOT s.month_only),
        ids AS (SELECT root, min(event_id) AS cluster_id, count(*) AS n, any_value(block) AS block,
                       list_distinct(list(left(code, 3))) AS codes FROM dated
                GROUP BY root),
        rooted AS (SELECT i.*, r.day, r.pc, r.cell FROM ids AS i JOIN cl_roots AS r ON r.grp = i.root),
        target AS (
            SELECT s.event_id, r.cluster_id FROM cl_scope AS s
            JOIN rooted AS r ON r.block = s.block AND date_trunc('month', r.day) = date_trunc('month', s.day)
                AND list_contains(r.codes, left(s.code, 3))
                AND (s.pc IS NULL OR r.pc IS NULL OR contains(r.pc, s.pc))
                AND (s.cell IS NULL OR r.cell IS NULL OR r.cell = s.cell)
            WHERE s.month_only QUALIFY row_number() OVER (PARTITION BY s.event_id ORDER BY r.n DESC, r.cluster_id) = 1),
        vague AS (
            SELECT s.event_id, s.block, s.day, s.inner_, s.month_only,
                   coalesce(t.cluster_id, min(s.event_id) OVER (PARTITION BY s.block, s.day, s.pc, s.cell, s.code)) AS cluster_id
            FROM cl_scope AS s LEFT JOIN target AS t USING (event_id) WHERE s.month_only)
        SELECT d.event_id, d.block, d.day, d.inner_, d.month_only, i.cluster_id
        FROM dated AS d JOIN ids AS i USING (root)
        UNION ALL SELECT event_id, block, day, inner_, month_only, cluster_id FROM vague""")


def _summarise(con: duckdb.DuckDBPyConnection) -> None:
    """One cluster_summary row per changed cluster: reports, datasets, outlets and their countries, first report."""
    # The reports of the changed clusters, only the columns the summary reads; the most frequent code and place come
    # from grouped counts (far fewer rows than reports), not from window functions over every report.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE cl_reports AS
        SELECT c.cluster_id, c.block, e.event_date, e.source, e.event_code, e.quad_class, e.goldstein, e.modality,
               e.action_geo_name, e.action_geo_country, e.num_sources, e.date_added,
               nullif(coalesce(nullif(e.outlet, ''), regexp_extract(e.source_url, '//([^/:]+)', 1)), '') AS outlet_key,
               {MONTH_ONLY} AS month_only
        FROM clusters AS c JOIN events AS e USING (event_id)
        WHERE c.cluster_id IN (SELECT cluster_id FROM cl_changed)""")
    hosts = con.execute("SELECT DISTINCT outlet_key FROM cl_reports WHERE outlet_key IS NOT NULL").fetchall()
    known = [(h, outlet_country(h, f"//{h}/")) for (h,) in hosts]
    con.execute("CREATE OR REPLACE TEMP TABLE cl_outlets (outlet VARCHAR, country VARCHAR)")
    if known:
        con.executemany("INSERT INTO cl_outlets VALUES (?, ?)", known)
    con.execute("""
        INSERT INTO cluster_summary
        WITH codes AS (
            SELECT cluster_id, event_code, min(quad_class) AS quad_class FROM cl_reports GROUP BY cluster_id, event_code
            QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY count(*) DESC, event_code) = 1),
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
                   min(date_added) AS first_reported,
                   count(outlet_key) > 0 AND count(outlet_key) = count(outlet_country)
                     AND bool_and(outlet_country IS NULL OR outlet_country IN (side_a, side_b)) AS sides_only,
                   CASE WHEN count(outlet_key) > 0 AND count(outlet_key) = count(outlet_country)
                         AND count(DISTINCT outlet_country) = 1
                         AND bool_and(outlet_country IS NULL OR outlet_country IN (side_a, side_b))
                        THEN any_value(outlet_country) END AS witness_country
            FROM w GROUP BY cluster_id)
        SELECT g.cluster_id, g.first_date, g.last_date, nullif(split_part(g.block, '|', 1), '-'),
               nullif(split_part(g.block, '|', 2), '-'), split_part(g.block, '|', 3) = 'true',
               left(c.event_code, 2), c.event_code,
               c.quad_class, g.goldstein, g.modality, p.place, coalesce(p.place_country, g.any_country), g.reports,
               g.datasets, g.outlets, g.outlet_countries, g.sources, g.first_reported, g.sides_only, g.witness_country
        FROM g JOIN codes AS c USING (cluster_id) LEFT JOIN places AS p USING (cluster_id)""")
