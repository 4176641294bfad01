"""The conflict-history tables: UCDP conflict-years and battle deaths, COW militarised disputes.

These are not events (a conflict-year or a dispute is not a dated action between two actors), so
they keep their own tables, one per kind of file, with the source's own fields and codes as they
are (COW's -9 for missing stays -9) plus ISO3 columns mapped from the Gleditsch–Ward or COW numbers
(codebooks/states.py). Formats that read them are ``TableFormat``s (sources/base.py); migration 6
creates the tables (store_schema.py); docs/schema.md, "Conflict history", documents every column.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

S, INT, DAY = pa.string(), pa.int32(), pa.date32()


@dataclass(frozen=True)
class ConflictTable:
    """One conflict-history table: its columns and the key a row needs to be kept."""

    name: str
    columns: tuple[tuple[str, pa.DataType], ...]
    key: tuple[str, ...]
    codes: tuple[tuple[str, str, str], ...] = ()
    """(raw code column, ISO3 column, system): ISO3 lists mapped from comma-separated GW or COW numbers."""
    rows: str = "rows"
    """What one row is, as ingest reports count them ("conflict-years", "disputes"): never "events"."""

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(n, t) for n, t in self.columns])

    def columns_by_name(self) -> dict[str, pa.DataType]:
        return dict(self.columns)


_SIDES = (("gwno_a", "iso3_a"), ("gwno_a_2nd", "iso3_a_2nd"), ("gwno_b", "iso3_b"), ("gwno_b_2nd", "iso3_b_2nd"),
          ("gwno_loc", "iso3_loc"))

CONFLICT_YEARS = ConflictTable(
    "conflict_years",
    (("conflict_id", INT), ("year", INT), ("location", S), ("side_a", S), ("side_a_id", S), ("side_a_2nd", S),
     ("side_b", S), ("side_b_id", S), ("side_b_2nd", S), ("incompatibility", S), ("territory_name", S),
     ("intensity_level", INT), ("cumulative_intensity", INT), ("type_of_conflict", S), ("start_date", DAY),
     ("start_prec", INT), ("start_date2", DAY), ("start_prec2", INT), ("ep_end", INT), ("ep_end_date", DAY),
     *[(raw, S) for raw, _ in _SIDES], *[(iso, S) for _, iso in _SIDES], ("region", S), ("version", S)),
    key=("conflict_id", "year"),
    codes=tuple((raw, iso, "gw") for raw, iso in _SIDES),
    rows="conflict-years",
)
"""UCDP/PRIO Armed Conflict Dataset: one row per conflict and year (incompatibility and type as words)."""

BATTLE_DEATHS = ConflictTable(
    "battle_deaths",
    (("conflict_id", INT), ("dyad_id", S), ("year", INT), ("location_inc", S), ("side_a", S), ("side_a_id", S),
     ("side_a_2nd", S), ("side_b", S), ("side_b_id", S), ("side_b_2nd", S), ("incompatibility", S),
     ("territory_name", S), ("bd_best", INT), ("bd_low", INT), ("bd_high", INT), ("type_of_conflict", S),
     ("battle_location", S), *[(raw, S) for raw, _ in _SIDES], ("gwno_battle", S),
     *[(iso, S) for _, iso in _SIDES], ("iso3_battle", S), ("region", S), ("version", S)),
    key=("dyad_id", "year"),
    codes=(*((raw, iso, "gw") for raw, iso in _SIDES), ("gwno_battle", "iso3_battle", "gw")),
    rows="dyad-years",
)
"""UCDP Battle-Related Deaths, dyadic: deaths per dyad and year (best, low, high estimates)."""


def _ints(*names: str) -> tuple[tuple[str, pa.DataType], ...]:
    return tuple((n, INT) for n in names)


MID_DISPUTES = ConflictTable(
    "mid_disputes",
    _ints("dispnum", "stday", "stmon", "styear", "endday", "endmon", "endyear", "outcome", "settle", "fatality",
          "fatalpre", "maxdur", "mindur", "hiact", "hostlev", "recip", "numa", "numb", "ongo2014", "version"),
    key=("dispnum",),
    rows="disputes",
)
"""COW MID 5.0 disputes (MIDA): one row per dispute."""

MID_PARTICIPANTS = ConflictTable(
    "mid_participants",
    (("dispnum", INT), ("stabb", S), ("ccode", INT), *_ints("stday", "stmon", "styear", "endday", "endmon", "endyear",
     "sidea", "revstate", "revtype1", "revtype2", "fatality", "fatalpre", "hiact", "hostlev", "orig", "version"),
     ("iso3", S)),
    key=("dispnum", "ccode"),
    codes=(("ccode", "iso3", "cow"),),
    rows="dispute participants",
)
"""COW MID 5.0 participants (MIDB): one row per state and dispute (a state may enter twice)."""

MID_INCIDENTS = ConflictTable(
    "mid_incidents",
    _ints("dispnum", "incidnum", "stday", "stmon", "styear", "endday", "endmon", "endyear", "duration", "tbi",
          "fatality", "fatalpre", "action", "hostlev", "numa", "version"),
    key=("incidnum",),
    rows="incidents",
)
"""COW MID 5.0 incidents (MIDI): one row per militarised incident."""

MID_INCIDENT_PARTICIPANTS = ConflictTable(
    "mid_incident_participants",
    (("dispnum", INT), ("incidnum", INT), ("stabb", S), ("ccode", INT), *_ints("stday", "stmon", "styear", "endday",
     "endmon", "endyear", "insidea", "sidea", "fatality", "fatalpre", "action", "hostlev", "revtype1", "revtype2",
     "version"), ("iso3", S)),
    key=("incidnum", "ccode"),
    codes=(("ccode", "iso3", "cow"),),
    rows="incident participants",
)
"""COW MID 5.0 incident participants (MIDIP)."""

MID_DYAD_YEARS = ConflictTable(
    "mid_dyad_years",
    (*_ints("dispnum", "ccode1", "ccode2", "year", "cowmidongoing", "cowmidonset", "sidea1", "sidea2", "fatality1",
            "fatality2", "fatalpre1", "fatalpre2", "hiact1", "hiact2", "hostlev1", "hostlev2", "orig1", "orig2",
            "fatality", "hostlev", "mindur", "maxdur", "recip", "stmon"), ("iso3_1", S), ("iso3_2", S)),
    key=("dispnum", "ccode1", "ccode2", "year"),
    codes=(("ccode1", "iso3_1", "cow"), ("ccode2", "iso3_2", "cow")),
    rows="dispute dyad-years",
)
"""Non-directed dispute dyad-years derived from MID 5.0 (peacesciencer): one row per dispute, pair and year."""

GED_DEATHS = ConflictTable(
    "event_deaths",
    (("event_id", S), ("type_of_violence", INT), ("conflict_id", INT), ("dyad_id", INT), ("date_end", DAY),
     ("date_prec", INT), ("where_prec", INT), ("deaths_a", INT), ("deaths_b", INT), ("deaths_civilians", INT),
     ("deaths_unknown", INT), ("best", INT), ("low", INT), ("high", INT)),
    key=("event_id",),
    rows="event death records",
)
"""Deaths and precision of UCDP GED events, which the canonical event schema has no columns for."""

CONFLICT_TABLES = (CONFLICT_YEARS, BATTLE_DEATHS, MID_DISPUTES, MID_PARTICIPANTS, MID_INCIDENTS,
                   MID_INCIDENT_PARTICIPANTS, MID_DYAD_YEARS, GED_DEATHS)
"""Every conflict-history table, in the order migration 6 creates them."""
