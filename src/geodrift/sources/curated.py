"""Curated event lists as JSON lines: hand-coded events that cite their source pages.

The layout is that of ../shared/data/caucasus-2020-events (documented in its PROVENANCE.md):
one object a line with actor1/actor2 {name, iso3, role}, cameo_code, modality, place
{name, iso3, adm1, lat, lon}, url, outlet, published, event_date (a day, "YYYY-MM" or null)
and a one-sentence summary, kept as the event's evidence. Month-only dates are stored as the
first of the month with precision "month" (event_date_precision, date_added_precision; a year alone on
1 January with "year"); an event with neither an event date nor a publication date cannot be
placed in time and is quarantined.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from geodrift.codebooks import cameo_codes, is_country_code
from geodrift.errors import CorruptFileError
from geodrift.events import EVENT_SCHEMA, Modality, date_range_text, in_date_range
from geodrift.sources import lines
from geodrift.sources.base import FileFormat, ParsedFile, Rejected
from geodrift.sources.lines import BadLine, bounded_lines

BATCH_LINES = 50_000
CONFIDENCE = {"high": 0.9, "medium": 0.6, "low": 0.3}
MODALITIES = {m.value for m in Modality}
PRECISIONS = ("day", "month", "year", "unknown")


def _day(value: str | None, field: str) -> tuple[dt.date | None, str | None]:
    """A date and its precision from 'YYYY-MM-DD' (day), 'YYYY-MM' (month, on its 1st) or 'YYYY' (year, on
    1 January); (None, None) for null.

    Raises:
        ValueError: not a date, or outside the supported range.
    """
    if value is None:
        return None, None
    text = str(value)
    precision = {4: "year", 7: "month"}.get(len(text), "day")
    try:
        day = dt.date.fromisoformat({"year": text + "-01-01", "month": text + "-01"}.get(precision, text[:10]))
    except (ValueError, TypeError):
        raise ValueError(f"field {field}: {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None
    if not in_date_range(day):
        raise ValueError(f"field {field}: date out of range: {day} (supported {date_range_text()})")
    return day, precision


def _country(code: Any, field: str) -> None:
    """A record's country is an ISO3 code or null: "XXX" stored as a country was counted as resolved."""
    if code is not None and not (isinstance(code, str) and is_country_code(code)):
        raise ValueError(f"field {field}: {code!r} is not a country code (ISO 3166 alpha-3)")


def _coordinate(value: Any, field: str, limit: int) -> float | None:
    """A latitude (``limit`` 90) or longitude (180), or None: a point at 1e308 is no place."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or abs(value) > limit:
        raise ValueError(f"field {field}: {value!r} is not a coordinate (a number, |value| <= {limit})")
    return float(value)


def _precision(rec: dict[str, Any], inferred: str | None) -> None:
    """A record's own ``event_date_precision``, where given, must be one the store knows and agree with its date's
    form ("century" was stored as "day" without a word)."""
    given = rec.get("event_date_precision")
    if given is None:
        return
    expected = inferred or "unknown"
    if given not in PRECISIONS or given != expected:
        raise ValueError(f"field event_date_precision: {given!r} does not fit event_date {rec.get('event_date')!r} "
                         f"(expected {expected!r}; one of {', '.join(PRECISIONS)})")


def _actor(obj: Any, n: int) -> dict[str, Any]:
    obj = obj or {}
    if not isinstance(obj, dict):
        raise ValueError(f"field actor{n}: expected an object with name, iso3, role")
    _country(obj.get("iso3"), f"actor{n}.iso3")
    return {
        f"actor{n}_code": None,
        f"actor{n}_name": obj.get("name"),
        f"actor{n}_country": obj.get("iso3"),
        f"actor{n}_country_raw": obj.get("iso3"),
        f"actor{n}_role": obj.get("role"),
    }


def to_event(rec: dict[str, Any], source: str) -> dict[str, Any]:
    """One curated record as a canonical event row.

    Raises:
        ValueError: a required field is missing or invalid (the message names it).
    """
    for field in ("event_id", "cameo_code", "actor1"):
        if not rec.get(field):
            raise ValueError(f"field {field} is missing")
    code = str(rec["cameo_code"])
    cameo = cameo_codes().get(code)
    if cameo is None:
        raise ValueError(f"field cameo_code: {code!r} is not a CAMEO event code")
    modality = rec.get("modality") or "actual"
    if modality not in MODALITIES:
        raise ValueError(f"field modality: {modality!r} is not one of {', '.join(sorted(MODALITIES))}")
    published, published_precision = _day(rec.get("published"), "published")
    event_date, event_precision = _day(rec.get("event_date"), "event_date")
    _precision(rec, event_precision)
    if event_date is None:  # an undated event is stored on its page's date, which it happened on or before
        event_date, event_precision = published, "unknown" if published_precision == "day" else published_precision
    if event_date is None:
        raise ValueError("fields event_date and published are both empty: the event cannot be dated")
    place = rec.get("place") or {}
    if not isinstance(place, dict):
        raise ValueError("field place: expected an object with name, iso3, adm1, lat, lon")
    _country(place.get("iso3"), "place.iso3")
    lat, lon = _coordinate(place.get("lat"), "place.lat", 90), _coordinate(place.get("lon"), "place.lon", 180)
    return {
        "event_id": f"{source}:{rec['event_id']}",
        "source": source,
        "source_event_id": str(rec["event_id"]),
        "event_date": event_date,
        "date_added": dt.datetime.combine(published or event_date, dt.time()),
        **_actor(rec.get("actor1"), 1),
        **_actor(rec.get("actor2"), 2),
        "event_code": code,
        "event_base_code": cameo.base_code,
        "event_root_code": cameo.root_code,
        "quad_class": cameo.quad_class,
        "goldstein": cameo.goldstein,
        "plover": cameo.plover,
        "num_mentions": 1,
        "num_sources": 1,
        "num_articles": 1,
        "avg_tone": None,
        "is_root_event": None,
        "action_geo_type": 4 if lat is not None else (1 if place.get("iso3") else None),
        "action_geo_name": place.get("name"),
        "action_geo_country": place.get("iso3"),
        "action_geo_country_raw": place.get("iso3"),
        "action_geo_adm1": place.get("adm1"),
        "action_geo_lat": lat,
        "action_geo_lon": lon,
        "source_url": rec.get("url"),
        "outlet": rec.get("outlet"),
        "modality": modality,
        "confidence": CONFIDENCE.get(str(rec.get("confidence"))),
        "evidence_article_id": rec.get("article_id"),
        "evidence_sentence": rec.get("summary"),
        "evidence_start": None,
        "evidence_end": None,
        "event_date_precision": event_precision,
        "date_added_precision": published_precision or event_precision,
    }


class CuratedJsonl(FileFormat):
    """Hand-coded event lists, one JSON object a line (e.g. caucasus-2020-events)."""

    name = "curated-jsonl"
    source = "curated"

    @classmethod
    def sniff(cls, path: Path, head: str) -> bool:
        if not head.startswith("{"):
            return False
        try:
            first = json.loads(head)
        except ValueError:
            return False
        return isinstance(first, dict) and "cameo_code" in first and "actor1" in first

    @contextmanager
    def open(self, path: Path) -> Iterator[ParsedFile]:
        parsed = ParsedFile(batches=iter(()))
        parsed.batches = self._batches(path, parsed.rejected)
        try:
            yield parsed
        finally:
            parsed.close()

    def _batches(self, path: Path, rejected: list[Rejected]) -> Iterator[pa.RecordBatch]:
        rows: list[dict[str, Any]] = []
        limit = lines.MAX_LINE_BYTES
        try:
            with path.open("rb") as fh:
                for number, raw in bounded_lines(fh, limit):
                    if isinstance(raw, BadLine):
                        rejected.append(raw.rejected(limit))
                        continue
                    if not raw.strip():
                        continue
                    if (nul := raw.find(b"\x00")) >= 0:
                        rejected.append(Rejected(number, raw.decode("utf-8", "replace").rstrip("\r\n"),
                                                 f"NUL BYTE: at byte {nul + 1} of the line (binary data in a text file)"))
                        continue
                    try:
                        text = raw.decode("utf-8")
                        rec = json.loads(text)
                        if not isinstance(rec, dict):
                            raise ValueError("line is not a JSON object")
                        rows.append(to_event(rec, self.source))
                    except UnicodeDecodeError:
                        rejected.append(Rejected(number, raw.decode("utf-8", "replace").rstrip("\r\n"),
                                                 "INVALID ENCODING: not UTF-8"))
                    except ValueError as exc:
                        rejected.append(Rejected(number, raw.decode("utf-8", "replace").rstrip("\r\n"), f"INVALID RECORD: {exc}"))
                    if len(rows) >= BATCH_LINES:
                        yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)
                        rows = []
        except OSError as exc:
            raise CorruptFileError(f"{path}: cannot be read ({exc})") from None
        if rows:
            yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)
