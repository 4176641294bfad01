"""UCDP files: the Armed Conflict Dataset (conflict-years), Battle-Related Deaths (dyad-years) and the
Georeferenced Event Dataset (events, into the canonical schema).

Country numbers are Gleditsch–Ward (codebooks/states.py maps them to ISO3 for the year of the row).
ACD files come two ways: with all columns and side names (v22.1: one row per conflict-year, codes as
numbers, lists of countries as "702, 703") or unnested by peacesciencer (v25.1: one row per conflict-year
and country, words for incompatibility and type, "II" for internationalized intrastate); both become one
row per conflict-year with the same words. GED rows become events by the table in docs/methods.md
("UCDP GED as events"); their deaths go to the ``event_deaths`` table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from geodrift.codebooks import cameo_codes, to_iso3
from geodrift.codebooks.states import state_iso3, state_periods
from geodrift.conflict_schema import BATTLE_DEATHS, CONFLICT_YEARS, GED_DEATHS
from geodrift.events import EVENT_SCHEMA, in_date_range
from geodrift.sources.base import FileFormat, ParsedFile, Rejected
from geodrift.sources.tables import LINE, TableFormat, code_list, header_fields, read_rows, version_from_name

INCOMPATIBILITY = {"1": "territory", "2": "government", "3": "territory and government"}
TYPES = {"1": "extrasystemic", "2": "interstate", "3": "intrastate", "4": "internationalized intrastate",
         "II": "internationalized intrastate"}
"""UCDP's numeric codes (and peacesciencer's "II") as the words both ACD files then share."""


def _words(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column, table in (("incompatibility", INCOMPATIBILITY), ("type_of_conflict", TYPES)):
        if column in frame:
            frame[column] = frame[column].map(lambda v, t=table: t.get(str(v).removesuffix(".0"), v))
    if "version" in frame:
        frame["version"] = frame["version"].str.replace(",", ".")
    return frame


class UcdpAcd(TableFormat):
    """UCDP/PRIO Armed Conflict Dataset, one row per conflict-year (v22.1 full or v25.1 unnested)."""

    name = "ucdp-acd"
    source = "ucdp-acd"
    table = "conflict_years"
    spec = CONFLICT_YEARS
    required = ("conflict_id", "year", "intensity_level", "gwno_a", "type_of_conflict")

    def frame(self, path: Path, raw: pd.DataFrame) -> pd.DataFrame:
        frame = _words(raw)
        if "version" not in frame:
            frame["version"] = version_from_name(path) or ""
        key = ["conflict_id", "year"]
        if not frame.duplicated(key).any():
            return frame
        # peacesciencer's unnested rows: one per country of a side; join them back into lists per conflict-year.
        codes = [c for c in ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc") if c in frame]

        def joined(values: pd.Series) -> str:
            seen = dict.fromkeys(v for v in values if v)
            return ", ".join(seen)

        rest = [c for c in frame.columns if c not in key and c not in codes]
        return frame.groupby(key, sort=False).agg({**{c: joined for c in codes}, **{c: "first" for c in rest}}
                                                  ).reset_index()


class UcdpBrd(TableFormat):
    """UCDP Battle-Related Deaths, dyadic: deaths per dyad-year."""

    name = "ucdp-brd"
    source = "ucdp-brd"
    table = "battle_deaths"
    spec = BATTLE_DEATHS
    required = ("dyad_id", "year", "bd_best", "gwno_a")

    def frame(self, path: Path, raw: pd.DataFrame) -> pd.DataFrame:
        return _words(raw)


GED_EVENT = {"1": "190", "2": "190", "3": "180"}
"""type_of_violence → CAMEO code: state-based and non-state fighting are conventional military force (190),
one-sided violence against civilians is unconventional violence (180). docs/methods.md has the whole table."""
GEO_TYPE = {"1": 4, "2": 4, "3": 4, "4": 5, "5": 5, "6": 1, "7": 1}
"""where_prec (1 exact place .. 6 country, 7 international waters) → GDELT geo type (4 place, 5 ADM1, 1 country)."""


def _number(rec: dict[str, str], field: str) -> float | None:
    """A numeric field as a float (NaN when it is no number), or None when blank."""
    value = rec.get(field)
    if value in (None, "", "nan", "NaN", "NA"):
        return None
    try:
        return float(str(value))
    except ValueError:
        return math.nan


def _int(rec: dict[str, str], field: str, *, least: int = 0) -> int | None:
    """A whole-number field (deaths, sources, ids, precisions) as an int ≥ ``least`` fitting the store's INT32, or
    None when blank; otherwise ValueError naming the field (a death count of 3e9 or -5 is no count)."""
    number = _number(rec, field)
    if number is None:
        return None
    if not (math.isfinite(number) and number.is_integer() and least <= number < 2**31):
        raise ValueError(f"BAD VALUE in field {field}: {rec.get(field)!r} is not a whole number from {least} to "
                         f"{2**31 - 1}")
    return int(number)


def _coordinate(rec: dict[str, str], field: str, limit: int) -> float | None:
    """A latitude (``limit`` 90) or longitude (180), or None when blank: one point at 999 is no place, and it set
    a map's axes to empty space."""
    number = _number(rec, field)
    if number is not None and not (math.isfinite(number) and abs(number) <= limit):
        raise ValueError(f"BAD VALUE in field {field}: {rec.get(field)!r} is not a coordinate (|value| <= {limit})")
    return number


def _day(rec: dict[str, str], field: str) -> dt.date | None:
    value = rec.get(field) or ""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"BAD VALUE in field {field}: {value!r} is not a date") from None


def _gw(rec: dict[str, str], field: str) -> list[int]:
    """Gleditsch–Ward numbers of a field; a number no state ever had is a mistake (as in the conflict tables)."""
    try:
        codes = code_list(rec.get(field))
    except ValueError:
        raise ValueError(f"BAD CODE in field {field}: {rec.get(field)!r} is not a list of GW numbers") from None
    unknown = [c for c in codes if c not in state_periods("gw")]
    if unknown:
        raise ValueError(f"UNKNOWN CODE in field {field}: {unknown[0]} is no GW state number")
    return codes


def _side(name: str, location: str | None, gw: int | None, year: int, violence: str) -> tuple[str | None, str]:
    """(ISO3, role) of a GED side: a government's own country; civilians and armed groups their place's."""
    if name.startswith("Government of "):
        country = name.removeprefix("Government of ").split(" (")[0]
        return (state_iso3("gw", gw, year) if gw else None) or to_iso3(country), "GOV"
    if name.casefold() == "civilians" or (violence == "3" and name.casefold().startswith("civilian")):
        return location, "CVL"
    return location, "REB"


def ged_event(rec: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """One GED row as a canonical event and its event_deaths row.

    Raises:
        ValueError: a field needed to place the event is missing or invalid (the message names it).
    """
    if not rec.get("id"):
        raise ValueError("MISSING KEY: field id is empty")
    source_id = str(_int(rec, "id"))
    day = _day(rec, "date_start")
    if day is None:
        raise ValueError("MISSING VALUE in field date_start: a required field is empty")
    end = _day(rec, "date_end")
    if not in_date_range(day):
        raise ValueError(f"DATE OUT OF RANGE in field date_start: {day}")
    if end is not None and end < day:
        raise ValueError(f"BAD VALUE in field date_end: {end} is before date_start {day}")
    violence = str(rec.get("type_of_violence", "")).removesuffix(".0")
    if violence not in GED_EVENT:
        raise ValueError(f"BAD VALUE in field type_of_violence: {rec.get('type_of_violence')!r} is not 1, 2 or 3")
    country_gw = _gw(rec, "country_id")
    place = state_iso3("gw", country_gw[0], day.year) if country_gw else None
    side_b_gw = _gw(rec, "gwnob")
    a_country, a_role = _side(rec.get("side_a", ""), place, country_gw[0] if country_gw else None, day.year, violence)
    b_country, b_role = _side(rec.get("side_b", ""), place, side_b_gw[0] if side_b_gw else None, day.year, violence)
    code = cameo_codes()[GED_EVENT[violence]]
    event = {
        "event_id": f"ucdp-ged:{source_id}", "source": "ucdp-ged", "source_event_id": source_id,
        # date_start is a day (the earliest the event can have begun: GED's date_prec says how sure), never a
        # month stored on its 1st; GED gives no publication time
        "event_date": day, "date_added": None, "event_date_precision": "day", "date_added_precision": None,
        "actor1_code": rec.get("side_a_new_id") or None, "actor1_name": rec.get("side_a") or None,
        "actor1_country": a_country, "actor1_country_raw": rec.get("side_a") or None, "actor1_role": a_role,
        "actor2_code": rec.get("side_b_new_id") or None, "actor2_name": rec.get("side_b") or None,
        "actor2_country": b_country, "actor2_country_raw": rec.get("gwnob") or rec.get("side_b") or None,
        "actor2_role": b_role,
        "event_code": code.code, "event_base_code": code.base_code, "event_root_code": code.root_code,
        "quad_class": code.quad_class, "goldstein": code.goldstein, "plover": code.plover,
        "num_mentions": None, "num_sources": _int(rec, "number_of_sources"), "num_articles": None,
        "avg_tone": None, "is_root_event": None,
        "action_geo_type": GEO_TYPE.get(str(rec.get("where_prec", "")).removesuffix(".0")),
        "action_geo_name": rec.get("where_coordinates") or None, "action_geo_country": place,
        "action_geo_country_raw": rec.get("country_id") or None, "action_geo_adm1": rec.get("adm_1") or None,
        "action_geo_lat": _coordinate(rec, "latitude", 90), "action_geo_lon": _coordinate(rec, "longitude", 180),
        "source_url": None, "outlet": rec.get("source_office") or None, "modality": "actual", "confidence": None,
        "evidence_article_id": None, "evidence_sentence": rec.get("source_headline") or None,
        "evidence_start": None, "evidence_end": None,
    }
    deaths = {"event_id": event["event_id"], "type_of_violence": int(violence),
              "conflict_id": _int(rec, "conflict_new_id"), "dyad_id": _int(rec, "dyad_new_id"),
              "date_end": end, "date_prec": _int(rec, "date_prec", least=1), "where_prec": _int(rec, "where_prec", least=1),
              **{k: _int(rec, k) for k in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
                                           "best", "low", "high")}}
    return event, deaths


class UcdpGed(FileFormat):
    """UCDP Georeferenced Event Dataset (CSV, plain or gzip): events with coordinates and deaths."""

    name = "ucdp-ged"
    source = "ucdp-ged"

    @classmethod
    def sniff(cls, path: Path, head: str) -> bool:
        fields = set(header_fields(head))
        return {"id", "type_of_violence", "side_a", "side_b", "date_start", "best"} <= fields

    @contextmanager
    def open(self, path: Path) -> Iterator[ParsedFile]:
        raw, rejected = read_rows(path, multiline=True)  # headlines and source texts may hold line breaks
        events, deaths = [], []
        for rec in raw.to_dict("records"):
            number = rec.pop(LINE)
            try:
                event, death = ged_event({str(k): str(v) for k, v in rec.items()})
            except (ValueError, TypeError, OverflowError) as exc:
                rejected.append(Rejected(number, ",".join(str(v) for v in rec.values()), str(exc)))
                continue
            events.append(event)
            deaths.append(death)
        batches = [pa.RecordBatch.from_pylist(events, schema=EVENT_SCHEMA)] if events else []
        extra = {GED_DEATHS.name: [pa.RecordBatch.from_pylist(deaths, schema=GED_DEATHS.schema)]} if deaths else {}
        parsed = ParsedFile(batches=iter(batches), rejected=rejected, extra=extra)
        yield parsed
