"""A feed item's guid names a document within its feed only (RSS 2.0 guids are unique per channel): two outlets whose
items both carry guid "1001" keep each other's events; a guid that is a web address stays one document across an
outlet's feeds, as a link does. A store keyed the old way is migrated (schema 17). Served by a local site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.service import state
from geodrift.service.feeds import item_key, run_feeds
from geodrift.service.update import run_update
from geodrift.store import Store
from geodrift.store_schema import SCHEMA_VERSION
from tests.service.site import Site, serve
from tests.service.test_feeds import CONFIG
from tests.service.test_feeds_recode import _item, _orphans, _rss
from tests.test_recode import MEETING, SHELLING, codes


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as running:
        running.put("/robots.txt", "User-agent: *\n", "text/plain")
        yield running


def _feeds(site: Site, guid_a: str, guid_b: str, tail: str = "") -> tuple[str, str]:
    """Outlet A's feed (a shelling) and outlet B's (a meeting), each one item, link-less, under the given guids
    (``tail`` appended: a new ETag, so the next run reads the same items again)."""
    site.put("/a.xml", _rss([{**_item(1, SHELLING), "guid": guid_a, "link": ""}]) + tail)
    site.put("/b.xml", _rss([{**_item(1, MEETING), "guid": guid_b, "link": ""}]) + tail)
    return site.url + "/a.xml", site.url + "/b.xml"


def _update(store: Store, tmp_path: Path, *urls: str) -> str:
    """One feeds run over ``urls`` only (the others removed from the table first); its summary line."""
    for feed in state.list_feeds(store):
        state.remove_feed(store, feed.url)
    for n, url in enumerate(urls):
        state.add_feed(store, state.Feed(url, "feed", outlet=f"{'ab'[n]}.example"))
    return run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)]).stages["feeds"]


def test_two_outlets_sharing_a_numeric_guid_keep_each_others_events(site: Site, tmp_path: Path) -> None:
    a, b = _feeds(site, "1001", "1001")
    with Store() as store:
        _update(store, tmp_path, a)
        shelling = ("RUS", "194", "UKR")  # the default (hybrid) coder codes "shelled" by its mode, 194
        assert shelling in codes(store)
        summary = _update(store, tmp_path, b)
        assert "1 new articles, 0 re-coded" in summary, summary
        assert shelling in codes(store), "outlet B's item 1001 must not re-code outlet A's"
        assert ("CHN", "040", "IND") in codes(store)
        assert sorted(store.con.execute("SELECT document FROM coded_documents").fetchall()) == [
            (f"{a}#guid:1001",), (f"{b}#guid:1001",)]
        _feeds(site, "1001", "1001", tail="\n")
        again = _update(store, tmp_path, a)
        assert "0 new articles, 0 re-coded, 1 unchanged" in again, "fetching A again re-codes nothing"
        assert _orphans(store) == 0


def test_a_permalink_guid_is_one_document_across_feeds(site: Site, tmp_path: Path) -> None:
    """An outlet's story in two of its section feeds under one http(s) guid is one document, not coded twice."""
    story = "https://wire.example/2020/07/13/shelling"
    site.put("/world.xml", _rss([{**_item(1, SHELLING), "guid": story, "link": ""}]))
    site.put("/europe.xml", _rss([{**_item(1, SHELLING), "guid": story, "link": ""}]))
    assert item_key("https://x.example/rss", story) == story
    assert item_key("https://x.example/rss", "tag:x,2020:1") == "https://x.example/rss#guid:tag:x,2020:1"
    with Store() as store:
        _update(store, tmp_path, site.url + "/world.xml", site.url + "/europe.xml")
        assert store.con.execute("SELECT document FROM coded_documents").fetchall() == [(story,)]
        assert store.con.execute("SELECT max(num_articles) FROM events").fetchall() == [(1,)]


def test_migration_17_scopes_the_bare_guids_of_a_schema_15_store(site: Site, tmp_path: Path) -> None:
    a, b = _feeds(site, "1001", "https://b.example/1")
    db = tmp_path / "old.duckdb"
    with Store(str(db)) as store:
        _update(store, tmp_path, a, b)
        store.con.execute("UPDATE coded_documents SET document = regexp_replace(document, '^.*#guid:', '')")
        store.con.execute("UPDATE meta SET value = '15' WHERE key = 'schema_version'")
    with Store(str(db)) as store:
        assert store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
            (str(SCHEMA_VERSION),)]
        assert sorted(store.con.execute("SELECT document FROM coded_documents").fetchall()) == [
            (f"{a}#guid:1001",), ("https://b.example/1",)]
        _feeds(site, "1001", "https://b.example/1", tail="\n")
        assert "0 new articles, 0 re-coded, 2 unchanged" in _update(store, tmp_path, a, b)
