"""Faults a store must survive: kill -9 at random points of an ingest, and a full disk.

Each killed run, resumed, must end with exactly the event ids of an uninterrupted run; a write that runs out of
space must fail with one clear line and leave a store that opens and holds only whole files.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geodrift.ingest import ingest_files
from geodrift.store import Store

GEORGIA = "gdelt-v1-georgia-2011-2013"


def _files(shared: Path) -> list[Path]:
    files = sorted((shared / GEORGIA).glob("*.csv.gz"))
    assert files, f"{shared / GEORGIA} holds no *.csv.gz: the fault tests need the reference data"
    return files


def _reference_ids(files: list[Path]) -> list[str]:
    with Store() as reference:
        ingest_files(reference, files)
        return reference.df("SELECT event_id FROM events ORDER BY event_id").event_id.tolist()


def _kill_and_resume(files: list[Path], db: Path, delay: float) -> tuple[list[str], int]:
    """Start an ingest, SIGKILL it after ``delay`` seconds (if still running), resume it; the stored ids and accepted total."""
    cmd = [sys.executable, "-m", "geodrift", "ingest", *map(str, files), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "GEODRIFT_GROUP_ROWS": "1"})
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    resumed = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    with Store(db, read_only=True) as store:
        ids = store.df("SELECT event_id FROM events ORDER BY event_id").event_id.tolist()
        accepted = int(store.df("SELECT coalesce(sum(rows_accepted), 0) AS n FROM ingested_files").n[0])
    return ids, accepted


def _trials(shared: Path, tmp_path: Path, count: int) -> None:
    files = _files(shared)
    expected = _reference_ids(files)
    rng = random.Random(20201109)
    for trial in range(count):
        delay = rng.uniform(1.0, 12.0)
        got, accepted = _kill_and_resume(files, tmp_path / f"kill{trial}.duckdb", delay)
        assert got == expected, f"trial {trial} (kill after {delay:.1f} s): {len(got)} ids, expected {len(expected)}"
        assert accepted == len(expected), f"trial {trial}: files account for {accepted} rows"


def test_kill_9_at_random_points_loses_and_duplicates_nothing(shared: Path, tmp_path: Path) -> None:
    _trials(shared, tmp_path, 1)


@pytest.mark.long
def test_kill_9_at_random_points_loses_and_duplicates_nothing_long(shared: Path, tmp_path: Path) -> None:
    _trials(shared, tmp_path, 20)


def _limit_file_size(limit: int) -> None:
    """In the child: writes past ``limit`` bytes fail with EFBIG (a full disk, as the store sees it)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_fails_with_one_line_and_leaves_whole_files(shared: Path, tmp_path: Path) -> None:
    files = _files(shared)
    db = tmp_path / "full.duckdb"
    cmd = [sys.executable, "-m", "geodrift", "ingest", *map(str, files), "--db", str(db)]
    full = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600,
                          env={**os.environ, "GEODRIFT_GROUP_ROWS": "1"}, preexec_fn=lambda: _limit_file_size(6 << 20))
    assert full.returncode != 0, "the size limit must stop the ingest"
    assert "Traceback" not in full.stderr, full.stderr[-2000:]
    assert full.returncode == 1 or "failed" in full.stderr, full.stderr[-2000:]
    with Store(db) as store:
        files_done = store.df("SELECT location, rows_accepted FROM ingested_files WHERE status = 'done'")
        stored = store.df("SELECT count(*) AS n FROM events").n[0]
        assert stored == files_done.rows_accepted.sum(), "every stored row belongs to a file recorded as done"
    resumed = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    with Store(db, read_only=True) as store:
        assert store.df("SELECT event_id FROM events ORDER BY event_id").event_id.tolist() == _reference_ids(files)
