"""A feed that re-serves an item with an edited body re-codes it: the item (known by its guid, else its link) replaces
its earlier events instead of adding its new ones beside them, unchanged items are not coded again, and the run says
"N new, M re-coded, K unchanged". Served twice by a local site on 127.0.0.1."""

from __future__ import annotations

import email.utils
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from geodrift.service import state
from geodrift.service.feeds import run_feeds
from geodrift.service.update import RunResult, run_update
from geodrift.store import Store
from tests.service.site import Site, serve
from tests.service.test_feeds import CONFIG
from tests.test_recode import CONDEMNED, MEETING, SHELLING, codes, differences, snapshot

STRIKE = "Israeli aircraft struck targets near Damascus on Tuesday, the Syrian army said."
SHELLED = ("RUS", "194", "UKR")
"""SHELLING as the service codes it, with the default (hybrid) coder: "shelled" by its mode, 194."""


def _rss(items: list[dict[str, str]]) -> str:
    """An RSS feed whose items carry a guid of their own (not their link), as WordPress serves them."""
    entries = "".join(
        "<item><title>World news</title>" + (f"<link>{escape(i['link'])}</link>" if i.get("link") else "")
        + f"<guid isPermaLink=\"false\">{escape(i['guid'])}</guid><pubDate>{i['date']}</pubDate>"
        f"<description>{escape(i['text'])}</description></item>" for i in items)
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Wire</title>"
            f"<link>https://wire.example</link><description>News</description>{entries}</channel></rss>")


def _item(n: int, text: str, slug: str = "story") -> dict[str, str]:
    when = email.utils.format_datetime(email.utils.parsedate_to_datetime("Mon, 13 Jul 2020 09:00:00 +0000"))
    return {"guid": f"wire-{n}", "link": f"https://wire.example/{n}/{slug}", "text": text, "date": when}


FIRST = [_item(1, SHELLING), _item(2, MEETING)]
SECOND = [_item(1, CONDEMNED, slug="story-updated"), _item(2, MEETING), _item(3, STRIKE)]
"""Item 1 edited (a new body; its link's slug changed, its guid did not), item 2 unchanged, item 3 new."""


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as running:
        running.put("/robots.txt", "User-agent: *\n", "text/plain")
        yield running


def _run(store: Store, site: Site, items: list[dict[str, str]], tmp_path: Path, *, lines: list[str] | None = None,
         tail: str = "") -> tuple[RunResult, Any]:
    """One run of the feeds stage with the feed serving ``items`` (``tail`` appended: a new ETag, the same items)."""
    site.put("/wire.xml", _rss(items) + tail)
    result = run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)],
                        say=(lines if lines is not None else []).append)
    return result, next(state.fetches(store, result.run_id).itertuples())


def _store(site: Site) -> Store:
    store = Store()
    state.add_feed(store, state.Feed(site.url + "/wire.xml", "feed", outlet="wire.example"))
    return store


def _orphans(store: Store) -> int:
    return int(store.con.execute("SELECT (SELECT count(*) FROM clusters WHERE event_id NOT IN (SELECT event_id FROM "
                                 "events)) + (SELECT count(*) FROM evidence WHERE event_id NOT IN (SELECT event_id "
                                 "FROM events))").fetchall()[0][0])


def test_an_edited_item_replaces_its_events_and_the_run_counts_new_recoded_unchanged(site: Site, tmp_path: Path) -> None:
    with _store(site) as store:
        first, record = _run(store, site, FIRST, tmp_path)
        assert record.outcome == "ok" and record.new_articles == 2
        assert "2 new articles, 0 re-coded, 0 unchanged" in first.stages["feeds"]
        assert SHELLED in codes(store) and ("CHN", "040", "IND") in codes(store)
        shelling = store.con.execute("SELECT DISTINCT event_id FROM evidence WHERE url = ?", [FIRST[0]["link"]]).fetchall()
        events, clusters = store.count_events(), store.con.execute("SELECT count(*) FROM clusters").fetchall()[0][0]
        assert clusters == events

        lines: list[str] = []
        second, record = _run(store, site, SECOND, tmp_path, lines=lines)
        assert record.outcome == "ok" and record.new_articles == 1
        summary = second.stages["feeds"]
        assert "1 new articles, 1 re-coded, 1 unchanged" in summary, summary
        assert any("1 new articles, 1 re-coded, 1 unchanged" in line and "wire.xml" in line for line in lines), lines
        assert second.changed["recoded_articles"] == 1 and second.changed["replaced_events"] == len(shelling)
        assert SHELLED not in codes(store), "the edited item's old event is gone"
        assert not store.con.execute("SELECT count(*) FROM evidence WHERE event_id IN (SELECT * FROM unnest(?))",
                                     [[e for (e,) in shelling]]).fetchall()[0][0]
        assert ("IRN", "111", "ISR") in codes(store) and ("CHN", "040", "IND") in codes(store)
        assert store.con.execute("SELECT max(num_articles) FROM events").fetchall() == [(1,)]
        assert store.count_events() == store.con.execute("SELECT count(*) FROM clusters").fetchall()[0][0]
        assert _orphans(store) == 0

        # The store now holds what one run over the second feed holds in a fresh store: events, evidence, clusters.
        with _store(site) as fresh:
            run_update(fresh, CONFIG, cache_dir=tmp_path / "cache2", stages=[("feeds", run_feeds)])
            assert not differences(snapshot(store), snapshot(fresh))
        documents = store.con.execute("SELECT document, url FROM coded_documents ORDER BY 1").fetchall()
        assert documents == [(f"{site.url}/wire.xml#guid:wire-{n}", i["link"])
                             for n, i in zip((1, 2, 3), SECOND, strict=True)]

        kept = snapshot(store)
        again, record = _run(store, site, SECOND, tmp_path, tail="\n")
        assert record.outcome == "ok" and "0 new articles, 0 re-coded, 3 unchanged" in again.stages["feeds"]
        assert not differences(snapshot(store), kept)


def test_an_item_coded_before_documents_were_recorded_is_recoded_too(site: Site, tmp_path: Path) -> None:
    """A store whose feed items were coded by an older build (events and evidence, no ``coded_documents`` row) finds
    the edited item's earlier coding by the article id of its evidence (its link's hash) when the link stays."""
    first = [_item(1, SHELLING), _item(2, MEETING)]
    edited = [_item(1, CONDEMNED), _item(2, MEETING)]
    with _store(site) as store:
        _run(store, site, first, tmp_path)
        store.con.execute("DELETE FROM coded_documents")
        result, _ = _run(store, site, edited, tmp_path)
        assert "0 new articles, 1 re-coded, 1 unchanged" in result.stages["feeds"], result.stages["feeds"]
        assert SHELLED not in codes(store) and ("IRN", "111", "ISR") in codes(store)
        assert _orphans(store) == 0


def test_two_items_sharing_a_link_are_two_documents(site: Site, tmp_path: Path) -> None:
    """A live blog gives each update a guid of its own and one link: editing one update replaces its events only, the
    other's stay (they shared one article id, so re-coding one deleted the other's events for good)."""
    live = "https://wire.example/live"
    first = [{**_item(1, SHELLING), "link": live}, {**_item(2, MEETING), "link": live}]
    edited = [{**_item(1, CONDEMNED), "link": live}, {**_item(2, MEETING), "link": live}]
    with _store(site) as store:
        result, _ = _run(store, site, first, tmp_path)
        assert "2 new articles, 0 re-coded, 0 unchanged" in result.stages["feeds"], result.stages["feeds"]
        ids = store.con.execute("SELECT DISTINCT article_id FROM coded_documents").fetchall()
        assert len(ids) == 2, "two documents, two article ids"
        result, _ = _run(store, site, edited, tmp_path)
        assert "0 new articles, 1 re-coded, 1 unchanged" in result.stages["feeds"], result.stages["feeds"]
        assert ("CHN", "040", "IND") in codes(store), "the unchanged update keeps its events"
        assert SHELLED not in codes(store) and ("IRN", "111", "ISR") in codes(store)
        assert store.con.execute("SELECT max(num_articles) FROM events").fetchall() == [(1,)]
        assert _orphans(store) == 0


def test_a_guid_two_items_reuse_keeps_both(site: Site, tmp_path: Path) -> None:
    """Two items of one fetch with one guid (no link) are two documents: both are new at first and counted so, the
    log says so, and editing the first re-codes it alone; the second's events stay and the first's are not doubled."""
    first = [{**_item(3, SHELLING), "link": ""}, {**_item(3, MEETING), "link": ""}]
    edited = [{**_item(3, CONDEMNED), "link": ""}, {**_item(3, MEETING), "link": ""}]
    with _store(site) as store:
        lines: list[str] = []
        result, record = _run(store, site, first, tmp_path, lines=lines)
        assert "2 new articles, 0 re-coded, 0 unchanged" in result.stages["feeds"], result.stages["feeds"]
        assert "1 item reuses an earlier item's guid" in (record.reason or ""), record.reason
        result, _ = _run(store, site, edited, tmp_path)
        assert "0 new articles, 1 re-coded, 1 unchanged" in result.stages["feeds"], result.stages["feeds"]
        assert ("CHN", "040", "IND") in codes(store), "the second item's events stay"
        assert SHELLED not in codes(store)
        assert [c for c in codes(store) if c == ("IRN", "111", "ISR")] == [("IRN", "111", "ISR")]
        assert store.con.execute("SELECT max(num_articles) FROM events").fetchall() == [(1,)]
        assert _orphans(store) == 0


def test_an_edit_reverted_is_coded_again(site: Site, tmp_path: Path) -> None:
    """A -> B -> A (a headline test, an edit undone): the third fetch re-codes A, as the store holds B's coding."""
    a, b = [_item(1, SHELLING)], [_item(1, CONDEMNED)]
    with _store(site) as store:
        _run(store, site, a, tmp_path)
        kept = snapshot(store)
        _run(store, site, b, tmp_path)
        assert ("IRN", "111", "ISR") in codes(store)
        result, _ = _run(store, site, a, tmp_path)
        assert "0 new articles, 1 re-coded, 0 unchanged" in result.stages["feeds"], result.stages["feeds"]
        assert SHELLED in codes(store) and ("IRN", "111", "ISR") not in codes(store)
        assert not differences(snapshot(store), kept)
        assert _orphans(store) == 0
