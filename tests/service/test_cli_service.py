"""The service's CLI verbs as a user sees them: feeds add/list/remove, geodrift.toml errors, status."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import invoke, run


def test_feeds_add_list_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    added = invoke("feeds", "add", "https://www.azatutyun.am/api/rss", "--outlet", "azatutyun.am", "--country", "arm",
                   "--language", "en", "--db", db)
    assert added.returncode == 0 and "added feed https://www.azatutyun.am/api/rss" in added.stdout, added.stderr
    again = invoke("feeds", "add", "https://www.azatutyun.am/api/rss", "--outlet", "Azatutyun", "--db", db)
    assert again.stdout.startswith("updated")
    invoke("feeds", "add", "https://en.trend.az/karabakh/3273230.html", "--kind", "page", "--db", db)
    listed = invoke("feeds", "list", "--format", "json", "--db", db)
    rows = json.loads(listed.stdout)
    assert [(r["url"], r["kind"], r["outlet"]) for r in rows] == [
        ("https://en.trend.az/karabakh/3273230.html", "page", None),
        ("https://www.azatutyun.am/api/rss", "feed", "Azatutyun")]
    assert invoke("feeds", "remove", "https://en.trend.az/karabakh/3273230.html", "--db", db).returncode == 0
    missing = invoke("feeds", "remove", "https://nowhere.example/rss", "--db", db)
    assert missing.returncode == 1 and "error: no feed 'https://nowhere.example/rss'" in missing.stderr
    bad = invoke("feeds", "add", "ftp://x.example/feed", "--db", db)
    assert bad.returncode == 1 and "is not an http(s) URL" in bad.stderr and "Traceback" not in bad.stderr


def test_a_bad_geodrift_toml_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "geodrift.toml"
    config.write_text("[fetch]\ntimeout = 'soon'\n")
    result = invoke("update", "--config", str(config), "--db", str(tmp_path / "s.duckdb"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: {config}: fetch.timeout must be a number, got 'soon'" in result.stderr
    config.write_text("[schedule]\nevery = '15 minutes'\n")
    assert "must be a duration such as 90s, 15m" in invoke("update", "--config", str(config)).stderr
    config.write_text("[feeds]\nurl = 'x'\n")
    assert "feeds must be an array of tables" in invoke("status", "--config", str(config)).stderr
    config.write_text("[alerts]\nwebhooks = []\n")
    assert "alerts has no setting 'webhooks'" in invoke("status", "--config", str(config)).stderr
    missing = {"GEODRIFT_CONFIG": str(tmp_path / "none.toml")}
    assert "GEODRIFT_CONFIG" not in invoke("status", env=missing).stderr
    assert "none.toml: no such configuration file" in invoke("status", env=missing).stderr


def test_watch_runs_every_interval_and_status_shows_the_next_run(shared: Path, tmp_path: Path) -> None:
    from tests.service.site import serve
    from tests.service.world import World

    with serve(tmp_path / "www") as site:
        world = World(shared, site, tmp_path)
        world.write_config()
        world.news(upto="2020-07-14")
        world.add_gdelt("20200724050000")  # published long ago: nothing for a run of today to fetch
        db = str(tmp_path / "watch.duckdb")
        watched = run("watch", "--every", "2s", "--runs", "2", "--quiet", "--db", db, "--config", str(world.config))
        assert watched.returncode == 0, watched.stderr
        assert watched.stdout.count("run ") == 2 and "new articles" in watched.stdout.splitlines()[0]
        assert "nothing new" in watched.stdout.splitlines()[1], "the second run finds the feeds unchanged (304)"
        shown = json.loads(run("status", "--format", "json", "--db", db).stdout)
        assert shown["watch"]["every_seconds"] == 2 and shown["watch"]["next_run"]
        assert shown["last_run"]["status"] == "ok" and shown["running"] is None
        assert len(site.hits("/wire/rss.xml")) == 2 and site.hits("/wire/rss.xml")[1].get("If-None-Match")


def test_watch_with_serve_updates_the_store_it_serves(shared: Path, tmp_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.service.site import serve
    from tests.service.world import World

    with serve(tmp_path / "www") as site, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        world = World(shared, site, tmp_path)
        world.write_config()
        world.news(upto="2020-07-14")
        world.add_gdelt("20200724050000")
        db = str(tmp_path / "served.duckdb")
        proc = subprocess.Popen([sys.executable, "-m", "geodrift", "watch", "--every", "3s", "--serve", "--port",
                                 str(port), "--quiet", "--db", db, "--config", str(world.config)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ})
        try:
            deadline = time.monotonic() + 120
            answer: dict[str, object] = {}
            while time.monotonic() < deadline:
                time.sleep(1)
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/daily", timeout=5) as resp:
                        page = resp.read().decode()
                    if "/daily/" in page:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/alerts", timeout=5) as resp:
                            answer = json.loads(resp.read())
                        break
                except OSError:
                    continue
            assert "alerts" in answer, "the server answers while the loop updates its store"
            busy = run("feeds", "list", "--db", db, env={"GEODRIFT_LOCK_WAIT": "0"})
            assert busy.returncode == 1 and "is writing this store" in busy.stderr, "the server owns the store"
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        assert "geodrift on http://127.0.0.1:" in out and "run " in out, err
