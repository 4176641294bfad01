"""The clustering's peaks across days (docs/methods.md, "Event clusters", step 3): which day's group of a block,
direction and place an adjacent day's group joins. Kept apart from ``clustering`` for size, and because its window
functions partition by an integer key of their own (below), the largest cost of the step when they sorted the four
string keys (issue 15).
"""

from __future__ import annotations

import duckdb

PLACE_KEY = "hash(block, dsub, pc, cell)"
"""One integer for a group's block, direction and place, which the windows partition by instead of the four strings
(the step's CPU 2.1 → 1.5 s at 1M rows; ``peaks`` computes it as ``pk`` on its group's atom). Exact only while no
two of the scope's (block, dsub, pc, cell) share it, which ``_place_key`` checks: on a collision the windows
partition by the strings as well."""


def _place_key(con: duckdb.DuckDBPyConnection) -> str:
    """The windows' partition key: the hash alone when it tells the scope's places apart, else the hash and the keys."""
    clashes = con.execute(f"""SELECT count(*) FROM (SELECT DISTINCT block, dsub, pc, cell FROM cl_atoms)
                              GROUP BY {PLACE_KEY} HAVING count(*) > 1""").fetchall()
    return "pk, block, dsub, pc, cell" if clashes else "pk"


def peaks(con: duckdb.DuckDBPyConnection, key: str | None = None) -> None:
    """cl_roots: each group of ``cl_groups`` with the group whose cluster it joins (its root), by the peaks rule.

    A group joins an adjacent day's group of the same block, direction and place when that one is a local peak of
    reports (of a day's groups there only the largest: named consultations that share nobody stand alone) (ties go
    to the earlier day); peaks and groups next to no peak stand alone, and so does a group of curated records only
    that name their day: their day is read from the text, not a publication date (in parts A and B of the held-out
    pairs a lone record a day off a louder day was another act twice and the same act never; in the first sample it
    was the same act twice: docs/methods.md), unless the louder day is a night's (every report of it puts the act at
    night, which outlets date by either of its two days). ``key``: the windows' partition key (``_place_key``'s by
    default; the tests force the string keys)."""
    part = key or _place_key(con)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cl_roots AS
        WITH g AS (
            SELECT grp, any_value(block) AS block, min(day) AS day, sum(n) AS n,
                   bool_and(text_dated) AS read_day, bool_and(undated) AS undated, bool_and(night) AS night
            FROM cl_groups JOIN cl_atoms USING (atom) GROUP BY grp),
        ranked AS (SELECT g.*, a.pc, a.cell, a.dsub, g.n * 1000000 - (g.day - DATE '1800-01-01') AS score,
                          hash(g.block, a.dsub, a.pc, a.cell) AS pk
                   FROM g JOIN cl_atoms AS a ON a.atom = g.grp),
        firsts AS (SELECT *, row_number() OVER (PARTITION BY {part}, day ORDER BY n DESC, grp) = 1 AS primary_
                   FROM ranked),
        placed AS (SELECT * FROM firsts WHERE primary_),
        nb AS (
            SELECT *, lag(day) OVER w AS pday, lag(score) OVER w AS pscore, lag(grp) OVER w AS pgrp,
                   lead(day) OVER w AS nday, lead(score) OVER w AS nscore, lead(grp) OVER w AS ngrp
            FROM placed WINDOW w AS (PARTITION BY {part} ORDER BY day)),
        peaks AS (
            SELECT *, pday = day - 1 AS padj, nday = day + 1 AS nadj,
                   (pday IS NULL OR pday < day - 1 OR pscore < score)
                   AND (nday IS NULL OR nday > day + 1 OR nscore < score) AS peak
            FROM nb),
        marked AS (
            SELECT *, lag(peak) OVER w AS ppeak, lead(peak) OVER w AS npeak, lag(night) OVER w AS pnight,
                   lead(night) OVER w AS nnight
            FROM peaks WINDOW w AS (PARTITION BY {part} ORDER BY day))
        SELECT grp, CASE
            WHEN peak THEN grp
            WHEN read_day AND NOT coalesce((padj AND ppeak AND pnight) OR (nadj AND npeak AND nnight), FALSE) THEN grp
            WHEN coalesce(padj AND ppeak, FALSE) AND NOT coalesce(nadj AND npeak AND nscore > pscore, FALSE) THEN pgrp
            WHEN coalesce(nadj AND npeak, FALSE) THEN ngrp
            ELSE grp END AS root, day, pc, cell, dsub, TRUE AS primary_, n, read_day, undated
        FROM marked
        UNION ALL SELECT grp, grp, day, pc, cell, dsub, FALSE, n, read_day, undated FROM firsts WHERE NOT primary_""")
