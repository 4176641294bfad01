"""`update` run several times against a live world on 127.0.0.1: what was fetched, coded, ingested, briefed and
alerted at each run, what a second run skips, and the lock that keeps two runs apart."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.service import state
from geodrift.service.lock import update_lock
from geodrift.service.settings import load_config
from geodrift.service.status import read_status
from geodrift.service.update import RunResult, run_update
from geodrift.store import Store
from tests.service.site import serve
from tests.service.world import SECRET, World
from tests.test_cli import run


@pytest.fixture()
def world(shared: Path, tmp_path: Path) -> Iterator[World]:
    with serve(tmp_path / "www") as site:
        live = World(shared, site, tmp_path)
        live.write_config()
        yield live


def update(world: World, now: str, name: str = "live") -> RunResult:
    db = str(world.db(name))
    with update_lock(db), Store(db) as store:
        return run_update(store, load_config(world.config), cache_dir=Path(db + ".cache") / "service",
                          now=dt.datetime.fromisoformat(now))


def _fetches(db: Path, run_id: str) -> dict[str, dict[str, object]]:
    with Store(db, read_only=True) as store:
        frame = state.fetches(store, run_id)
    return {str(r["url"]).split("/", 3)[-1]: r for r in frame.to_dict("records")}


def test_update_runs_fetch_code_brief_and_alert_what_is_new(world: World) -> None:
    db = world.seed(coded=True)  # the coder's own history: its news is tested against it
    with Store(db, read_only=True) as store:
        seeded = store.count_events()
        coded_before = int(store.df("SELECT count(*) AS n FROM events WHERE source = 'text'").n.iloc[0])
    world.add_gdelt("20200724030000", "20200724050000", "20200724051500", "20200724053000", "20200724054500")
    world.news(upto="2020-07-16")

    first = update(world, "2020-07-24T06:10:00")
    assert first.status == "ok", first.stages
    got = _fetches(db, first.run_id)
    exports = sorted(k for k in got if k.endswith(".export.CSV.zip"))
    assert exports == [f"gdeltv2/2020072405{m}00.export.CSV.zip" for m in ("00", "15", "30", "45")], "the last hour"
    assert all(got[k]["outcome"] == "ok" and got[k]["new_events"] == 120 for k in exports)
    assert got["gdeltv2/masterfilelist.txt"]["outcome"] == "ok", "a first run catches up from the master list"
    wire, azatutyun = got["wire/rss.xml"], got["azatutyun/atom.xml"]
    assert azatutyun["new_articles"] == 5 and wire["new_articles"] > 10, "the Atom feed's items are coded once"
    assert "language 'ru' is not coded" in str(wire["reason"])
    assert got["broken/rss.xml"]["outcome"] == "failed" and "not a readable RSS/Atom feed" in str(got["broken/rss.xml"]["reason"])
    assert got["html/feed"]["reason"] == "expected an RSS/Atom feed, got an HTML page (text/html)"
    assert got["gpf/drift.html"]["reason"] == "HTTP 404 Not Found"
    with Store(db, read_only=True) as store:
        sources = dict(store.df("SELECT source, count(*) AS n FROM events GROUP BY 1").values.tolist())
        # new minus replaced is the net change: an item two feeds carry under one link is re-coded by the second
        net = first.changed["new_events"] - first.changed.get("replaced_events", 0)
        assert sources["gdelt2"] == 480 and sources["text"] - coded_before == net - 480
        assert store.count_events() == seeded + net
        alerts = store.df("SELECT * FROM alerts ORDER BY alert_id")
    assert first.stages["clusters"] == f"{first.changed['new_events']} new reports clustered as they were stored"
    assert first.stages["forecasts"].startswith("1 refreshed (ARM-AZE)")
    assert "; ARM-AZE 7 days " in first.stages["forecasts"] and "best in its backtest on every source's events (" \
        in first.stages["forecasts"] and " before 24 July 2020: " in first.stages["forecasts"], \
        "the model, why and on what data (reader M15)"
    assert first.stages["forecasts"].endswith("; dyad 7 days: backtest run (none stored)"), first.stages["forecasts"]
    briefing = Path(str(db) + ".briefings") / "2020-07-24"
    assert (briefing / "caucasus.html").is_file() and (briefing / "caucasus.json").is_file()
    document = json.loads((briefing / "caucasus.json").read_text())
    assert document["parameters"]["date"] == "2020-07-24" and document["citations"]
    watch = next(s for s in document["sections"] if s["heading"] == "What to watch")
    assert "Armenia and Azerbaijan" in json.dumps(watch), "the refreshed forecast is in today's briefing"
    flare = alerts[alerts.kind == "flare-up"]
    # The escalation of July 2020 against the quiet first half of the year: first flagged in the week of 13 July, the
    # Tovuz fighting's second week (the Sunday of 12 July alone has 2 events, one short since the coder dates a Monday
    # report's "on Sunday" shelling to the 12th, where it joins that day's cluster; counted by report, records dated
    # only "2020-07" made it the week of 29 June). Counted by
    # clusters, with CAMEO 18-20 one family, Azerbaijan's own week stays under the 99% level with news to 16 July.
    assert "flareup:ARM-AZE:2020-07-13" in set(flare.alert_key), alerts[["alert_key", "title"]]
    evidence = json.loads(flare[flare.alert_key == "flareup:ARM-AZE:2020-07-13"].evidence.iloc[0])
    assert evidence and all(e["event_id"] and e["url"].startswith(("http://", "https://")) for e in evidence)
    hooks = [(h, body) for path, h, body in world.site.posts if path == "/hook"]
    assert hooks, "the subscriber to AZE-ARM is told"
    for headers, body in hooks:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Geodrift-Signature"] == expected and json.loads(body)["alert"]["subject"] == "ARM-AZE"
    told = len(hooks)

    world.add_gdelt("20200724060000", "20200724061500")
    second = update(world, "2020-07-24T06:40:00")
    got = _fetches(db, second.run_id)
    assert sorted(k for k, r in got.items() if k.endswith(".export.CSV.zip")) == [
        "gdeltv2/20200724060000.export.CSV.zip", "gdeltv2/20200724061500.export.CSV.zip"]
    assert got["wire/rss.xml"]["outcome"] == "not-modified" and got["azatutyun/atom.xml"]["outcome"] == "not-modified"
    assert second.stages["forecasts"] == "0 refreshed (none), 1 unchanged", "no new ARM-AZE events: not re-issued"
    assert second.changed.get("alerts", 0) == 0 and len([p for p, _, _ in world.site.posts if p == "/hook"]) == told

    masters = len(world.site.hits("/gdeltv2/masterfilelist.txt"))
    world.add_gdelt("20200724063000")
    world.news(upto="2020-07-24")
    world.site.post_faults["/hook"] = [503]
    third = update(world, "2020-07-24T06:55:00")
    got = _fetches(db, third.run_id)
    assert len(world.site.hits("/gdeltv2/masterfilelist.txt")) == masters, "one new file: lastupdate.txt suffices"
    assert got["gdeltv2/20200724063000.export.CSV.zip"]["new_events"] == 120
    assert got["wire/rss.xml"]["outcome"] == "ok" and got["wire/rss.xml"]["new_articles"] > 5
    assert got["gpf/drift.html"]["outcome"] == "ok" and got["gpf/drift.html"]["new_articles"] == 1

    world.add_gdelt("20200725000000")
    fourth = update(world, "2020-07-25T00:20:00")
    assert fourth.status == "ok"
    folder = Path(str(db) + ".briefings")
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["2020-07-24", "2020-07-25"]
    with Store(db, read_only=True) as store:
        runs = state.runs(store)
        assert list(runs.status) == ["ok"] * 4
        assert store.df("SELECT count(*) AS n FROM ingested_files WHERE format = 'gdelt2' AND status = 'done'").n[0] == 8
        delivered = store.df("SELECT status, attempts FROM alert_deliveries")
        assert set(delivered.status) == {"delivered"}
    status = read_status(str(db))
    assert status["last_run"]["run_id"] == fourth.run_id and status["store_bytes"] > 0
    assert {s["source"] for s in status["sources"]} >= {"gdelt2", world.site.url + "/wire/rss.xml"}


def test_a_second_update_stops_at_once_naming_the_first(world: World) -> None:
    db = str(world.db("locked"))
    with update_lock(db):
        second = run("update", "--db", db, "--config", str(world.config), "--now", "2020-07-24T06:10")
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert "another geodrift update is running (PID " in second.stderr and "nothing was changed" in second.stderr
    assert not Path(db).exists(), "the second run stopped before touching the store"


def test_cli_update_and_status(world: World) -> None:
    world.add_gdelt("20200724050000", "20200724051500")
    world.news(upto="2020-07-14")
    db = str(world.db("cli"))
    done = run("update", "--db", db, "--config", str(world.config), "--now", "2020-07-24T05:40", "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("run 20200724T054000-") and "240 new events" not in done.stdout
    shown = run("status", "--db", db, "--config", str(world.config))
    assert shown.returncode == 0, shown.stderr
    assert "last run: 20200724T054000-" in shown.stdout and "running now: no" in shown.stdout
    assert "next run: not scheduled" in shown.stdout and "gdelt2" in shown.stdout and "wire/rss.xml" in shown.stdout
    listed = run("alerts", "list", "--pair", "ARM-AZE", "--format", "json", "--db", db)
    assert listed.returncode == 0 and isinstance(json.loads(listed.stdout), list)
