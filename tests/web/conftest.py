"""A server over a real store (hand-coded 2020 events, hostile records, UN votes), in-process and on a port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geodrift.store import Store
from geodrift.web.app import create_app, running
from geodrift.web.config import ServeSettings, new_key

KEY, KEY_HASH = new_key()


@pytest.fixture(scope="session")
def web_db(report_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy: the server owns its store (one writer per database file)."""
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    shutil.copy(report_db, path)
    return path


@pytest.fixture(scope="session")
def settings(web_db: Path, shared: Path) -> ServeSettings:
    return ServeSettings(db=str(web_db), key_hashes=frozenset({KEY_HASH}), cors_origins=("https://analyst.example",),
                         data_dir=shared / "gdelt-v1-georgia-2011-2013")


@pytest.fixture(scope="session")
def web_store(web_db: Path) -> Iterator[Store]:
    store = Store(web_db)
    yield store
    store.close()


@pytest.fixture(scope="session")
def client(settings: ServeSettings, web_store: Store) -> TestClient:
    return TestClient(create_app(settings, web_store))


@pytest.fixture(scope="session")
def server(settings: ServeSettings, web_store: Store) -> Iterator[str]:
    """The app on a free 127.0.0.1 port, for the browser."""
    with running(create_app(settings, web_store)) as url:
        yield url
