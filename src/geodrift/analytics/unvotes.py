"""UN General Assembly votes as an independent alignment signal: agreement, kappa, S-scores, ideal points.

Votes are coded 1 yes, 2 abstain, 3 no. For two states over the roll calls both voted on in a year:
- agreement: share of identical votes;
- Cohen's kappa: (p_o - p_e) / (1 - p_e), p_e from each state's own yes/abstain/no shares;
- S-score (Signorino & Ritter 1999): 1 - 2 d / d_max with d the mean absolute vote distance and
  d_max = 2 on the 1..3 scale;
- ideal points: the first principal axis of each year's state x roll-call matrix (yes 1, abstain 0.5,
  no 0), standardised within the year and oriented so the United States is positive: a one-
  dimensional scaling in the spirit of Bailey, Strezhnev & Voeten (2017), validated against theirs.
Formulas and references: docs/methods.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pycountry

from geodrift.errors import InputError
from geodrift.query import resolve
from geodrift.registered import registered
from geodrift.store import Store

MIN_VOTES = 10
"""Fewer common roll calls than this in a year give no agreement, kappa or S-score (one vote says nothing)."""
MIN_SHARE = 0.3
"""A state enters a year's scaling if it voted on at least this share of its roll calls."""
OWN_IDEAL_POINTS = "un_idealpoints_geodrift"
"""The table of geodrift's own ideal points (iso3, year, ideal), estimated once when the votes are loaded."""


def load_unvotes(store: Store, directory: Path, idealpoints: Path | None = None) -> int:
    """Load UNGA roll calls (the unvotes package's CSVs) and, optionally, published ideal points.

    Creates or replaces tables ``un_votes`` (rcid, session, date, year, iso3, vote), geodrift's own ideal points
    (OWN_IDEAL_POINTS) and ``un_idealpoints`` (iso3, year, ideal_all, ideal_fp). Returns the number of votes loaded.
    """
    votes, calls = directory / "un_votes.csv.gz", directory / "un_roll_calls.csv"
    for path in (votes, calls):
        if not path.is_file():
            raise InputError(f"{path}: missing; expected the unvotes files un_votes.csv.gz and un_roll_calls.csv")
    iso2 = pd.DataFrame([(c.alpha_2, c.alpha_3) for c in pycountry.countries], columns=["iso2", "iso3"])
    with registered(store.con, "iso2_map", iso2):
        store.con.execute(f"""
            CREATE OR REPLACE TABLE un_votes AS
            SELECT CAST(v.rcid AS INTEGER) AS rcid, CAST(r.session AS INTEGER) AS session, r.date,
                   year(r.date) AS year, m.iso3,
                   CASE v.vote WHEN 'yes' THEN 1 WHEN 'abstain' THEN 2 WHEN 'no' THEN 3 END::TINYINT AS vote
            FROM read_csv('{_sql(votes)}', header=true, nullstr=['NA', '']) v
            JOIN read_csv('{_sql(calls)}', header=true, nullstr=['NA', '']) r ON CAST(r.rcid AS INTEGER) = CAST(v.rcid AS INTEGER)
            JOIN iso2_map m ON m.iso2 = v.country_code
            WHERE v.vote IN ('yes', 'abstain', 'no')""")
    if idealpoints is not None:
        if not idealpoints.is_file():
            raise InputError(f"{idealpoints}: missing; expected the Bailey-Strezhnev-Voeten ideal points CSV")
        store.con.execute(f"""
            CREATE OR REPLACE TABLE un_idealpoints AS
            SELECT iso3c AS iso3, CAST(year AS INTEGER) AS year, idealpointall AS ideal_all, idealpointfp AS ideal_fp
            FROM read_csv('{_sql(idealpoints)}', header=true) WHERE iso3c IS NOT NULL""")
    with registered(store.con, "estimated", _estimate_ideal_points(store)):
        store.con.execute(f"CREATE OR REPLACE TABLE {OWN_IDEAL_POINTS} AS SELECT * FROM estimated")
    return int(store.df("SELECT count(*) AS n FROM un_votes").n[0])


def _sql(path: Path) -> str:
    return str(path).replace("'", "''")


def _need(store: Store, table: str) -> None:
    if not store.has_table(table):
        raise InputError(f"the store has no {table} table: load UN votes first (geodrift unvotes load DIR)")


def vote_agreement(store: Store, a: str, b: str, *, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Yearly agreement, kappa and S-score between states ``a`` and ``b`` over common roll calls.

    Years with fewer than MIN_VOTES common roll calls are left out.
    """
    _need(store, "un_votes")
    (x,), (y,) = resolve(a), resolve(b)
    years = f"AND p.year >= {int(start)}" if start else ""
    years += f" AND p.year <= {int(end)}" if end else ""
    return store.df(f"""
        WITH p AS (SELECT va.year, va.vote AS va, vb.vote AS vb
                   FROM un_votes va JOIN un_votes vb ON va.rcid = vb.rcid
                   WHERE va.iso3 = '{x}' AND vb.iso3 = '{y}'),
        m AS (SELECT year, count(*) AS n,
                     avg(CASE WHEN va = vb THEN 1.0 ELSE 0.0 END) AS agreement,
                     avg(abs(va - vb)) AS distance,
                     avg(CASE WHEN va = 1 THEN 1.0 ELSE 0 END) * avg(CASE WHEN vb = 1 THEN 1.0 ELSE 0 END)
                   + avg(CASE WHEN va = 2 THEN 1.0 ELSE 0 END) * avg(CASE WHEN vb = 2 THEN 1.0 ELSE 0 END)
                   + avg(CASE WHEN va = 3 THEN 1.0 ELSE 0 END) * avg(CASE WHEN vb = 3 THEN 1.0 ELSE 0 END) AS p_e
              FROM p WHERE TRUE {years} GROUP BY year HAVING count(*) >= {MIN_VOTES})
        SELECT year, n, agreement,
               CASE WHEN p_e < 1 THEN (agreement - p_e) / (1 - p_e) END AS kappa,
               1 - 2 * distance / 2 AS s_score
        FROM m ORDER BY year""")


def ideal_points(store: Store, *, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Yearly one-dimensional ideal points for every state (iso3, year, ideal): estimated when the votes are loaded
    (a store loaded before that was kept estimates them on each call)."""
    _need(store, "un_votes")
    years = f"WHERE year >= {int(start or 0)} AND year <= {int(end or 9999)}"
    if store.has_table(OWN_IDEAL_POINTS):
        return store.df(f"SELECT iso3, year, ideal FROM {OWN_IDEAL_POINTS} {years} ORDER BY year, iso3")
    return _estimate_ideal_points(store, years)


def _estimate_ideal_points(store: Store, years: str = "") -> pd.DataFrame:
    """Each year's scaling of the votes in ``years`` (a WHERE clause on year), as ``ideal_points`` returns it."""
    votes = store.df(f"SELECT rcid, year, iso3, (3 - vote) / 2.0 AS x FROM un_votes {years}")
    rows = []
    for year in sorted(votes.year.unique()):
        group = votes[votes.year == year]
        matrix = group.pivot_table(index="iso3", columns="rcid", values="x")
        matrix = matrix.loc[matrix.notna().sum(axis=1) >= max(5, MIN_SHARE * matrix.shape[1])]
        matrix = matrix.loc[:, matrix.std() > 0]
        if matrix.shape[0] < 10 or matrix.shape[1] < 3:
            continue
        values = matrix.fillna(matrix.mean()).to_numpy()
        values = values - values.mean(axis=0)
        u, s, _ = np.linalg.svd(values, full_matrices=False)
        score = pd.Series(u[:, 0] * s[0], index=matrix.index)
        if "USA" in score.index and score["USA"] < 0:
            score = -score
        score = (score - score.mean()) / score.std()
        rows += [(iso3, int(year), float(v)) for iso3, v in score.items()]
    return pd.DataFrame(rows, columns=["iso3", "year", "ideal"])


def unvote_alignment(store: Store, swing: str, pole_a: str, pole_b: str, *, start: int | None = None,
                     end: int | None = None) -> pd.DataFrame:
    """Yearly UN-vote alignment of ``swing`` between ``pole_a`` (negative) and ``pole_b`` (positive).

    Columns: year, agreement/kappa/s_score with each pole, ideal points, and the position on the scale of
    ``alignment_positions`` (POSITION_SCALE): alignment from our ideal points, alignment_published from
    Bailey-Strezhnev-Voeten's when ``un_idealpoints`` is loaded (that series runs to 2024; it equals the position
    the alignment forecasts use).
    """
    (s,), (a,), (b,) = resolve(swing), resolve(pole_a), resolve(pole_b)
    with_a = vote_agreement(store, s, a, start=start, end=end).add_suffix("_a").rename(columns={"year_a": "year"})
    with_b = vote_agreement(store, s, b, start=start, end=end).add_suffix("_b").rename(columns={"year_b": "year"})
    frame = with_a.merge(with_b, on="year", how="outer")
    # every stored year, so the scale (the poles' mean distance) and each year's position do not depend on the
    # years asked for; then the years asked for
    ip = ideal_points(store).pivot(index="year", columns="iso3", values="ideal")
    if all(c in ip.columns for c in (s, a, b)):
        # a year in which one of the three has no ideal point has no position: no row of blanks for it
        mine = _scaled(ip[[s, a, b]], a, b)[s].rename("alignment").dropna()
        ip = ip[(ip.index >= (start or 0)) & (ip.index <= (end or 9999))]
        mine = mine[mine.index.isin(ip.index)]
        frame = frame.merge(mine, left_on="year", right_index=True, how="outer")
        frame = frame.merge(ip[[s, a, b]].add_prefix("ideal_"), left_on="year", right_index=True, how="left")
    if store.has_table("un_idealpoints"):
        pub = store.df(f"SELECT iso3, year, ideal_all FROM un_idealpoints WHERE iso3 IN ('{s}', '{a}', '{b}')")
        pub = pub.pivot(index="year", columns="iso3", values="ideal_all")
        if all(c in pub.columns for c in (s, a, b)):
            published = _scaled(pub[[s, a, b]], a, b)[s].rename("alignment_published").dropna()
            if start:
                published = published[published.index >= start]
            if end:
                published = published[published.index <= end]
            frame = frame.merge(published, left_on="year", right_index=True, how="outer")
    return frame.sort_values("year").reset_index(drop=True)


POSITION_SCALE = "2 × (distance from the poles' midpoint that year) ÷ (the poles' mean distance): -1 and +1 are " \
                 "the poles on average; beyond ±1 lies outside them"
"""How every UN-vote position is scaled, in the words a table or chart shows beside it."""


def _scaled(table: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Every column of a year x state table of ideal points on the POSITION_SCALE between a (-1) and b (+1).

    Dividing by the poles' mean distance, not each year's, keeps one scale across years: a single year in which
    the poles voted alike would otherwise blow a position up (-2.49 where the mean scale gives -0.94).
    """
    mid = (table[a] + table[b]) / 2
    gap = float((table[b] - table[a]).abs().mean())
    sign = 1.0 if float((table[b] - table[a]).mean()) > 0 else -1.0
    return table.sub(mid, axis=0).mul(2 * sign / gap) if gap > 1e-9 else table * float("nan")


def alignment_positions(store: Store, pole_a: str, pole_b: str, *, published: bool = True) -> pd.DataFrame:
    """Every state's yearly position between two poles from UN ideal points: unit, year, position.

    position = 2 (ip_S - midpoint_t) / mean gap, where midpoint_t is halfway between the poles that year and
    the mean gap is their distance averaged over all years: -1 at A and +1 at B on average, without the
    blow-ups of dividing by a single year's small gap. Published Bailey-Strezhnev-Voeten ideal points are
    used when loaded (``published``), else geodrift's own.
    """
    (a,), (b,) = resolve(pole_a), resolve(pole_b)
    if published and store.has_table("un_idealpoints"):
        ip = store.df("SELECT iso3, year, ideal_all AS ideal FROM un_idealpoints WHERE ideal_all IS NOT NULL")
    else:
        ip = ideal_points(store)
    table = ip.pivot_table(index="year", columns="iso3", values="ideal")
    if a not in table.columns or b not in table.columns:
        raise InputError(f"no UN ideal points for {a} or {b}")
    positions = _scaled(table, a, b).drop(columns=[a, b])
    frame = positions.stack().reset_index()
    frame.columns = ["year", "unit", "position"]
    return frame[["unit", "year", "position"]].astype({"year": int})
