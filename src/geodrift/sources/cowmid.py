"""Correlates of War Militarized Interstate Disputes 5.0: disputes, participants, incidents, incident
participants, and the non-directed dispute dyad-years derived from them (peacesciencer).

Each keeps COW's fields and codes as they are (-9 is COW's missing value and stays -9) plus ISO3 columns
mapped from the COW state numbers for the dispute's start year (codebooks/states.py).
"""

from __future__ import annotations

from geodrift.conflict_schema import (
    MID_DISPUTES,
    MID_DYAD_YEARS,
    MID_INCIDENT_PARTICIPANTS,
    MID_INCIDENTS,
    MID_PARTICIPANTS,
)
from geodrift.sources.tables import TableFormat


class MidDisputes(TableFormat):
    """MIDA: one row per dispute."""

    name = "cow-mida"
    source = "cow-mid"
    table = "mid_disputes"
    spec = MID_DISPUTES
    required = ("dispnum", "outcome", "settle", "hostlev", "numa", "numb")
    year_column = "styear"


class MidParticipants(TableFormat):
    """MIDB: one row per state and dispute."""

    name = "cow-midb"
    source = "cow-mid"
    table = "mid_participants"
    spec = MID_PARTICIPANTS
    required = ("dispnum", "ccode", "stabb", "sidea", "revstate")
    year_column = "styear"

    @classmethod
    def accepts(cls, fields: set[str]) -> bool:
        return "incidnum" not in fields


class MidIncidents(TableFormat):
    """MIDI: one row per incident."""

    name = "cow-midi"
    source = "cow-mid"
    table = "mid_incidents"
    spec = MID_INCIDENTS
    required = ("dispnum", "incidnum", "duration", "tbi", "action")
    year_column = "styear"


class MidIncidentParticipants(TableFormat):
    """MIDIP: one row per state and incident."""

    name = "cow-midip"
    source = "cow-mid"
    table = "mid_incident_participants"
    spec = MID_INCIDENT_PARTICIPANTS
    required = ("dispnum", "incidnum", "ccode", "insidea")
    year_column = "styear"


class MidDyadYears(TableFormat):
    """Non-directed dispute dyad-years (peacesciencer's cow_mid_ddydisps)."""

    name = "cow-mid-dyad-years"
    source = "cow-mid"
    table = "mid_dyad_years"
    spec = MID_DYAD_YEARS
    required = ("dispnum", "ccode1", "ccode2", "year", "cowmidonset")
