"""Gleditsch–Ward and Correlates of War state numbers, with the dates each was valid, mapped to ISO3.

UCDP codes countries by Gleditsch–Ward (GW) number, COW by its state number; geodrift's units are
ISO 3166-1 alpha-3 codes. ``data/state_codes.tsv`` (hand-curated; one row per system, code and
period) gives for every period of a state:

- ``iso3``: the unit geodrift files the state under: its ISO3 code, or for a state that ended, the
  state that continues it (the USSR is RUS, Yugoslavia and Serbia-and-Montenegro are SRB, West
  Germany and GW's unified 260 are DEU, North Yemen and unified Yemen are YEM). States that ended
  without a continuer keep their ISO 3166-3 code (DDR, CSK, YMD); South Vietnam has none and is
  RVN, Kosovo the user-assigned XKX. Empty for states with no ISO code (Bavaria, the Papal States).
- ``historic``: the ISO 3166-3 code of the state as it then was (SUN, YUG, SCG, DDR, VDR), if any.

Where GW and COW differ (docs/methods.md, "State codes"): GW keeps 260 for unified Germany and 678
for unified Yemen and numbers Serbia 340 after 2006, while COW returns to 255, opens 679 and keeps
345. Dates are those of the two state lists (GW: Gleditsch & Ward 1999, iisystem; COW: State System
Membership 2016), to the day where the lists agree and as the COW list dates them otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from geodrift.codebooks import data_rows
from geodrift.errors import InputError

SYSTEMS = ("gw", "cow")
"""Gleditsch–Ward, Correlates of War."""


@dataclass(frozen=True)
class StatePeriod:
    """One period of one state in one coding system."""

    system: str
    code: int
    abbrev: str
    iso3: str | None
    historic: str | None
    start: dt.date
    end: dt.date | None
    name: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps_year(self, year: int) -> bool:
        return self.start.year <= year and (self.end is None or self.end.year >= year)


@cache
def state_periods(system: str) -> dict[int, tuple[StatePeriod, ...]]:
    """Every period of every state of ``system`` ("gw" or "cow"), by code, in date order.

    Raises:
        InputError: an unknown system.
    """
    if system not in SYSTEMS:
        raise InputError(f"unknown state-code system {system!r}; use one of {', '.join(SYSTEMS)}")
    found: dict[int, list[StatePeriod]] = {}
    for r in data_rows("state_codes.tsv"):
        if r["system"] != system:
            continue
        period = StatePeriod(system, int(r["code"]), r["abbrev"], r["iso3"] or None, r["historic"] or None,
                             dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"]) if r["end"] else None,
                             r["name"])
        found.setdefault(period.code, []).append(period)
    return {code: tuple(sorted(periods, key=lambda p: p.start)) for code, periods in found.items()}


def state_period(system: str, code: int, when: dt.date | int, *, strict: bool = True) -> StatePeriod | None:
    """The period of state ``code`` in effect on a day, or in a year (the latest period overlapping it).

    With ``strict=False`` a code used outside its dates (datasets date independence differently) maps to
    its nearest period; an unknown code is None either way.
    """
    periods = state_periods(system).get(int(code), ())
    if isinstance(when, dt.date):
        hits = [p for p in periods if p.covers(when)]
        year = when.year
    else:
        year = int(when)
        hits = [p for p in periods if p.overlaps_year(year)]
    if hits:
        return hits[-1]
    if strict or not periods:
        return None
    return min(periods, key=lambda p: min(abs(p.start.year - year), abs((p.end or dt.date.max).year - year)))


def state_iso3(system: str, code: int | None, when: dt.date | int, *, strict: bool = False) -> str | None:
    """The ISO3 unit of GW or COW state ``code`` at ``when`` (a day or a year); None if it has none."""
    if code is None:
        return None
    period = state_period(system, code, when, strict=strict)
    return period.iso3 if period else None


def system_members(system: str, year: int) -> dict[int, str]:
    """The states of ``system`` during ``year`` that have an ISO3 unit, as {code: iso3}."""
    members: dict[int, str] = {}
    for code, periods in state_periods(system).items():
        hits = [p for p in periods if p.overlaps_year(year) and p.iso3]
        if hits:
            members[code] = hits[-1].iso3 or ""
    return members
