"""geodrift db quality on a store built from real files: the tables a user reads and the JSON a script reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geodrift.store import Store
from tests.test_cli import assert_one_line_error, run


def test_table(caucasus_db: Path, caucasus_store: Store) -> None:
    result = run("db", "quality", "--db", str(caucasus_db))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for title in ("Reports and clusters by source", "Coverage by source and month", "Actors and places resolved",
                  "Quarantined rows by reason and file format", "Quarantined rows by file format"):
        assert title in text
    # gdelt1 reports, clusters, duplicate rate (1 - 45,346 / 105,438 = 0.570 under the sixth clustering rule, which
    # joins one GDELT document's rows with varied roles, on two days or at two places; 46,564 under the fifth)
    assert "105,438" in text and "45,346" in text and "0.570" in text
    assert "2013-03" in text  # the Georgia extract's missing month
    assert "INVALID RECORD" in text and "curated-jsonl" in text


def test_json(caucasus_db: Path, caucasus_store: Store) -> None:
    result = run("db", "quality", "--db", str(caucasus_db), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    curated = next(r for r in report["duplicates"] if r["source"] == "curated")
    # sixth rule: an arrival beside a record naming no day (374 under the fifth)
    assert (curated["reports"], curated["clusters"]) == (807, 373)
    assert curated["duplicate_rate"] == pytest.approx(1 - 373 / 807, abs=1e-9)
    gdelt = next(r for r in report["resolution"] if r["source"] == "gdelt1")
    assert gdelt["actor1_country"] == pytest.approx(44_557 / 105_438, abs=1e-9) and gdelt["coordinates"] == 1.0
    assert report["quarantine_reasons"] == [{"reason": "INVALID RECORD", "format": "curated-jsonl", "rows": 62,
                                             "example": report["quarantine_reasons"][0]["example"]}]


def test_bad_format_and_missing_store(caucasus_db: Path, tmp_path: Path) -> None:
    assert_one_line_error(run("db", "quality", "--db", str(caucasus_db), "--format", "csv"), "use table or json")
    assert_one_line_error(run("db", "quality", "--db", str(tmp_path / "none.duckdb")), "no such database")
