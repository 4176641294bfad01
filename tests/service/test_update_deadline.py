"""A feed that trickles its answer no longer holds ``geodrift update`` (and the store's writer lock) past the fetch
deadline: the feed is recorded as failed with the reason and the run goes on to the next feed (attack review 6, F3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.service import state
from geodrift.service.feeds import run_feeds
from geodrift.service.update import run_update
from geodrift.store import Store
from tests.service.site import Site, serve
from tests.service.test_feeds import CONFIG
from tests.service.test_feeds_recode import _item, _rss
from tests.test_recode import SHELLING


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as running:
        running.put("/robots.txt", "User-agent: *\n", "text/plain")
        yield running


def test_a_trickling_feed_fails_at_the_deadline_and_the_run_goes_on(site: Site, tmp_path: Path) -> None:
    site.trickle["/slowhead.xml"] = "head"
    site.put("/wire.xml", _rss([_item(1, SHELLING)]))
    with Store() as store:
        for path in ("/slowhead.xml", "/wire.xml"):
            state.add_feed(store, state.Feed(site.url + path, "feed"))
        result = run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)])
        fetches = {row.url.rsplit("/", 1)[1]: row for row in state.fetches(store, result.run_id).itertuples()}
    slow = fetches["slowhead.xml"]
    assert slow.seconds < CONFIG.fetch.deadline + 1, f"the feed held the run {slow.seconds:.1f} s"
    assert slow.outcome == "failed" and "deadline passed while receiving the status line and headers" in slow.reason
    assert fetches["wire.xml"].outcome == "ok" and fetches["wire.xml"].new_articles == 1
