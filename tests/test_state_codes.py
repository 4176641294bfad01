"""Gleditsch–Ward and COW state numbers to ISO3, with dates: the hard cases, and every code the data use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from geodrift.codebooks.states import state_iso3, state_period, system_members
from geodrift.errors import InputError


@pytest.mark.parametrize(("system", "code", "when", "iso3", "historic"), [
    ("gw", 365, 1985, "RUS", "SUN"), ("gw", 365, 1995, "RUS", None), ("cow", 365, dt.date(1991, 12, 25), "RUS", "SUN"),
    ("gw", 345, 1980, "SRB", "YUG"), ("gw", 345, 2000, "SRB", "SCG"), ("gw", 340, 2010, "SRB", None),
    ("cow", 345, 2010, "SRB", None), ("gw", 260, 1970, "DEU", None), ("gw", 260, 2000, "DEU", None),
    ("cow", 255, 2000, "DEU", None), ("cow", 260, 1970, "DEU", None), ("gw", 265, 1970, "DDR", "DDR"),
    ("gw", 678, 1980, "YEM", None), ("gw", 678, 2015, "YEM", None), ("cow", 679, 2015, "YEM", None),
    ("gw", 680, 1980, "YMD", "YMD"), ("gw", 816, 1970, "VNM", "VDR"), ("gw", 816, 1990, "VNM", None),
    ("gw", 817, 1970, "RVN", "RVN"), ("gw", 315, 1980, "CSK", "CSK"), ("gw", 316, 1995, "CZE", None),
    ("gw", 371, 2020, "ARM", None), ("gw", 373, 2020, "AZE", None), ("gw", 640, 2020, "TUR", None),
])
def test_hard_cases(system: str, code: int, when: dt.date | int, iso3: str, historic: str | None) -> None:
    period = state_period(system, code, when)
    assert period is not None and period.iso3 == iso3 and period.historic == historic


def test_codes_outside_their_dates() -> None:
    assert state_period("cow", 679, 1985) is None, "COW's unified Yemen begins in 1990"
    assert state_period("cow", 260, 2000) is None, "COW returns to 255 at unification"
    assert state_period("gw", 265, dt.date(1990, 10, 4)) is None
    assert state_iso3("gw", 371, 1980, strict=True) is None and state_iso3("gw", 371, 1980) == "ARM"
    assert state_iso3("gw", 99999, 2000) is None and state_iso3("gw", None, 2000) is None
    with pytest.raises(InputError, match="unknown state-code system"):
        state_iso3("iso", 2, 2000)


def test_the_system_in_a_year() -> None:
    members = system_members("gw", 1985)
    assert members[365] == "RUS" and members[265] == "DDR" and 369 not in members and len(members) > 150


def test_every_code_in_the_data_maps_in_its_year(shared: Path) -> None:
    onsets = pd.read_csv(shared / "ucdp/ucdp_onsets_country_year.csv")
    missing = {(int(g), int(y)) for g, y in zip(onsets.gwcode, onsets.year, strict=True)
               if state_period("gw", int(g), int(y)) is None}
    assert not missing, f"GW codes of the state system without a period: {sorted(missing)[:10]}"
    acd = pd.read_csv(shared / "ucdp/ucdp_acd_v25_1_unnested.csv")
    for column in ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd"):
        used = acd[[column, "year"]].dropna()
        assert all(state_period("gw", int(g), int(y)) for g, y in zip(used[column], used.year, strict=True)), column
    dyads = pd.read_csv(shared / "cow-mid/cow_mid_dyad_year_peacesciencer.csv")
    for column in ("ccode1", "ccode2"):
        after = dyads[dyads.year >= 1946]
        assert all(state_iso3("cow", int(c), int(y), strict=True) for c, y in zip(after[column], after.year,
                                                                                   strict=True)), column
