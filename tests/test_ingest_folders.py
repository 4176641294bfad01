"""Ingesting a data release's folder as it ships: its documentation skipped with a note, an unknown table failed
with the reason (review 7, M6: `ingest ucdp cow-mid` exited 1 on the PROVENANCE.md files)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.test_cli import run


def test_a_folder_skips_its_documentation_and_says_why_a_table_is_unread(shared: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ucdp"
    folder.mkdir()
    for name in ("PROVENANCE.md", "ucdp-brd-dyadic-221.csv"):
        shutil.copy(shared / "ucdp" / name, folder / name)
    result = run("ingest", str(folder), "--db", str(tmp_path / "s.duckdb"), env={"COLUMNS": "400"})
    said = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0, said
    assert "PROVENANCE.md: documentation, not data" in said
    assert "1 file ingested (1,403 dyad-years" in said and "0 failed" in said

    shutil.copy(shared / "ucdp" / "ucdp_onsets_country_year.csv", folder / "ucdp_onsets_country_year.csv")
    result = run("ingest", str(folder), "--db", str(tmp_path / "s.duckdb"), env={"COLUMNS": "400"})
    said = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "1 failed" in said
    assert "its header (8 columns: gwcode, sumnewconf" in said
    assert "ucdp-brd lacks dyad_id, bd_best, gwno_a" in said and "UCDP GED's columns" in said


def test_db_info_says_what_is_wrong_with_the_quarantined_rows(shared: Path) -> None:
    """Review 7, L9: `db info` grouped the curated set's 62 undated records as "INVALID RECORD" only."""
    from geodrift.ingest import ingest_files
    from geodrift.store import Store

    store = Store(":memory:")
    ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
    [row] = store.summary()["Quarantined rows by reason"].to_dict("records")
    assert row == {"reason": "INVALID RECORD", "rows": 62,
                   "most_often": "fields event_date and published are both empty: the event cannot be dated"}
