"""A store with the real conflict history (UCDP ACD v25.1, COW MID dyad-years) and `geodrift risk` run on it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from geodrift.cli import app
from geodrift.ingest import ingest_files
from geodrift.store import Store


def store_risks(db: Path, shared: Path, year: int, origins_from: int) -> str:
    """Ingest the conflict history into ``db`` and store `risk --year` (backtested from ``origins_from`` only, to
    keep tests fast); returns the command's output."""
    with Store(db) as store:
        ingest_files(store, [shared / "ucdp/ucdp_acd_v25_1_unnested.csv",
                             shared / "cow-mid/cow_mid_dyad_year_peacesciencer.csv"])
    result = CliRunner().invoke(app, ["risk", "--year", str(year), "--top", "3", "--origins-from", str(origins_from),
                                      "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output
