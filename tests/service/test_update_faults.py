"""kill -9 at random points of `geodrift update`, then the same run again: the store must equal the one an
uninterrupted run writes (events, evidence, coded articles, alerts, deliveries, GDELT cursor, today's briefing)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.store import Store
from tests.service.site import serve
from tests.service.world import World

NOW = "2020-07-24T06:10"


@pytest.fixture()
def world(shared: Path, tmp_path: Path) -> Iterator[World]:
    with serve(tmp_path / "www") as site:
        live = World(shared, site, tmp_path)
        live.write_config()
        live.add_gdelt("20200724050000", "20200724051500", "20200724053000", "20200724054500")
        live.news(upto="2020-07-16")  # so that there is an alert to deliver: test_alerts.py says why
        yield live


def _command(world: World, db: Path) -> list[str]:
    return [sys.executable, "-m", "geodrift", "update", "--db", str(db), "--config", str(world.config), "--now", NOW,
            "--quiet"]


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a run leaves that must not depend on where an earlier run was killed."""
    queries = {
        "events": "SELECT * EXCLUDE (file_id) FROM events ORDER BY event_id",
        "evidence": "SELECT * FROM evidence ORDER BY ALL",
        "files": "SELECT location, rows_accepted FROM ingested_files WHERE status = 'done' ORDER BY ALL",
        "seen": "SELECT seen_key, article_id FROM seen_articles ORDER BY ALL",
        "alerts": "SELECT alert_key, kind, subject, title, summary, period, evidence FROM alerts ORDER BY alert_key",
        "deliveries": "SELECT a.alert_key, d.target, d.status FROM alert_deliveries d JOIN alerts a USING (alert_id) "
                      "ORDER BY ALL",
        "state": "SELECT key, value FROM service_state ORDER BY key",
        "feeds": "SELECT * EXCLUDE (added_at) FROM feeds ORDER BY url",
    }
    with Store(db, read_only=True) as store:
        found = {name: [tuple(row) for row in store.con.execute(sql).fetchall()] for name, sql in queries.items()}
    briefing = Path(str(db) + ".briefings") / NOW[:10]
    found["briefing"] = [(p.name,) for p in sorted(briefing.iterdir())] if briefing.is_dir() else []
    found["state"] = [(k, v if k != "briefings_dir" else "") for k, v in found["state"]]
    return found


def _trials(world: World, count: int) -> None:
    reference = world.seed("reference", coded=True)  # the coder's own history, so its news can raise an alert
    started = time.monotonic()
    done = subprocess.run(_command(world, reference), capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    duration = time.monotonic() - started
    expected = snapshot(reference)
    assert expected["events"] and expected["alerts"] and expected["deliveries"] and expected["briefing"]
    rng = random.Random(20200712)
    for trial in range(count):
        db = world.seed(f"killed{trial}", coded=True)
        delay = rng.uniform(0.3, duration)
        proc = subprocess.Popen(_command(world, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        resumed = subprocess.run(_command(world, db), capture_output=True, text=True, check=False, timeout=600)
        assert resumed.returncode == 0, resumed.stderr
        got = snapshot(db)
        for table, rows in expected.items():
            assert got[table] == rows, f"trial {trial} (kill after {delay:.1f} s of {duration:.1f}): {table} differs"


def test_kill_9_at_random_points_of_an_update_then_resume(world: World) -> None:
    _trials(world, 1)


@pytest.mark.long
def test_kill_9_at_random_points_of_an_update_then_resume_long(world: World) -> None:
    _trials(world, 15)


def test_the_lock_is_released_by_a_killed_run(world: World) -> None:
    db = world.seed("released")
    proc = subprocess.Popen(_command(world, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ})
    time.sleep(2.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    again = subprocess.run(_command(world, db), capture_output=True, text=True, check=False, timeout=600)
    assert again.returncode == 0 and "another geodrift update" not in again.stderr, again.stderr
