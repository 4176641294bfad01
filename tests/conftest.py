"""Shared fixtures: the reference data (required, never skipped) and small real-data files."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

# Each xdist worker has one core of its own: a BLAS pool of two threads per worker spins against the other worker
# (loading the UN votes took 15 s of CPU with two OpenBLAS threads, 6 s with one, under `-n 2` on two cores). Set
# before numpy is first imported (the geodrift imports below), and inherited by the CLI subprocesses.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.browser import browser

__all__ = ["browser"]

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


@pytest.fixture(scope="session")
def spark_base() -> Iterator[Any]:
    """One local Spark (local[2]) for the whole run: it takes 7-14 s to start. Modules take ``newSession()`` of it
    for their own temporary views."""
    from geodrift.lake_spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def copy_of_built(tmp_path_factory: pytest.TempPathFactory, name: str, inputs: Sequence[Path | str],
                  build: Callable[[Path], None]) -> Path:
    """A private copy of the store file ``build`` writes, built once per test run for all xdist workers.

    Each worker used to ingest the same files into its own store (the UN votes alone take 6 s of CPU); now the first
    worker to ask builds it under the run's temporary base, keyed by ``name``, the input files' paths, sizes and
    modification times and any text given in ``inputs``, while the others wait on a lock. The copy keeps the
    fixtures' contract: each caller owns its file (DuckDB allows one writer per file, and a read-only open in one
    process blocks writers in another).
    """
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "built-once"
    root.mkdir(exist_ok=True)
    stamp = repr([name, *(i if isinstance(i, str) else (str(i), i.stat().st_size, i.stat().st_mtime_ns) for i in inputs)])
    built = root / f"{name}-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.duckdb"
    with open(f"{built}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            partial = built.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            build(partial)
            partial.rename(built)
    copy = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    shutil.copy(built, copy)
    return copy


@pytest.fixture()
def store() -> Store:
    return Store(":memory:")


@pytest.fixture(scope="session")
def caucasus_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the hand-coded 2020 Caucasus events, the Georgia GDELT rows and UN votes."""
    from geodrift.analytics.unvotes import load_unvotes
    from geodrift.ingest import ingest_files

    events = [shared / "caucasus-2020-events/events.jsonl", *sorted((shared / "gdelt-v1-georgia-2011-2013").glob("*.csv.gz"))]
    votes = [shared / "unvotes", shared / "unga-idealpoints/IdealpointsJuly2025.csv"]

    def build(db: Path) -> None:
        with Store(db) as store:
            ingest_files(store, events)
            load_unvotes(store, *votes)

    return copy_of_built(tmp_path_factory, "caucasus", [*events, *votes], build)


@pytest.fixture(scope="session")
def caucasus_store(caucasus_db: Path) -> Store:
    """That store, open read-only (so CLI subprocesses can read it at the same time)."""
    return Store(caucasus_db, read_only=True)


HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


def hostile_records() -> list[dict[str, object]]:
    """Events whose text fields carry markup and script URLs, as a malicious or broken page would."""
    base = {"published": "2020-07-23", "language": "en", "event_date": "2020-07-23", "event_date_precision": "day",
            "plover": None, "claimed_by": None, "fatalities": None, "confidence": "high",
            "place": {"name": f"Tovuz {HOSTILE}", "iso3": "AZE", "adm1": None, "lat": None, "lon": None}}
    return [
        {**base, "event_id": f"hostile{i}", "article_id": f"hostile-article{i}", "url": url, "outlet": f"Evil {HOSTILE}",
         "actor1": {"name": "Armenian forces", "iso3": "ARM", "role": "MIL"},
         "actor2": {"name": "Azerbaijani forces", "iso3": "AZE", "role": "MIL"},
         "cameo_code": code, "quad_class": 4, "modality": "actual",
         "summary": f"Armenian forces shelled Tovuz {HOSTILE} \" ' & [link](javascript:alert(1))"}
        for i, (url, code) in enumerate([("javascript:window.__pwned=3", "180"), ("https://example.org/a?x=<b>", "181"),
                                         ("data:text/html,<script>alert(1)</script>", "182")])
    ]


@pytest.fixture(scope="session")
def report_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geodrift.analytics.unvotes import load_unvotes

    records = "\n".join(json.dumps(r) for r in hostile_records()) + "\n"
    events = shared / "caucasus-2020-events/events.jsonl"
    votes = [shared / "unvotes", shared / "unga-idealpoints/IdealpointsJuly2025.csv"]

    def build(db: Path) -> None:
        hostile = db.parent / "hostile.jsonl"
        hostile.write_text(records, encoding="utf-8")
        with Store(db) as store:
            ingest_files(store, [events, hostile])
            load_unvotes(store, *votes)

    return copy_of_built(tmp_path_factory, "reports", [events, records, *votes], build)


@pytest.fixture(scope="session")
def report_store(report_db: Path) -> Store:
    return Store(report_db, read_only=True)
