"""The canonical event schema: every source and coder produces batches of exactly this shape.

docs/schema.md documents each column; tests check the two agree.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import IntEnum, StrEnum

import pyarrow as pa

EARLIEST, LATEST = dt.date(1800, 1, 1), dt.date(2200, 1, 1)
"""The days an event may carry. Dates outside are typos or placeholders (a GDELT SQLDATE of 99991230)
and would overflow date arithmetic in the analytics, so sources quarantine them and coders never emit them."""


def in_date_range(day: dt.date) -> bool:
    """Whether ``day`` (or a datetime's day) lies within EARLIEST..LATEST."""
    day = day.date() if isinstance(day, dt.datetime) else day
    return EARLIEST <= day <= LATEST


def date_range_text() -> str:
    """The supported range as users read it in messages: '1800-01-01..2200-01-01'."""
    return f"{EARLIEST}..{LATEST}"


class QuadClass(IntEnum):
    """GDELT's four-way split of CAMEO roots (01-04, 05-08, 09-13, 14-20)."""

    VERBAL_COOPERATION = 1
    MATERIAL_COOPERATION = 2
    VERBAL_CONFLICT = 3
    MATERIAL_CONFLICT = 4


class Modality(StrEnum):
    """Whether a text-coded event happened, was announced, threatened, denied or imagined.

    Event datasets such as GDELT and ICEWS do not code modality; their rows carry null.
    """

    ACTUAL = "actual"
    ANNOUNCED = "announced"
    THREATENED = "threatened"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"


ROLES: tuple[str, ...] = (
    "GOV", "MIL", "REB", "OPP", "CVL", "BUS", "MED", "IGO", "NGO", "LEG", "JUD", "COP",
    "SPY", "INS", "SEP", "UAF", "CRM", "EDU", "ELI", "HLH", "HRI", "LAB", "REF", "REL",
)
"""Actor roles: CAMEO type codes (CAMEO.type.txt) plus REL for religious actors."""

_ACTOR = [
    ("code", pa.string(), "the source's raw actor code (CAMEO code for GDELT, e.g. 'AZEGOV')"),
    ("name", pa.string(), "actor name as the source gives it"),
    ("country", pa.string(), "ISO 3166-1 alpha-3 country, null for IGOs, regions and unknowns"),
    ("country_raw", pa.string(), "the source's own country value (CAMEO code, country name)"),
    ("role", pa.string(), "role such as GOV, MIL, REB, OPP, CVL, BUS, IGO (see ROLES)"),
]

COLUMNS: list[tuple[str, pa.DataType, str]] = [
    ("event_id", pa.string(), "stable id: '<source>:<source's own id>' or '<source>:<content hash>'"),
    ("source", pa.string(), "dataset or coder that produced the event (gdelt1, gdelt2, icews, ...)"),
    ("source_event_id", pa.string(), "the source's own identifier"),
    ("event_date", pa.date32(), "day the event took place"),
    ("date_added", pa.timestamp("us"), "UTC time the source published the record: what was known when"),
    *[(f"actor1_{n}", t, f"source actor: {d}") for n, t, d in _ACTOR],
    *[(f"actor2_{n}", t, f"target actor: {d}") for n, t, d in _ACTOR],
    ("event_code", pa.string(), "CAMEO event code as a string keeping leading zeros ('0211')"),
    ("event_base_code", pa.string(), "three-digit CAMEO base code ('021')"),
    ("event_root_code", pa.string(), "two-digit CAMEO root code ('02')"),
    ("quad_class", pa.int8(), "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
    ("goldstein", pa.float64(), "Goldstein conflict-cooperation value, -10..+10"),
    ("plover", pa.string(), "PLOVER event category from CAMEO2PLOVER (null for CAMEO roots 01-02)"),
    ("num_mentions", pa.int32(), "mentions of the event across all documents"),
    ("num_sources", pa.int32(), "distinct information sources reporting it"),
    ("num_articles", pa.int32(), "distinct articles reporting it"),
    ("avg_tone", pa.float64(), "average tone of the reporting documents, -100..+100"),
    ("is_root_event", pa.bool_(), "whether the event came from a document's lead paragraph"),
    ("action_geo_type", pa.int8(), "GDELT geo resolution: 1 country, 2/5 ADM1, 3/4 city or landmark"),
    ("action_geo_name", pa.string(), "place where the action happened"),
    ("action_geo_country", pa.string(), "ISO3 country of the place"),
    ("action_geo_country_raw", pa.string(), "the source's own country value (FIPS 10-4 for GDELT)"),
    ("action_geo_adm1", pa.string(), "first-level administrative division (GDELT: FIPS country + ADM1 code)"),
    ("action_geo_lat", pa.float64(), "latitude, WGS84"),
    ("action_geo_lon", pa.float64(), "longitude, WGS84"),
    ("source_url", pa.string(), "URL of the first or reporting document"),
    ("outlet", pa.string(), "publisher or web domain of the reporting document"),
    ("modality", pa.string(), "actual | announced | threatened | negated | hypothetical; null when not coded"),
    ("confidence", pa.float32(), "coder's confidence, 0..1; null when not coded"),
    ("evidence_article_id", pa.string(), "id of the article the event was coded from"),
    ("evidence_sentence", pa.string(), "sentence the event was coded from"),
    ("evidence_start", pa.int32(), "character offset of the sentence in the article"),
    ("evidence_end", pa.int32(), "character offset just past the sentence"),
    ("event_date_precision", pa.string(), "how precise event_date is: day | month (stored on its 1st) | year "
     "(on 1 January) | unknown (undated: its report's date)"),
    ("date_added_precision", pa.string(), "how precise date_added is: second (GDELT 2.0's DATEADDED) | day (known by "
     "its end) | month (a page dated '2020-09') | year"),
]

PRECISIONS = ("second", "day", "month", "year", "unknown")
"""How precise a stored date is ("second" only for a date_added with its time of day: GDELT 2.0's). A month- or
year-precision date is stored on its first day, an undated curated record ("unknown") on its report's date, which it
happened on or before; readers must not take that day as the event's (units_sql.MONTH_ONLY) and know such a
publication only by the period's end (units_sql.PUBLISHED), a day-precision one by the day's end."""
PRECISION_COLUMNS = ("event_date_precision", "date_added_precision")
"""The precision columns, added by the store's migration 11 (store_schema.py)."""

EVENT_SCHEMA = pa.schema([pa.field(name, dtype) for name, dtype, _ in COLUMNS])


def quad_class_of_root(root: str) -> QuadClass:
    """Quad class of a CAMEO root code, GDELT's convention."""
    r = int(root)
    if r <= 4:
        return QuadClass.VERBAL_COOPERATION
    if r <= 8:
        return QuadClass.MATERIAL_COOPERATION
    if r <= 13:
        return QuadClass.VERBAL_CONFLICT
    return QuadClass.MATERIAL_CONFLICT


def shown_date(value: object, precision: object = None) -> str:
    """A stored event date as precisely as it is known: '2021-05-14'; '2021-05' for a date known only to its month
    and '2021' for a year (stored on the period's first day, which is not the event's day); an undated record
    (stored on its report's date) says so."""
    if value is None or str(value) in {"", "NaT", "nan", "None"}:
        return ""
    if str(precision) == "unknown":
        return f"undated (reported {str(value)[:10]})"
    return str(value)[:{"month": 7, "year": 4}.get(str(precision), 10)]


def shown_place(value: object) -> str:
    """A stored place name as a reader wants it: GDELT writes a place whose province it does not know as
    "Tbilisi, Georgia (general), Georgia" (ADM1 placeholder, then the country); shown as "Tbilisi, Georgia", and
    "Georgia (general)" as "Georgia"; GDELT's gazetteer marks disputed provinces with asterisks ("Abkhazia, Abkhazia**,
    Georgia"), which Markdown would print escaped: shown "Abkhazia, Georgia". The stored string (JSON, CSV, the API)
    stays as GDELT wrote it."""
    if not isinstance(value, str) or value in {"", "nan", "None"}:
        return ""
    parts = [re.sub(r"\s*\(general\)$", "", part.strip().rstrip("*").strip()) for part in value.split(",")]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def count_label(n: int, unit: str, plural: str | None = None) -> str:
    """'1 report', '5 reports': every count a user reads agrees with its noun."""
    return f"{n:,} {unit if n == 1 else plural or unit + 's'}"
