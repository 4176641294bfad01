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
