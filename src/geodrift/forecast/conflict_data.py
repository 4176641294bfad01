"""Country-year and pair-year conflict outcomes from the store's UCDP and COW tables.

Outcomes per year (docs/methods.md, "Conflict forecasts"):
- ``conflict``: the country is a primary party (side A or B) to an active UCDP/PRIO armed conflict-year
  (≥ 25 battle deaths); a pair: the two states fought on opposite sides (as primary or secondary party);
- ``war``: the same in a conflict-year of intensity 2 (≥ 1,000 battle deaths);
- ``dispute``: the country or pair is in a COW militarised interstate dispute that year (MID 5.0, to 2014);
- ``deaths``: the country's battle deaths as a primary party (UCDP BRD, best estimate, 1989–2021).
Years a source does not cover are missing (NaN), never 0. ACD is read from its latest stored release.
Countries are the Gleditsch–Ward state system of each year, as ISO3 units (codebooks/states.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from geodrift.analytics.unvotes import ideal_points
from geodrift.codebooks.states import system_members
from geodrift.errors import InputError
from geodrift.store import Store

OUTCOMES = ("conflict", "war", "dispute")
FIRST_YEAR = 1946


def region_of(gw_code: int) -> str:
    """Gleditsch–Ward numbers run by region: the neighbourhood a country's neighbours' conflicts are read from."""
    for top, name in ((199, "Americas"), (399, "Europe"), (626, "Africa"), (699, "Middle East")):
        if gw_code <= top:
            return name
    return "Asia and Oceania"


def _split(value: object) -> list[str]:
    return [p.strip() for p in str(value).split(",") if p.strip()] if isinstance(value, str) else []


@dataclass(frozen=True)
class ConflictHistory:
    """Yearly outcomes: ``countries`` (unit, year, region, conflict, war, dispute, deaths, n_conflicts) and
    ``pairs`` (unit 'AAA-BBB', year, conflict, war, dispute, hostlev, primary, coalition, deaths); ``coverage`` gives
    each source's last year."""

    countries: pd.DataFrame
    pairs: pd.DataFrame
    coverage: dict[str, int]
    ideals: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["iso3", "year", "ideal"]))
    """Yearly UN-vote ideal points (analytics/unvotes.ideal_points: each year from that year's votes only), empty
    when the store holds no UN votes."""
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict, compare=False, repr=False)
    """Tables derived from this history, computed once and reused by every task, horizon and origin (the feature
    grids of conflict_features.py, the cuts of ``known_by``): a backtest of twelve tasks otherwise rebuilds the same
    features dozens of times. Safe because a history is never changed after it is built."""

    @property
    def last_year(self) -> int:
        return max(self.coverage.values())

    def has(self, outcome: str) -> bool:
        """Whether the store holds any data for ``outcome`` (no COW file: no dispute forecasts, not a coin flip)."""
        return self.coverage["mid" if outcome == "dispute" else "brd" if outcome == "deaths" else "acd"] > 0

    def covered(self, outcome: str, year: int) -> bool:
        """Whether ``outcome`` is observed in ``year``."""
        last = self.coverage["mid" if outcome == "dispute" else "acd"]
        return FIRST_YEAR <= year <= last and (outcome != "deaths" or 1989 <= year <= self.coverage["brd"])

    def known_by(self, last_year: int) -> ConflictHistory:
        """The history cut after ``last_year`` (what was published then), to test for leakage; one cut per year,
        kept in ``memo`` with the features derived from it."""
        key = ("known_by", last_year)
        if key not in self.memo:
            self.memo[key] = ConflictHistory(
                self.countries[self.countries.year <= last_year].reset_index(drop=True),
                self.pairs[self.pairs.year <= last_year].reset_index(drop=True),
                {k: min(v, last_year) for k, v in self.coverage.items()},
                self.ideals[self.ideals.year <= last_year].reset_index(drop=True))
        cut: ConflictHistory = self.memo[key]
        return cut

    @cached_property
    def first_history(self) -> dict[str, int]:
        """Each pair's first year with a conflict or dispute between its two states."""
        hit = self.pairs[(self.pairs.conflict > 0) | (self.pairs.dispute > 0)]
        return {str(k): int(v) for k, v in hit.groupby("unit").year.min().items()}


def data_vintage(store: Store) -> str:
    """The conflict data in the store as a reader should see them: 'UCDP/PRIO ACD v25.1 (to 2024); COW MID (to
    2014)' (the MID dyad-years carry no version; MID 5.0 ends in 2014)."""
    parts = []
    if store.has_table("conflict_years"):
        acd = store.df("SELECT max(version) AS v, max(year) AS y FROM conflict_years "
                       "WHERE version = (SELECT max(version) FROM conflict_years)")
        if pd.notna(acd.y[0]):
            parts.append(f"UCDP/PRIO armed conflicts v{acd.v[0]} (to {int(acd.y[0])})")
    if store.has_table("mid_dyad_years"):
        mid = store.df("SELECT max(year) AS y FROM mid_dyad_years")
        if pd.notna(mid.y[0]):
            parts.append(f"COW militarised interstate disputes (to {int(mid.y[0])})")
    return "; ".join(parts) or "no conflict data in the store"


def _members(first: int, last: int) -> pd.DataFrame:
    rows = [(iso3, year, region_of(code)) for year in range(first, last + 1)
            for code, iso3 in system_members("gw", year).items()]
    return pd.DataFrame(rows, columns=["unit", "year", "region"]).drop_duplicates(["unit", "year"])


def load_conflict_history(store: Store, *, through: int = 2030) -> ConflictHistory:
    """Country-year and pair-year outcomes from conflict_years, battle_deaths and mid_dyad_years, and the yearly
    UN-vote ideal points when ``geodrift unvotes load`` has filled un_votes.

    ``through`` extends the country list past the data (the years forecasts are for).

    Raises:
        InputError: no UCDP conflict-years in the store.
    """
    if not store.has_table("conflict_years") or not store.df("SELECT count(*) AS n FROM conflict_years").n[0]:
        raise InputError("no UCDP conflict-years in the store: ingest a UCDP/PRIO ACD file "
                         "(geodrift ingest FILE --format ucdp-acd)")
    acd = store.df("""SELECT conflict_id, year, intensity_level AS intensity, iso3_a, iso3_a_2nd, iso3_b, iso3_b_2nd
                      FROM conflict_years WHERE version = (SELECT max(version) FROM conflict_years)""")
    brd = store.df("SELECT year, bd_best, iso3_a, iso3_b FROM battle_deaths") if store.has_table(
        "battle_deaths") else pd.DataFrame(columns=["year", "bd_best", "iso3_a", "iso3_b"])
    mid = store.df("SELECT DISTINCT year, iso3_1, iso3_2, hostlev FROM mid_dyad_years "
                   "WHERE iso3_1 IS NOT NULL AND iso3_2 IS NOT NULL") if store.has_table(
        "mid_dyad_years") else pd.DataFrame(columns=["year", "iso3_1", "iso3_2", "hostlev"])
    coverage = {"acd": int(acd.year.max()), "brd": int(brd.year.max()) if len(brd) else 0,
                "mid": int(mid.year.max()) if len(mid) else 0}
    countries = _members(FIRST_YEAR, max(through, coverage["acd"]))

    party = [(u, int(r["year"]), int(r["intensity"]), int(r["conflict_id"])) for r in acd.to_dict("records")
             for u in {*_split(r["iso3_a"]), *_split(r["iso3_b"])}]
    parties = pd.DataFrame(party, columns=["unit", "year", "intensity", "conflict_id"])
    per = parties.groupby(["unit", "year"]).agg(conflict=("intensity", "size"), war_n=("intensity", lambda s: (s == 2).sum()))
    deaths = pd.DataFrame([(u, int(r["year"]), float(r["bd_best"])) for r in brd.to_dict("records")
                           for u in {*_split(r["iso3_a"]), *_split(r["iso3_b"])}], columns=["unit", "year", "deaths"])
    dispute = pd.concat([mid.rename(columns={"iso3_1": "unit"})[["unit", "year"]],
                         mid.rename(columns={"iso3_2": "unit"})[["unit", "year"]]]).drop_duplicates()
    dispute["dispute"] = 1.0
    countries = (countries.merge(per.reset_index(), on=["unit", "year"], how="left")
                 .merge(deaths.groupby(["unit", "year"]).deaths.sum().reset_index(), on=["unit", "year"], how="left")
                 .merge(dispute, on=["unit", "year"], how="left"))
    countries["n_conflicts"] = countries.conflict.fillna(0)
    countries["conflict"] = (countries.n_conflicts > 0).astype(float)
    countries["war"] = (countries.war_n.fillna(0) > 0).astype(float)
    countries["dispute"] = countries.dispute.fillna(0.0)
    countries["deaths"] = countries.deaths.fillna(0.0)
    countries.loc[countries.year > coverage["acd"], ["conflict", "war", "n_conflicts"]] = np.nan
    countries.loc[countries.year > coverage["mid"], "dispute"] = np.nan
    countries.loc[(countries.year < 1989) | (countries.year > coverage["brd"]), "deaths"] = np.nan
    countries = countries.drop(columns=["war_n"]).sort_values(["unit", "year"]).reset_index(drop=True)
    ideals = ideal_points(store) if store.has_table("un_votes") else None
    pairs = _pairs(acd, mid, coverage, brd)
    if ideals is not None and len(ideals):
        return ConflictHistory(countries, pairs, coverage, ideals)
    return ConflictHistory(countries, pairs, coverage)


def _pairs(acd: pd.DataFrame, mid: pd.DataFrame, coverage: dict[str, int], brd: pd.DataFrame) -> pd.DataFrame:
    """Pair-years with a conflict (opposite sides) or a dispute; every year of every such pair is filled in.

    ``primary`` marks a conflict-year in which both states were primary parties (a coalition member's war, e.g.
    the 34 states against Iraq in 1991, ends with the coalition, the principals' goes on); ``coalition`` is the
    number of state pairs the conflict-year set against each other (the largest, when there were several);
    ``deaths`` the battle deaths of the pair's state-against-state BRD dyad-years (primary parties only: BRD counts
    no secondary supporter), NaN outside BRD's years."""
    rows = []
    for r in acd.to_dict("records"):
        first_a, first_b = set(_split(r["iso3_a"])), set(_split(r["iso3_b"]))
        side_a, side_b = first_a | set(_split(r["iso3_a_2nd"])), first_b | set(_split(r["iso3_b_2nd"]))
        opposed = [(a, b) for a, b in product(side_a, side_b) if a != b]
        for a, b in opposed:
            rows.append(("-".join(sorted((a, b))), int(r["year"]), 1.0, float(r["intensity"] == 2), 0.0, 0.0,
                         float(a in first_a and b in first_b), float(len(opposed))))
    for r in mid.to_dict("records"):
        one, two = str(r["iso3_1"]), str(r["iso3_2"])
        if one != two:
            rows.append(("-".join(sorted((one, two))), int(r["year"]), 0.0, 0.0, 1.0, float(r["hostlev"]), 0.0, 0.0))
    hits = pd.DataFrame(rows, columns=["unit", "year", "conflict", "war", "dispute", "hostlev", "primary", "coalition"])
    hits = hits.groupby(["unit", "year"]).max().reset_index()
    deaths = pd.DataFrame([("-".join(sorted((a, b))), int(r["year"]), float(r["bd_best"]))
                           for r in brd.to_dict("records")
                           for a, b in product(_split(r["iso3_a"]), _split(r["iso3_b"])) if a != b],
                          columns=["unit", "year", "deaths"]).groupby(["unit", "year"]).deaths.sum().reset_index()
    last = max(coverage.values())
    units = hits.unit.unique()
    grid = pd.DataFrame(list(product(units, range(FIRST_YEAR, last + 6))), columns=["unit", "year"])
    pairs = grid.merge(hits, on=["unit", "year"], how="left").merge(deaths, on=["unit", "year"], how="left").fillna(0.0)
    pairs.loc[(pairs.year < 1989) | (pairs.year > coverage["brd"]), "deaths"] = np.nan
    pairs.loc[pairs.year > coverage["acd"], ["conflict", "war", "primary", "coalition"]] = np.nan
    pairs.loc[pairs.year > coverage["mid"], ["dispute", "hostlev"]] = np.nan
    return pairs.sort_values(["unit", "year"]).reset_index(drop=True)
