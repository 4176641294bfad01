"""The clustering's joins across adjacent days after its peaks (docs/methods.md, "Event clusters", step 3): each moves
one group that step 3 left alone into the cluster of a group on the day beside it, where the reports say they tell
one happening whose day the outlets disagree on. Kept apart from ``clustering`` (which builds the groups and peaks)
so each stays one job and small.

Knowledge time: a join that lets a report published later decide which earlier reports form one cluster leaks
(``tests/forecast/test_knowledge_time.py`` clusters only what was known at T and compares). So a group that moves is
lone (no other group joined it: moving it bridges nothing) and, for a retold statement, is known no earlier than the
reports that decide its move.
"""

from __future__ import annotations

import duckdb


def _same(keys: tuple[str, ...], a: str, b: str) -> str:
    return " AND ".join(f"{a}.{k} IS NOT DISTINCT FROM {b}.{k}" for k in keys)


def retold_contacts(con: duckdb.DuckDBPyConnection) -> None:
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


def beside_undated(con: duckdb.DuckDBPyConnection) -> None:
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


def retold_statements(con: duckdb.DuckDBPyConnection, atom_keys: tuple[str, ...]) -> None:
    """A lone group of sentence-coded statements (roots 01, 02, 11) joins the cluster of the same speaker's statement
    of the day before: same block, direction and full CAMEO code, the same speaker's name, places that fit (one of
    them unplaced, or one cell). Outlets date one statement by the day it was made or the day it was reported:
    Azerbaijan's admission of the helicopter downing told on 9 and 10 November 2020, Macron's claim about Syrian
    fighters "on Thursday" 1 October and "on October 2", Aliyev's complaint in his 12 August call told "according to a
    statement on August 13". Only forward (the later day's group moves) and only when every report of the moving group
    is known no earlier than the reports it matches, so at any time T the move is decided by reports known by T: a
    report published later never bridges earlier clusters. Two statements by one speaker on two days, both lone and
    matching, would join (a failure case: the same accusation made again the next day)."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_said AS
        SELECT s.event_id, s.block, s.day, s.pc, s.cell, s.dsub, s.code, s.speaker, s.known, r.grp, r.root,
               r.primary_ AND r.root = r.grp AS lone_root
        FROM cl_scope AS s
        JOIN cl_atoms0 AS a ON {_same(atom_keys, 's', 'a')} JOIN cl_merge AS m ON m.atom = a.atom
        JOIN cl_groups AS gr ON gr.atom = m.root JOIN cl_roots AS r ON r.grp = gr.grp
        WHERE s.speaker IS NOT NULL AND NOT s.month_only""")
    con.execute("""UPDATE cl_roots SET root = t.root FROM (
        WITH lone AS (
            SELECT grp FROM cl_said GROUP BY grp HAVING bool_and(lone_root)
            EXCEPT SELECT root FROM cl_roots WHERE root <> grp),
        only_said AS (
            SELECT l.grp, min(s.known) AS known FROM lone AS l JOIN cl_said AS s USING (grp) GROUP BY l.grp
            HAVING count(*) = (SELECT n FROM cl_roots AS r WHERE r.grp = l.grp)),
        moves AS (
            SELECT x.grp, y.root, count(*) AS n, max(y.known) AS decided, any_value(o.known) AS known
            FROM cl_said AS x JOIN only_said AS o USING (grp)
            JOIN cl_said AS y ON y.block = x.block AND y.day = x.day - 1 AND y.dsub = x.dsub AND y.code = x.code
                AND y.speaker = x.speaker AND y.grp <> x.grp
                AND (x.cell IS NULL OR y.cell IS NULL OR x.cell = y.cell)
                AND (x.pc IS NULL OR y.pc IS NULL OR contains(x.pc, y.pc) OR contains(y.pc, x.pc))
            GROUP BY x.grp, y.root)
        SELECT grp, root FROM moves
        WHERE known >= decided AND grp NOT IN (SELECT root FROM moves)
        QUALIFY row_number() OVER (PARTITION BY grp ORDER BY n DESC, root) = 1) AS t
        WHERE cl_roots.grp = t.grp""")
