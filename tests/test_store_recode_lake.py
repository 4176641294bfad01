"""A lake keeps no evidence of coded text and no service tables, so it cannot re-code an article: coding into a lake
and running the feeds on one are one clear error each, before anything is written (never a double count, never
feeds and runs kept in a connection that forgets them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import geodrift
from geodrift.errors import StoreError
from geodrift.lake_store import LakeStore
from geodrift.service import state
from geodrift.service.feeds import run_feeds
from geodrift.service.update import run_update
from tests.service.test_feeds import CONFIG
from tests.test_recode import PUBLISHED, SHELLING, jsonl


def _geodrift(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI of this checkout, run in ``cwd`` (where it writes its lock and folders)."""
    source = str(Path(geodrift.__file__).resolve().parents[1])
    return subprocess.run([sys.executable, "-m", "geodrift", *args], capture_output=True, text=True, check=False, cwd=cwd,
                          env={**os.environ, "COLUMNS": "400",
                               "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])})


def test_coding_into_a_lake_is_one_clear_error_and_writes_nothing(shared: Path, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    ingested = _geodrift("--store", f"lake:{lake}", "ingest", str(shared / "caucasus-2020-events" / "events.jsonl"),
                         cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    with LakeStore(lake, read_only=True) as store:
        before = store.count_events()
    article = jsonl(tmp_path / "a.jsonl", {"id": "1", "text": SHELLING})
    for _ in range(2):  # coding, and coding again (an edit would be a re-coding): the same refusal
        coded = _geodrift("--store", f"lake:{lake}", "code", str(article), "--published", PUBLISHED, "--into",
                          cwd=tmp_path)
        assert coded.returncode == 1
        assert coded.stderr.strip() == (f"error: lake:{lake}: a lake keeps no evidence of coded text; code into a "
                                        "DuckDB store (--store FILE.duckdb)")
        assert not coded.stdout, "the refusal comes before any coding is printed"
    with LakeStore(lake, read_only=True) as store:
        assert store.count_events() == before


def test_the_service_refuses_a_lake_before_it_writes(tmp_path: Path) -> None:
    with LakeStore(tmp_path / "lake") as store:
        with pytest.raises(StoreError, match="a lake keeps no feeds, runs or alerts"):
            state.add_feed(store, state.Feed("https://wire.example/feed.xml", "feed"))
        with pytest.raises(StoreError, match="run the service on a DuckDB store"):
            run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)])
    refused = _geodrift("--store", f"lake:{tmp_path / 'lake'}", "update", cwd=tmp_path)
    assert refused.returncode == 1 and "a lake keeps no feeds, runs or alerts" in refused.stderr
    assert not (tmp_path / "lake:").exists(), "no briefing folder named after the lake's location"
