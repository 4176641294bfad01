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
