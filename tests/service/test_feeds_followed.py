"""Which feeds a run follows, and when it fetches them: a feed taken out of geodrift.toml is fetched no more (its
events stay, and ``geodrift status`` says so; attack review F11), and the feeds are fetched before the store is opened
for writing, so a slow feed keeps no other writer waiting."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.errors import StoreLockedError
from geodrift.service import state
from geodrift.service.status import read_status
from geodrift.store import Store
from tests.service.news import caucasus_items, rss
from tests.service.site import Site, serve
from tests.test_cli import run


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as running:
        running.put("/robots.txt", "User-agent: *\n", "text/plain")
        yield running


def _config(path: Path, site: Site, feeds: list[str], deadline: float = 20) -> Path:
    entries = "".join(f'\n[[feeds]]\nurl = "{site.url}{feed}"\n' for feed in feeds)
    path.write_text(f"""[gdelt]\nv2 = false\n[fetch]\ntimeout = 10\ndeadline = {deadline}\nretries = 0\nhost_delay = 0
[briefing]\nregions = []\n[forecasts]\nescalation = []\n{entries}""")
    return path


def _update(db: Path, config: Path, now: str) -> subprocess.CompletedProcess[str]:
    result = run("update", "--db", str(db), "--config", str(config), "--now", now)
    assert result.returncode == 0, result.stderr
    return result


def test_a_feed_taken_out_of_the_config_is_no_longer_fetched_and_its_events_stay(shared: Path, site: Site,
                                                                                tmp_path: Path) -> None:
    items = caucasus_items(shared)
    site.put("/wire.xml", rss("Caucasus wire", "https://news.example.am", items[:3]))
    site.put("/other.xml", rss("Other wire", "https://other.example.ge", items[3:6]))
    site.put("/mine.xml", rss("By hand", "https://hand.example.az", items[6:8]))
    db, config = tmp_path / "s.duckdb", tmp_path / "geodrift.toml"
    assert run("feeds", "add", site.url + "/mine.xml", "--db", str(db)).returncode == 0
    _update(db, _config(config, site, ["/wire.xml", "/other.xml"]), "2020-07-24T06:00:00")
    with Store(db, read_only=True) as store:
        events = store.count_events()
        other_events = int(store.con.execute("SELECT sum(new_events) FROM fetches WHERE url = ?",
                                             [site.url + "/other.xml"]).fetchall()[0][0])
    assert other_events > 0 and len(site.hits("/other.xml")) == 1

    second = _update(db, _config(config, site, ["/wire.xml"]), "2020-07-24T07:00:00")
    assert len(site.hits("/other.xml")) == 1, "a feed taken out of geodrift.toml was fetched again"
    assert len(site.hits("/wire.xml")) == 2 and len(site.hits("/mine.xml")) == 2, "the others are still followed"
    assert "no longer fetched" in second.stderr and site.url + "/other.xml" in second.stderr
    with Store(db, read_only=True) as store:
        assert store.count_events() == events, "the removed feed's events stay"
        assert [f.url for f in state.list_feeds(store)] == [site.url + "/mine.xml", site.url + "/wire.xml"]
    removed = read_status(str(db))["removed_feeds"]
    assert removed == [{"url": site.url + "/other.xml", "removed": removed[0]["removed"], "by": "geodrift.toml",
                        "events": other_events}]
    status = run("status", "--db", str(db), "--config", str(config))
    assert (f"removed feed: {site.url}/other.xml (by geodrift.toml, {removed[0]['removed']}): no longer fetched; "
            f"its {other_events:,} stored events stay") in status.stdout, status.stdout

    _update(db, _config(config, site, ["/wire.xml", "/other.xml"]), "2020-07-24T08:00:00")
    assert len(site.hits("/other.xml")) == 2, "listed again, it is followed again"
    assert read_status(str(db))["removed_feeds"] == []


def test_feeds_are_fetched_before_the_store_is_opened_for_writing(site: Site, tmp_path: Path) -> None:
    site.put("/slow.xml", rss("Slow wire", "https://slow.example", []))
    site.slow["/slow.xml"] = 6.0
    db, config = tmp_path / "s.duckdb", _config(tmp_path / "geodrift.toml", site, ["/slow.xml"])
    Store(db).close()
    updating = subprocess.Popen([sys.executable, "-m", "geodrift", "update", "--db", str(db), "--config", str(config),
                                 "--now", "2020-07-24T06:00:00"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    try:
        waited = time.monotonic()
        while not site.hits("/slow.xml"):
            assert updating.poll() is None and time.monotonic() - waited < 60, "the update never fetched the feed"
            time.sleep(0.05)
        try:  # another writer, while the feed is still being fetched
            with Store(db) as store:
                store.con.execute("INSERT INTO service_state VALUES ('written while fetching', '1')")
        except StoreLockedError as exc:
            pytest.fail(f"the update held the store while it fetched a feed: {exc}")
        assert updating.poll() is None, "the feed was still being fetched"
    finally:
        _, err = updating.communicate(timeout=120)
    assert updating.returncode == 0, err
    with Store(db, read_only=True) as store:
        assert state.get_state(store, "written while fetching") == "1"
        assert json.loads(state.get_state(store, state.CONFIG_FEEDS) or "[]") == [site.url + "/slow.xml"]
        assert state.fetches(store).outcome.tolist() == ["ok"]


def test_each_feed_is_parsed_once(shared: Path, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed that gave no article was parsed again to find why (feeds._unreadable); the reason now comes from the
    one parse that read its entries."""
    import feedparser

    from geodrift.service.feeds import run_feeds
    from geodrift.service.update import run_update
    from tests.service.news import BROKEN
    from tests.service.test_feeds import CONFIG

    parsed: list[bytes] = []
    parse = feedparser.parse

    def counting(data: bytes, *args: object, **kwargs: object) -> object:
        parsed.append(data)
        return parse(data, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", counting)
    site.put("/broken.xml", BROKEN)
    site.put("/good.xml", rss("Caucasus wire", "https://news.example.am", caucasus_items(shared)[:2]))
    with Store() as store:
        for path in ("/broken.xml", "/good.xml"):
            state.add_feed(store, state.Feed(site.url + path))
        result = run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)])
        reasons = dict(state.fetches(store, result.run_id)[["url", "reason"]].itertuples(index=False))
    assert "not a readable RSS/Atom feed" in reasons[site.url + "/broken.xml"]
    assert len(parsed) == 2, f"{len(parsed)} parses of 2 feeds"
