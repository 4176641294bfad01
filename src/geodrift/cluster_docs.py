"""The clustering's steps over GDELT documents (docs/methods.md, "Event clusters", steps 1 and 3): what one document
says is one act however its rows were coded. A row's document (``cluster_keys``: its SOURCEURL, else the document
set's fingerprint, its average tone, or the placeholder counts of a tone-0 batch) ties rows that code one sentence in
mirror directions, with varied roles, at two places or on two days.
"""

from __future__ import annotations

import duckdb

FIRM = "doc IS NOT NULL AND NOT starts_with(doc, 'a') AND root <> 'V'"
"""A document key strong enough to move a row's place or day (a SOURCEURL or an average tone, not the placeholder
counts), outside violence: one article telling two clashes in two provinces, or on two days, tells two happenings."""


def _same(keys: tuple[str, ...], a: str, b: str) -> str:
    return " AND ".join(f"{a}.{k} IS NOT DISTINCT FROM {b}.{k}" for k in keys)


def doc_places(con: duckdb.DuckDBPyConnection) -> None:
    """Give the rows of one document, block, day and country that are geocoded to several first-level divisions one:
    the division holding most of the document's rows there (ties: the first), as GDELT geocodes one story's rows to
    the places its text mentions (Moscow's intent toward the United States placed in Abkhazia, the negotiation it
    tells at the Tbilisi default, 28 November 2012). A domestic act placed at a town keeps it: arrests in two towns are
    two happenings however many articles tell both."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_docplace AS
        WITH cells AS (SELECT block, day, pc, doc, cell, count(*) AS n FROM cl_scope
                       WHERE {FIRM} AND cell IS NOT NULL AND NOT contains(cell, '/') AND NOT month_only
                       GROUP BY ALL)
        SELECT block, day, pc, doc, cell FROM cells
        QUALIFY count(*) OVER (PARTITION BY block, day, pc, doc) > 1
            AND row_number() OVER (PARTITION BY block, day, pc, doc ORDER BY n DESC, cell) = 1""")
    con.execute(f"""UPDATE cl_scope SET cell = m.cell FROM cl_docplace AS m
        WHERE {_same(('block', 'day', 'pc', 'doc'), 'cl_scope', 'm')} AND cl_scope.cell IS NOT NULL
            AND NOT contains(cl_scope.cell, '/') AND cl_scope.cell <> m.cell AND NOT cl_scope.month_only""")


def mirror_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Give the GDELT rows of one document that code one act in several directions (A→B and B→A, or one actor with and
    without its role) one direction: the one of those with the most reports in their block, day and cell (ties: the
    first), so they fall into one atom while other documents' rows keep theirs (an accusation and the counter-accusation
    of two articles stay apart)."""
    place = ("block", "day", "pc", "cell", "kind")
    # A placeholder document key (the 22 November 2012 batch's counts) is too weak to join two roots: there a row's
    # root is part of what must match (its kind), so only its direction is unified.
    kind = "CASE WHEN starts_with(doc, 'a') AND dsub LIKE '0_:%' THEN left(dsub, 2) ELSE '' END"
    # Only a document with two directions in one place can move: a hash of (place, document) finds those candidates
    # by one integer grouping instead of sorting every row's long URL key into windows; the exact steps then run on
    # them, so a collision of two keys costs time, never a wrong row.
    keyed = f"""SELECT block, day, pc, cell, {kind} AS kind, doc, dsub, hash(block, day, pc, cell, {kind}, doc) AS k
        FROM cl_scope WHERE doc IS NOT NULL AND dsub <> '' AND NOT month_only"""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_dirs AS SELECT block, day, pc, cell, {kind} AS kind, dsub,
        count(*) AS n FROM cl_scope WHERE dsub <> '' AND NOT month_only GROUP BY ALL""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_mirror AS
        WITH keyed AS ({keyed}),
        multi AS (SELECT k FROM keyed GROUP BY k HAVING min(dsub) <> max(dsub)),
        docs AS (SELECT DISTINCT block, day, pc, cell, kind, doc, dsub FROM keyed WHERE k IN (SELECT k FROM multi)),
        sized AS (SELECT o.*, d.n, count(*) OVER (PARTITION BY o.block, o.day, o.pc, o.cell, o.kind, o.doc) AS dirs
                  FROM docs AS o JOIN cl_dirs AS d ON {_same((*place, 'dsub'), 'o', 'd')})
        SELECT block, day, pc, cell, kind, doc, dsub FROM sized WHERE dirs > 1
        QUALIFY row_number() OVER (PARTITION BY block, day, pc, cell, kind, doc ORDER BY n DESC, dsub) = 1""")
    con.execute(f"""UPDATE cl_scope SET dsub = m.dsub FROM cl_mirror AS m
        WHERE {_same(('block', 'day', 'pc', 'cell', 'doc'), 'cl_scope', 'm')}
            AND {kind.replace('doc', 'cl_scope.doc').replace('dsub', 'cl_scope.dsub')} = m.kind
            AND cl_scope.dsub <> m.dsub AND NOT cl_scope.month_only""")


def doc_days(con: duckdb.DuckDBPyConnection, atom_keys: tuple[str, ...]) -> None:
    """Join two clusters of one block and place on adjacent days that hold rows of one document (GDELT 1.0 dates a
    document set's rows by the day each was coded: Baku's negotiation with the Azerbaijani government on 7 August 2012
    and Hasanov's with Sharifov on the 8th, one tone, one set of articles). Only groups that are their clusters' roots
    after step 3 join, the smaller into the larger (ties: the earlier), once: a cluster that takes another is not moved
    in turn, so no chain of documents runs across the days."""
    # The rows of spanning documents are picked first (a hash of block and document finds the candidates, checked
    # exactly after), so the joins to their groups see hundreds of rows, not every row of the scope.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_docrows AS
        WITH firm AS (SELECT block, doc, day, hash(block, doc) AS k FROM cl_scope WHERE {FIRM} AND NOT month_only),
        candidates AS (SELECT k FROM firm GROUP BY k HAVING min(day) < max(day)),
        spans AS (SELECT block, doc FROM firm WHERE k IN (SELECT k FROM candidates) GROUP BY block, doc
                  HAVING min(day) < max(day))
        SELECT * FROM cl_scope SEMI JOIN spans USING (block, doc) WHERE NOT month_only""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_docdays AS
        WITH roots AS (SELECT r.grp, a.block, r.day, r.pc, r.cell, r.n FROM cl_roots AS r
                       JOIN cl_atoms AS a ON a.atom = r.grp WHERE r.primary_ AND r.root = r.grp),
        rows AS (
            SELECT DISTINCT r.*, s.doc FROM cl_docrows AS s
            JOIN cl_atoms0 AS a ON {_same(atom_keys, 's', 'a')} JOIN cl_merge AS m ON m.atom = a.atom
            JOIN cl_groups AS gr ON gr.atom = m.root JOIN roots AS r ON r.grp = gr.grp),
        links AS (
            SELECT DISTINCT x.grp AS src, y.grp AS dst, y.n, y.day FROM rows AS x
            JOIN rows AS y ON y.doc = x.doc AND y.block = x.block AND abs(y.day - x.day) = 1
                AND {_same(('pc', 'cell'), 'x', 'y')} AND (y.n > x.n OR (y.n = x.n AND y.day < x.day)))
        SELECT src, dst FROM links WHERE src NOT IN (SELECT dst FROM links)
        QUALIFY row_number() OVER (PARTITION BY src ORDER BY n DESC, day, dst) = 1""")
    con.execute("UPDATE cl_roots SET root = d.dst FROM cl_docdays AS d WHERE cl_roots.root = d.src")
