"""A store whose text fields carry spreadsheet formulas, as a hostile article or GDELT row could."""

from __future__ import annotations

import json
from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.store import Store

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def formula_store(folder: Path, name: str = "formulas.duckdb") -> Path:
    """A store with one curated event per payload, the payload as actor, outlet and place name."""
    lines = [json.dumps({
        "event_id": f"formula{i}", "article_id": f"formula-article{i}", "url": "https://example.org/a",
        "outlet": payload, "published": "2020-07-23", "language": "en", "event_date": "2020-07-23",
        "event_date_precision": "day", "actor1": {"name": payload, "iso3": "ARM", "role": "MIL"},
        "actor2": {"name": "Azerbaijani forces", "iso3": "AZE", "role": "MIL"}, "cameo_code": "190",
        "quad_class": 4, "modality": "actual", "plover": None, "claimed_by": None, "fatalities": None,
        "confidence": "high", "summary": f"{payload} shelled Tovuz",
        "place": {"name": payload, "iso3": "AZE", "adm1": None, "lat": 40.99, "lon": 45.63}})
        for i, payload in enumerate(PAYLOADS)]
    source = folder / f"{name}.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / name
    with Store(path) as store:
        ingest_files(store, [source])
        assert store.count_events() == len(PAYLOADS)
    return path
