"""A killed ingest, resumed, ends with exactly the rows of an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.store import Store

GEORGIA = "gdelt-v1-georgia-2011-2013"


def test_killed_ingest_resumes_without_duplicates_or_losses(shared: Path, tmp_path: Path) -> None:
    files = sorted((shared / GEORGIA).glob("*.csv.gz"))
    db = tmp_path / "killed.duckdb"
    cmd = [sys.executable, "-m", "geodrift", "ingest", *map(str, files), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200", "GEODRIFT_GROUP_ROWS": "1"})
    assert proc.stderr is not None
    seen = 0
    for line in proc.stderr:
        if line.startswith("ingested"):
            seen += 1
            if seen == 3:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as store:
        partial = store.count_events()
        done_files = store.df("SELECT count(*) AS n FROM ingested_files WHERE status = 'done'").n[0]
        assert 3 <= done_files < len(files), "the kill must land mid-run"
        assert store.df("SELECT count(*) AS n FROM ingested_files WHERE status <> 'done'").n[0] == 0
        assert partial > 0
    resumed = subprocess.run(cmd, capture_output=True, text=True, check=False)  # default group commits
    assert resumed.returncode == 0, resumed.stderr
    assert "skipped" in resumed.stderr
    with Store() as reference:
        ingest_files(reference, files)
        expected = reference.df("SELECT event_id FROM events ORDER BY event_id").event_id.tolist()
    with Store(db) as store:
        got = store.df("SELECT event_id FROM events ORDER BY event_id").event_id.tolist()
        assert got == expected
        assert store.df("SELECT sum(rows_accepted) AS n FROM ingested_files").n[0] == len(expected)
