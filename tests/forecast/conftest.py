"""The real conflict history (UCDP ACD and BRD, COW MID dyad-years), stored once per run and copied for each module."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodrift.forecast.conflict_data import ConflictHistory, load_conflict_history
from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.conftest import copy_of_built


@pytest.fixture(scope="module")
def conflict_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each module's own copy (`risk` stores its forecasts in it) of a store ingested once per run."""
    files = [shared / "ucdp/ucdp_acd_v25_1_unnested.csv", shared / "ucdp/ucdp-brd-dyadic-221.csv",
             shared / "cow-mid/cow_mid_dyad_year_peacesciencer.csv"]

    def build(db: Path) -> None:
        with Store(db) as store:
            ingest_files(store, files)

    return copy_of_built(tmp_path_factory, "conflict", files, build)


@pytest.fixture(scope="module")
def history(conflict_db: Path) -> ConflictHistory:
    with Store(conflict_db, read_only=True) as store:
        return load_conflict_history(store)
