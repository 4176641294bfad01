"""The real conflict history (UCDP ACD and BRD, COW MID dyad-years) stored once per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodrift.forecast.conflict_data import ConflictHistory, load_conflict_history
from geodrift.ingest import ingest_files
from geodrift.store import Store


@pytest.fixture(scope="module")
def conflict_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("conflict") / "conflict.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "ucdp/ucdp_acd_v25_1_unnested.csv", shared / "ucdp/ucdp-brd-dyadic-221.csv",
                             shared / "cow-mid/cow_mid_dyad_year_peacesciencer.csv"])
    return db


@pytest.fixture(scope="module")
def history(conflict_db: Path) -> ConflictHistory:
    with Store(conflict_db, read_only=True) as store:
        return load_conflict_history(store)
