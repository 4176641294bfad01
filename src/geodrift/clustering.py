"""Event clusters: every stored report (a GDELT/ICEWS row, a curated record, a coded event) joins exactly one cluster,
the reports of one real-world happening (docs/methods.md, "Event clusters", has the rule and its failure cases).

Reports share a *block* (``cluster_keys``) when they have the same unordered pair of countries, the same act (a CAMEO
root or a family of roots that code one happening) and the same modality class. Within a block and a day, reports at
the same place cell with the same sub-keys (a directed act's direction, which GDELT rows of one document coding one
act in mirror directions share; the named people of an ICEWS consultation) form an atom. Atoms of one block, day and
cell then merge where the rows say they are one: ICEWS consultations with a person in common, and one of generic
actors ("United States") with the largest of them; a sentence-coded statement joins the exchange its page tells.
Reports placed only by country join the largest compatible atom of that country that day, unplaced reports the
largest compatible group of the day. Across days, a group joins an adjacent day's group
of the same block, sub-keys and place when that one is a local peak of reports (dates disagree by a day between
dataset rows of one event, but a quieter day next to a louder one is its echo), unless it holds only curated records
whose sentence names the day (a deal excepted: it is signed at night and in force the next day), and a day's smaller
group of named contacts joins an adjacent day's larger one that names one of its people; clusters span at most three
days. Two joins of the sixth rule follow: a lone day-named curated group beside a group that names no day, and two
clusters holding one GDELT document's rows on adjacent days (``cluster_docs``, which also gives one
document's rows one place and one direction). Curated records dated to a month only (stored on its first day) join
the largest cluster of their block and direction that month with a report of their base code.

Everything is SQL over the new reports and their neighbourhood, so it scales with DuckDB; it is deterministic
(the cluster id is the smallest event id of its day-dated reports), incremental (only the months of a block
around new reports are recomputed: a new atom changes assignments at most three days away) and idempotent;
an incremental run gives exactly what a rebuild from scratch gives (tests/test_clustering.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

from geodrift import aggregates
from geodrift.cluster_docs import doc_days, doc_places, mirror_rows
from geodrift.cluster_keys import BLOCK_SQL, REPORTS_SQL, distinct_rows
from geodrift.cluster_keys import MUTUAL_PREFIXES as MUTUAL_PREFIXES
from geodrift.cluster_peaks import peaks
from geodrift.cluster_summary import summarise, units_rows
from geodrift.cluster_units import clear_units, refresh_units
from geodrift.codebooks import border_fronts
from geodrift.sources.delimited import prepare
from geodrift.store import Store

REACH_DAYS = 3
"""A new atom changes cluster assignments at most this many days away (peaks look one day further than joins)."""
CONTEXT_DAYS = 5
"""Read-only margin around the recomputed months, so their edge atoms see their neighbours."""


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

    def advance(con: duckdb.DuckDBPyConnection) -> int:
        count = _update(con, done, int(newest))
        con.execute("UPDATE meta SET value = ? WHERE key = 'clustered_file_id'", [str(int(newest))])
        return count

    return int(_written(con, advance))


def rebuild_clusters(store: Store) -> int:
    """Forget every cluster and cluster all events again (the reference the incremental update must equal)."""
    con = store.con
    count = _written(con, recluster)
    _written(con, aggregates.sort)  # a write of its own: see recluster
    return int(count)


def _written(con: duckdb.DuckDBPyConnection, write: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """``write(con)`` in a transaction of its own."""
    con.begin()
    try:
        result = write(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return result


def recluster(con: duckdb.DuckDBPyConnection) -> int:
    """``rebuild_clusters`` inside the caller's transaction: an upgraded store (store_upgrade) is clustered again
    whole, so its clusters are those a fresh build gives, whichever rule made them.
    The caller sorts the rollups after it commits (``aggregates.sort``, in a transaction of its own, for memory):
    rebuilt in block order, they would leave every dyad read scanning the whole table until the service's next daily
    sort (on 10 million events a series read took 34 ms, 6 ms sorted)."""
    con.execute("DELETE FROM clusters")
    con.execute("DELETE FROM cluster_summary")
    clear_units(con)
    newest = _scalar(con, "SELECT max(file_id) FROM events")
    count = _update(con, 0, int(newest)) if newest is not None else 0
    con.execute("INSERT OR REPLACE INTO meta VALUES ('clustered_file_id', ?)", [str(int(newest or 0))])
    return count


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    """The macro and table the reports' keys read (cluster_keys.REPORTS_SQL)."""
    prepare(con)  # the country_iso3 macro, which tells a country from a person in an ICEWS actor's name
    fronts = border_fronts()
    con.execute("CREATE OR REPLACE TEMP TABLE cl_fronts (front VARCHAR, iso3 VARCHAR, adm1 VARCHAR, countries VARCHAR)")
    con.executemany("INSERT INTO cl_fronts VALUES (?, ?, ?, ?)",
                    [(front, iso3, adm1, "/".join(sorted({c for (c, _), f in fronts.items() if f == front})))
                     for (iso3, adm1), front in fronts.items()])


def _update(con: duckdb.DuckDBPyConnection, done: int, newest: int) -> int:
    _prepare(con)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_new AS SELECT *, {BLOCK_SQL} AS block, TRUE AS inner_
        FROM ({REPORTS_SQL} WHERE file_id > {done} AND file_id <= {newest})""")
    count = int(_scalar(con, "SELECT count(*) FROM cl_new"))
    if count == 0:
        return 0
    _recompute(con, done, "SELECT block, day FROM cl_new")
    return count


def drop_reports(con: duckdb.DuckDBPyConnection, removed: str, touched: str) -> None:
    """Take reports out of their clusters inside the caller's open transaction: those in the table ``removed``
    (column event_id: already deleted from ``events``) leave them, a cluster left empty disappears, and the months of
    their blocks are clustered again with the reports that stay, as are those of the reports in ``touched`` (event_id:
    still stored, with changed columns), so the clusters equal a rebuild's without them (tests/test_recode.py).

    The caller's transaction keeps events and clusters in step (a re-coded article: store_recode; precisions checked
    again: store_precision)."""
    done = int(_scalar(con, "SELECT value FROM meta WHERE key = 'clustered_file_id'") or 0)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_gone AS SELECT c.event_id, c.cluster_id, c.block, c.day
        FROM clusters AS c WHERE c.event_id IN (SELECT event_id FROM {removed})
            OR c.event_id IN (SELECT event_id FROM {touched})""")
    if not _scalar(con, "SELECT count(*) FROM cl_gone"):
        con.execute("DROP TABLE cl_gone")
        return
    con.execute(f"DELETE FROM clusters WHERE event_id IN (SELECT event_id FROM {removed})")
    _prepare(con)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_new AS SELECT *, {BLOCK_SQL} AS block, TRUE AS inner_
        FROM ({REPORTS_SQL} WHERE FALSE)""")
    _recompute(con, done, "SELECT block, day FROM cl_gone", gone="cl_gone")


def _recompute(con: duckdb.DuckDBPyConnection, done: int, seeds: str, gone: str | None = None) -> None:
    """Cluster again the months of the blocks around the (block, day) rows of ``seeds`` (new reports, or removed
    ones), with the new reports of ``cl_new`` (which becomes the scope, ``cl_scope``) and the clustered reports (files
    up to ``done``) in their reach; the clusters of the reports in ``gone`` are rewritten too (their summaries and
    rollups, or their disappearance)."""
    # The recomputed unit is a block's calendar month: the months of every seed's day ± REACH_DAYS, which are those
    # of its two ends (the 2 · REACH_DAYS + 1 days meet at most two months, none being shorter than 28 days).
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_months AS
        SELECT DISTINCT block, CAST(date_trunc('month', day + INTERVAL (o) DAY) AS DATE) AS month
        FROM ({seeds}) AS n, (VALUES (-{REACH_DAYS}), ({REACH_DAYS})) AS t(o)""")
    lo, hi = con.execute(f"""SELECT CAST(min(month) - INTERVAL {CONTEXT_DAYS} DAY AS DATE),
        CAST(max(month) + INTERVAL 1 MONTH + INTERVAL {CONTEXT_DAYS} DAY AS DATE) FROM cl_months""").fetchall()[0]
    # The scope: new reports (each inside: its month is recomputed) and the stored reports of the touched blocks in
    # the context ranges, inside when their own month is recomputed, in its margin when the month CONTEXT_DAYS before
    # or after them is (three hash look-ups on (block, month), not a range join over every report). They are added to
    # cl_new, which becomes cl_scope: no copy of the new reports (every report, in a rebuild).
    con.execute(f"""INSERT INTO cl_new
        WITH old AS (
            SELECT r.*, {BLOCK_SQL} AS block FROM ({REPORTS_SQL}
                WHERE file_id <= {done} AND event_date >= DATE '{lo}' AND event_date < DATE '{hi}') AS r
            SEMI JOIN (SELECT DISTINCT block FROM cl_months) AS b ON {BLOCK_SQL} = b.block)
        SELECT s.*, m0.block IS NOT NULL AS inner_
        FROM old AS s
        LEFT JOIN cl_months AS m0 ON m0.block = s.block AND m0.month = CAST(date_trunc('month', s.day) AS DATE)
        LEFT JOIN cl_months AS mb ON mb.block = s.block
            AND mb.month = CAST(date_trunc('month', s.day + INTERVAL {CONTEXT_DAYS} DAY) AS DATE)
        LEFT JOIN cl_months AS ma ON ma.block = s.block
            AND ma.month = CAST(date_trunc('month', s.day - INTERVAL {CONTEXT_DAYS} DAY) AS DATE)
        WHERE m0.block IS NOT NULL OR mb.block IS NOT NULL OR ma.block IS NOT NULL""")
    con.execute("DROP TABLE IF EXISTS cl_scope")
    con.execute("ALTER TABLE cl_new RENAME TO cl_scope")
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
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_changed AS
        SELECT cluster_id FROM cl_old SEMI JOIN cl_write USING (event_id)
        UNION SELECT cluster_id FROM cl_write{f' UNION SELECT cluster_id FROM {gone}' if gone else ''}""")
    con.execute("DELETE FROM clusters WHERE event_id IN (SELECT event_id FROM cl_write)")
    con.execute("INSERT INTO clusters SELECT event_id, cluster_id, block, day FROM cl_write")
    con.execute("DELETE FROM cluster_summary WHERE cluster_id IN (SELECT cluster_id FROM cl_changed)")
    summarise(con)
    refresh_units(con, "cl_changed", units_rows())
    temps = "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'cl_')"
    for (name,) in con.execute(temps).fetchall():
        con.execute(f"DROP TABLE {name}")


ATOM_KEYS = ("block", "day", "pc", "cell", "dsub", "na", "nb")
"""An atom: the reports of one block, day, place cell, direction and named people."""
ATOM_HASH = "hash(" + ", ".join("{s}" + k for k in ATOM_KEYS) + ")"
"""One integer for an atom's keys: a report finds its atom by it (a join on one integer instead of seven strings),
exact while no two atoms of the scope share it (checked; else the join takes the seven keys)."""
LINKED = ("{b}.dsub = {a}.dsub AND (({a}.na = '' AND {a}.nb = '') OR ({b}.na = '' AND {b}.nb = '') "
          "OR ({a}.na <> '' AND {a}.na = {b}.na) OR ({a}.nb <> '' AND {a}.nb = {b}.nb))")
"""Whether atom or group {a} may join {b}: the same direction, and either one names nobody (a generic actor such as
"United States") or both name the same person on one side."""


def _same(keys: tuple[str, ...], a: str, b: str) -> str:
    return " AND ".join(f"{a}.{k} IS NOT DISTINCT FROM {b}.{k}" for k in keys)


def _merge_atoms(con: duckdb.DuckDBPyConnection) -> None:
    """cl_merge: each atom with the atom it merges into within its block, day and cell (itself when none).

    ICEWS consultations naming the same person on one side and no other person on the other are one (North Korea's
    hosting of Lavrov and his talks with Ri Yong-ho are one visit; Kang Kyung-wha's talks with Pompeo and with Sung
    Kim are two), taken to a fixed point, smallest atom first. A consultation of generic actors on both sides then
    joins the largest such union of named ones. A sentence-coded statement, appeal or complaint joins the exchange
    (call, meeting, visit) of its block and day that one of its pages also tells, the largest if several."""
    place = ("block", "day", "pc", "cell")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_links AS
        SELECT unnest([x.atom, y.atom]) AS atom, x.atom || '~' || y.atom AS link, unnest([x.atom, y.atom]) AS lab
        FROM (SELECT * FROM cl_atoms0 WHERE na <> '' OR nb <> '') AS x
        JOIN (SELECT * FROM cl_atoms0 WHERE na <> '' OR nb <> '') AS y ON {_same(place, 'x', 'y')} AND x.atom < y.atom
            AND ((x.na <> '' AND x.na = y.na AND (x.nb = '' OR y.nb = '' OR x.nb = y.nb))
                 OR (x.nb <> '' AND x.nb = y.nb AND (x.na = '' OR y.na = '' OR x.na = y.na)))""")
    while True:
        con.execute("""CREATE OR REPLACE TEMP TABLE cl_labs AS
            WITH by_link AS (SELECT link, min(lab) AS lab FROM cl_links GROUP BY link)
            SELECT d.atom, min(b.lab) AS lab FROM cl_links AS d JOIN by_link AS b USING (link) GROUP BY d.atom""")
        changed = con.execute("""UPDATE cl_links SET lab = b.lab FROM cl_labs AS b
            WHERE b.atom = cl_links.atom AND b.lab < cl_links.lab""").fetchall()[0][0]
        if not changed:
            break
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_merge AS
        WITH keyed AS (SELECT atom, min(lab) AS root FROM cl_links GROUP BY atom),
        named AS (SELECT a.*, coalesce(k.root, a.atom) AS root FROM cl_atoms0 AS a LEFT JOIN keyed AS k USING (atom)
                  WHERE a.na <> '' OR a.nb <> ''),
        sized AS (SELECT root, any_value(block) AS block, any_value(day) AS day, any_value(pc) AS pc,
                         any_value(cell) AS cell, sum(n) AS n FROM named GROUP BY root),
        generic AS (
            SELECT a.atom, s.root FROM cl_atoms0 AS a JOIN sized AS s ON {_same(place, 'a', 's')}
            WHERE a.na = '' AND a.nb = '' AND a.dsub = ''
            QUALIFY row_number() OVER (PARTITION BY a.atom ORDER BY s.n DESC, s.root) = 1),
        paged AS (
            WITH rows AS (SELECT DISTINCT s.block, s.day, s.page, a.atom, a.dsub, a.n FROM cl_scope AS s
                          JOIN cl_atoms0 AS a ON {_same(ATOM_KEYS, 's', 'a')}
                          WHERE s.page IS NOT NULL AND NOT s.month_only)
            SELECT st.atom, ex.atom AS root FROM rows AS st
            JOIN rows AS ex ON ex.block = st.block AND ex.day = st.day AND ex.page = st.page AND ex.dsub = ''
            WHERE st.dsub <> '' QUALIFY row_number() OVER (PARTITION BY st.atom ORDER BY ex.n DESC, ex.atom) = 1)
        SELECT a.atom, coalesce(k.root, g.root, p.root, a.atom) AS root FROM cl_atoms0 AS a
        LEFT JOIN keyed AS k USING (atom) LEFT JOIN generic AS g USING (atom) LEFT JOIN paged AS p USING (atom)""")


def _retold(con: duckdb.DuckDBPyConnection) -> None:
    """A day's smaller group of named contacts (which step 3 leaves alone) joins the cluster of an adjacent day's
    largest group of its block, direction and place when that one is larger and names one of its people with the
    other side fitting (Kim Yong-chol received in Washington on 1 June 2018 and told again on the 2nd)."""
    con.execute(f"""UPDATE cl_roots SET root = t.root FROM (
        SELECT x.grp, y.root FROM cl_roots AS x JOIN cl_atoms AS xa ON xa.atom = x.grp
        JOIN cl_roots AS y ON y.primary_ AND abs(y.day - x.day) = 1 AND y.n > x.n
            AND {_same(('dsub', 'pc', 'cell'), 'x', 'y')}
        JOIN cl_atoms AS ya ON ya.block = xa.block AND ya.atom = y.grp
        JOIN cl_groups AS yg ON yg.grp = y.grp JOIN cl_merge AS ym ON ym.root = yg.atom
        JOIN cl_atoms0 AS y0 ON y0.atom = ym.atom AND y0.dsub = xa.dsub
            AND ((xa.na <> '' AND xa.na = y0.na AND (xa.nb = '' OR y0.nb = '' OR xa.nb = y0.nb))
                 OR (xa.nb <> '' AND xa.nb = y0.nb AND (xa.na = '' OR y0.na = '' OR xa.na = y0.na)))
        WHERE NOT x.primary_ AND (xa.na <> '' OR xa.nb <> '')
        QUALIFY row_number() OVER (PARTITION BY x.grp ORDER BY y.n DESC, y.day, y.root) = 1) AS t
        WHERE cl_roots.grp = t.grp""")


def _beside_undated(con: duckdb.DuckDBPyConnection) -> None:
    """A lone group of curated records that name their day joins the cluster of an adjacent day's group of its block,
    direction and place whose records name no day of their own (a deadline, "by July 30", or none): that day is only
    the page's, so the act it tells may be the named one (F-16s arriving "on Friday, July 31" for the drills the troops
    "arrived by July 30" for). Lone: step 3 left it alone and no group joined it."""
    con.execute("""UPDATE cl_roots SET root = t.root FROM (
        SELECT x.grp, y.root FROM cl_roots AS x
        JOIN cl_atoms AS xa ON xa.atom = x.grp
        JOIN cl_roots AS y ON y.primary_ AND y.undated AND abs(y.day - x.day) = 1
            AND x.dsub = y.dsub AND x.pc IS NOT DISTINCT FROM y.pc AND x.cell IS NOT DISTINCT FROM y.cell
        JOIN cl_atoms AS ya ON ya.atom = y.grp AND ya.block = xa.block
        WHERE x.primary_ AND x.read_day AND x.root = x.grp
            AND NOT EXISTS (SELECT 1 FROM cl_roots AS f WHERE f.root = x.grp AND f.grp <> x.grp)
        QUALIFY row_number() OVER (PARTITION BY x.grp ORDER BY y.n DESC, y.day, y.root) = 1) AS t
        WHERE cl_roots.grp = t.grp""")


def _atom_join(con: duckdb.DuckDBPyConnection) -> str:
    """How a scope report ``s`` finds its atom ``a`` in cl_atom_ids: by ATOM_HASH when no two atoms share it."""
    if _scalar(con, "SELECT count(*) > count(DISTINCT ak) FROM cl_atom_ids"):
        return _same(ATOM_KEYS, "s", "a")
    return f"a.ak = {ATOM_HASH.format(s='s.')}"


def _assign(con: duckdb.DuckDBPyConnection) -> None:
    """cl_assigned: every scope report with its cluster id, by the atoms, their merges, place attachment and peaks."""
    doc_places(con)
    mirror_rows(con)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_atoms0 AS
        SELECT block, day, pc, cell, dsub, na, nb, {ATOM_HASH.format(s='')} AS ak,
               CASE WHEN cell IS NOT NULL THEN 2 WHEN pc IS NOT NULL THEN 1 ELSE 0 END AS level,
               min(event_id) AS atom, count(*) AS n, bool_and(text_dated) AND bool_or(day_named) AS text_dated,
               bool_and(text_dated) AND NOT bool_or(day_named) AS undated, bool_and(night) AS night
        FROM cl_scope WHERE NOT month_only GROUP BY block, day, pc, cell, dsub, na, nb""")
    _merge_atoms(con)
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_atoms AS
        SELECT r.block, r.day, r.pc, r.cell, r.dsub, r.na, r.nb, r.level, r.atom, m.n, m.text_dated, m.undated, m.night
        FROM (SELECT m.root, sum(a.n) AS n, bool_and(a.text_dated) AS text_dated, bool_and(a.undated) AS undated,
                     bool_and(a.night) AS night FROM cl_atoms0 AS a JOIN cl_merge AS m USING (atom) GROUP BY m.root) AS m
        JOIN cl_atoms0 AS r ON r.atom = m.root""")
    # Country-only atoms join the largest first-level atom of their country that day; unplaced atoms then join
    # the largest placed group of the day, each only where direction and named people fit.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_groups AS
        WITH one AS (
            SELECT a.atom, b.atom AS grp FROM cl_atoms AS a
            JOIN cl_atoms AS b ON b.block = a.block AND b.day = a.day AND contains(b.pc, a.pc) AND b.level = 2
                AND {LINKED.format(a='a', b='b')}
            WHERE a.level = 1 QUALIFY row_number() OVER (PARTITION BY a.atom ORDER BY b.n DESC, b.atom) = 1),
        placed AS (
            SELECT a.*, coalesce(o.grp, a.atom) AS grp FROM cl_atoms AS a LEFT JOIN one AS o USING (atom)
            WHERE a.level >= 1),
        sized AS (SELECT grp, any_value(block) AS block, any_value(day) AS day, sum(n) AS n FROM placed GROUP BY grp),
        best AS (
            SELECT a.atom, s.grp FROM cl_atoms AS a JOIN sized AS s ON s.block = a.block AND s.day = a.day
            JOIN cl_atoms AS g ON g.atom = s.grp AND {LINKED.format(a='a', b='g')}
            WHERE a.level = 0 QUALIFY row_number() OVER (PARTITION BY a.atom ORDER BY s.n DESC, s.grp) = 1),
        zero AS (
            SELECT a.atom, coalesce(b.grp, a.atom) AS grp FROM cl_atoms AS a LEFT JOIN best AS b USING (atom)
            WHERE a.level = 0)
        SELECT atom, grp FROM placed UNION ALL SELECT atom, grp FROM zero""")
    peaks(con)
    _retold(con)
    _beside_undated(con)
    distinct_rows(con)
    doc_days(con, ATOM_KEYS)
    # Each atom's cluster: the smallest event id of its root's day-dated reports, the smallest of their atoms' ids;
    # then each report's, by its atom, found by one integer key (ATOM_HASH) when no two atoms of the scope share it.
    con.execute("""CREATE OR REPLACE TEMP TABLE cl_atom_ids AS
        WITH rooted AS (SELECT a.*, r.root FROM cl_atoms0 AS a JOIN cl_merge AS m USING (atom)
                        JOIN cl_groups AS gr ON gr.atom = m.root JOIN cl_roots AS r ON r.grp = gr.grp)
        SELECT a.*, i.cluster_id, i.size FROM rooted AS a
        JOIN (SELECT root, min(atom) AS cluster_id, sum(n) AS size FROM rooted GROUP BY root) AS i USING (root)""")
    atom_of = _atom_join(con)
    # Month-only reports join the largest cluster of their block whose root lies in their month and which holds a
    # report of their base code, if any; else those of one code, place and month form a cluster.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_assigned AS
        WITH dated AS (
            SELECT s.event_id, s.block, s.day, s.inner_, s.month_only, s.code, a.root, a.cluster_id, a.size
            FROM cl_scope AS s JOIN cl_atom_ids AS a ON {atom_of} WHERE NOT s.month_only),
        codes AS (SELECT root, any_value(cluster_id) AS cluster_id, any_value(size) AS n, any_value(block) AS block,
                         list_distinct(list(left(code, 3))) AS codes FROM dated
                  SEMI JOIN (SELECT DISTINCT block FROM cl_scope WHERE month_only) USING (block) GROUP BY root),
        rooted AS (SELECT c.*, r.day, r.pc, r.cell, r.dsub FROM codes AS c JOIN cl_roots AS r ON r.grp = c.root),
        target AS (
            SELECT s.event_id, r.cluster_id FROM cl_scope AS s
            JOIN rooted AS r ON r.block = s.block AND r.dsub = s.dsub AND date_trunc('month', r.day) = date_trunc('month', s.day)
                AND list_contains(r.codes, left(s.code, 3))
                AND (s.pc IS NULL OR r.pc IS NULL OR contains(r.pc, s.pc))
                AND (s.cell IS NULL OR r.cell IS NULL OR r.cell = s.cell)
            WHERE s.month_only QUALIFY row_number() OVER (PARTITION BY s.event_id ORDER BY r.n DESC, r.cluster_id) = 1),
        vague AS (
            SELECT s.event_id, s.block, s.day, s.inner_, s.month_only,
                   coalesce(t.cluster_id, min(s.event_id) OVER (
                       PARTITION BY s.block, s.dsub, s.day, s.pc, s.cell, s.code)) AS cluster_id
            FROM cl_scope AS s LEFT JOIN target AS t USING (event_id) WHERE s.month_only)
        SELECT event_id, block, day, inner_, month_only, cluster_id FROM dated
        UNION ALL SELECT event_id, block, day, inner_, month_only, cluster_id FROM vague""")
