"""The service's CLI verbs as a user sees them: feeds add/list/remove, geodrift.toml errors, status."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run


def test_feeds_add_list_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    added = run("feeds", "add", "https://www.azatutyun.am/api/rss", "--outlet", "azatutyun.am", "--country", "arm",
                "--language", "en", "--db", db)
    assert added.returncode == 0 and "added feed https://www.azatutyun.am/api/rss" in added.stdout, added.stderr
    again = run("feeds", "add", "https://www.azatutyun.am/api/rss", "--outlet", "Azatutyun", "--db", db)
    assert again.stdout.startswith("updated")
    run("feeds", "add", "https://en.trend.az/karabakh/3273230.html", "--kind", "page", "--db", db)
    listed = run("feeds", "list", "--format", "json", "--db", db)
    rows = json.loads(listed.stdout)
    assert [(r["url"], r["kind"], r["outlet"]) for r in rows] == [
        ("https://en.trend.az/karabakh/3273230.html", "page", None),
        ("https://www.azatutyun.am/api/rss", "feed", "Azatutyun")]
    assert run("feeds", "remove", "https://en.trend.az/karabakh/3273230.html", "--db", db).returncode == 0
    missing = run("feeds", "remove", "https://nowhere.example/rss", "--db", db)
    assert missing.returncode == 1 and "error: no feed 'https://nowhere.example/rss'" in missing.stderr
    bad = run("feeds", "add", "ftp://x.example/feed", "--db", db)
    assert bad.returncode == 1 and "is not an http(s) URL" in bad.stderr and "Traceback" not in bad.stderr


def test_a_bad_geodrift_toml_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "geodrift.toml"
    config.write_text("[fetch]\ntimeout = 'soon'\n")
    result = run("update", "--config", str(config), "--db", str(tmp_path / "s.duckdb"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: {config}: fetch.timeout must be a number, got 'soon'" in result.stderr
    config.write_text("[schedule]\nevery = '15 minutes'\n")
    assert "must be a duration such as 90s, 15m" in run("update", "--config", str(config)).stderr
    config.write_text("[feeds]\nurl = 'x'\n")
    assert "feeds must be an array of tables" in run("status", "--config", str(config)).stderr
    config.write_text("[alerts]\nwebhooks = []\n")
    assert "alerts has no setting 'webhooks'" in run("status", "--config", str(config)).stderr
    assert "GEODRIFT_CONFIG" not in run("status", env={"GEODRIFT_CONFIG": str(tmp_path / "none.toml")}).stderr
    assert "none.toml: no such configuration file" in run("status", env={"GEODRIFT_CONFIG": str(tmp_path / "none.toml")}).stderr
