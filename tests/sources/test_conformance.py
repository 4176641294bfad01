"""Every registered format, on a realistic file, yields batches of exactly the canonical schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodrift.events import EVENT_SCHEMA
from geodrift.sources.base import detect_format, formats
from geodrift.sources.tables import TableFormat
from tests.gdelt_files import gdelt1_line, gdelt2_line, georgia_rows, write_zip


def sample(name: str, shared: Path, tmp: Path) -> Path:
    rows = georgia_rows(shared, limit=50)
    return {
        "gdelt1": lambda: write_zip(tmp / "20110801.export.CSV.zip", [gdelt1_line(r) for r in rows]),
        "gdelt2": lambda: write_zip(tmp / "20200712101500.export.CSV.zip", [gdelt2_line(r) for r in rows]),
        "gdelt-csv": lambda: shared / "gdelt-v1-georgia-2011-2013" / "july2012.csv.gz",
        "icews-tab": lambda: shared / "icews" / "events.2018.sample.tab",
        "icews-csv": lambda: shared / "icews" / "icews_sample.csv",
        "curated-jsonl": lambda: _dated_curated(shared, tmp),
        "ucdp-ged": lambda: shared / "ucdp" / "ged191_syria.csv.gz",
        "ucdp-acd": lambda: shared / "ucdp" / "ucdp-prio-acd-221.csv",
        "ucdp-brd": lambda: shared / "ucdp" / "ucdp-brd-dyadic-221.csv",
        "cow-mida": lambda: shared / "cow-mid" / "MIDA_5.0.csv",
        "cow-midb": lambda: shared / "cow-mid" / "MIDB_5.0.csv",
        "cow-midi": lambda: shared / "cow-mid" / "MIDI_5.0.csv",
        "cow-midip": lambda: shared / "cow-mid" / "MIDIP_5.0.csv",
        "cow-mid-dyad-years": lambda: shared / "cow-mid" / "cow_mid_dyad_year_peacesciencer.csv",
    }[name]()


def _dated_curated(shared: Path, tmp: Path) -> Path:
    """The curated records that carry a date (undated ones are rightly rejected)."""
    lines = (shared / "caucasus-2020-events" / "events.jsonl").read_text().splitlines()
    out = tmp / "curated.jsonl"
    out.write_text("\n".join(line for line in lines if '"event_date": null' not in line) + "\n")
    return out


@pytest.mark.parametrize("name", sorted(formats()))
def test_format_yields_the_canonical_schema(name: str, shared: Path, tmp_path: Path) -> None:
    path = sample(name, shared, tmp_path)
    fmt = detect_format(path)
    assert fmt.name == name
    with fmt.open(path) as parsed:
        batches = list(parsed.batches)
    if isinstance(fmt, TableFormat):  # a conflict-history table (conflict_schema.py): batches of its own schema
        assert fmt.table == fmt.spec.name and batches and all(b.schema == fmt.spec.schema for b in batches)
        assert parsed.rejected == []
        return
    assert batches and all(b.schema == EVENT_SCHEMA for b in batches)
    ids = [i for b in batches for i in b.column("event_id").to_pylist()]
    assert all(i.startswith(f"{fmt.source}:") or i.startswith("gdelt") for i in ids)
    assert parsed.rejected == []
