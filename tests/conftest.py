"""Shared fixtures: the reference data (required, never skipped) and small real-data files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geodrift.store import Store

REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    return Path(os.environ.get("GEODRIFT_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The reference data folder; the suite fails (not skips) without it."""
    path = _shared()
    if not (path / "gdelt-v1-georgia-2011-2013").is_dir():
        pytest.fail(
            f"reference data not found at {path}: these tests need ../shared/data beside the repository "
            "(or GEODRIFT_DATA pointing at it)",
            pytrace=False,
        )
    return path


@pytest.fixture()
def store() -> Store:
    return Store(":memory:")


@pytest.fixture(scope="session")
def caucasus_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the hand-coded 2020 Caucasus events, the Georgia GDELT rows and UN votes."""
    from geodrift.analytics.unvotes import load_unvotes
    from geodrift.ingest import ingest_files

    db = tmp_path_factory.mktemp("analytics") / "caucasus.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl",
                             *sorted((shared / "gdelt-v1-georgia-2011-2013").glob("*.csv.gz"))])
        load_unvotes(store, shared / "unvotes", shared / "unga-idealpoints/IdealpointsJuly2025.csv")
    return db


@pytest.fixture(scope="session")
def caucasus_store(caucasus_db: Path) -> Store:
    """That store, open read-only (so CLI subprocesses can read it at the same time)."""
    return Store(caucasus_db, read_only=True)
