"""Hostile and broken feeds (attack finding F8): a feed declaring XML entities (billion laughs) is refused with its
reason, and an item whose own date is no day is dated by its dateline, else skipped and counted, never stored as
the run's day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.coding.articles import Article, Skipped
from geodrift.coding.readers import FeedReader
from geodrift.service import state
from geodrift.service.feeds import run_feeds
from geodrift.service.settings import FetchPolicy, ServiceConfig
from geodrift.service.update import run_update
from geodrift.store import Store
from tests.service.news import caucasus_items, rss
from tests.service.site import Site, serve

CONFIG = ServiceConfig(fetch=FetchPolicy(timeout=2, deadline=10, retries=0, backoff=0.01, host_delay=0.01),
                       gdelt2=False)
NOW = dt.datetime(2020, 7, 24, 6)
LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
"""Nine entities, each ten of the one before: "&lol9;" is a billion "lol"s."""
BILLION_LAUGHS = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]><rss version="2.0"><channel>'
                  "<title>Wire</title><link>https://wire.example</link><item><title>Tovuz</title>"
                  "<link>https://wire.example/1</link><pubDate>Mon, 13 Jul 2020 10:00:00 GMT</pubDate>"
                  "<description>&lol9; Armenian forces shelled Azerbaijani positions in Tovuz.</description></item>"
                  "</channel></rss>")


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as running:
        running.put("/robots.txt", "User-agent: *\n", "text/plain")
        yield running


def _item(date: str, title: str, text: str, link: str) -> str:
    return (f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{date}</pubDate>"
            f"<description>{text}</description></item>")


def _dated_feed(summary: str) -> str:
    """A real item, an item with a day that does not exist and a dateline, and two with bad dates and none."""
    items = [_item("Mon, 13 Jul 2020 10:00:00 GMT", "Tovuz", summary, "https://news.example.az/1"),
             _item("Mon, 45 Jul 2020 10:00:00 GMT", "Tovuz", f"BAKU, July 14, 2020 - {summary}", "https://news.example.az/2"),
             _item("Sun, 30 Feb 2020 10:00:00 GMT", "Tovuz", summary, "https://news.example.az/3"),
             _item("sometime soon", "Tovuz", summary, "https://news.example.az/4")]
    return ("<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title><link>https://news.example.az</link>"
            + "".join(items) + "</channel></rss>")


def test_a_billion_laughs_feed_is_refused_with_its_reason(shared: Path, site: Site, tmp_path: Path) -> None:
    site.put("/laughs.xml", BILLION_LAUGHS)
    site.put("/good.xml", rss("Caucasus wire", "https://news.example.am", caucasus_items(shared)[:2]))
    with Store() as store:
        for path in ("/laughs.xml", "/good.xml"):
            state.add_feed(store, state.Feed(site.url + path, "feed"))
        result = run_update(store, CONFIG, cache_dir=tmp_path / "cache", now=NOW, stages=[("feeds", run_feeds)])
        records = {r.url.rsplit("/", 1)[-1]: r for r in state.fetches(store, result.run_id).itertuples()}
        laughs = records["laughs.xml"]
        assert laughs.outcome == "failed" and laughs.new_articles == 0
        assert "declares 10 XML entities" in laughs.reason and "billion laughs" in laughs.reason
        assert records["good.xml"].outcome == "ok" and records["good.xml"].new_articles == 2  # the run went on
    [skipped] = FeedReader().read(Path("laughs.xml"), BILLION_LAUGHS.encode(), None)  # `geodrift code` too
    assert isinstance(skipped, Skipped) and "billion laughs" in skipped.reason


def test_items_with_impossible_dates_are_dated_by_dateline_or_skipped_and_counted(shared: Path, site: Site,
                                                                                   tmp_path: Path) -> None:
    summary = caucasus_items(shared)[0]["summary"]
    site.put("/wire.xml", _dated_feed(summary))
    with Store() as store:
        state.add_feed(store, state.Feed(site.url + "/wire.xml", "feed"))
        result = run_update(store, CONFIG, cache_dir=tmp_path / "cache", now=NOW, stages=[("feeds", run_feeds)])
        [record] = state.fetches(store, result.run_id).itertuples()
        assert record.outcome == "ok" and record.new_articles == 2
        assert record.reason.startswith("2 entries skipped: its date ")
        assert "'Sun, 30 Feb 2020 10:00:00 GMT' is unreadable or impossible and its text has no dateline" in record.reason
        published = dict(store.con.execute("SELECT DISTINCT url, published FROM evidence").fetchall())
        assert published == {"https://news.example.az/1": dt.date(2020, 7, 13),
                             "https://news.example.az/2": dt.date(2020, 7, 14)}  # none on the run's day, 07-24


def test_a_rolled_over_or_future_date_is_no_date() -> None:
    summary = "Armenian forces shelled Azerbaijani positions in Tovuz, the defence ministry in Baku said."
    later = dt.date.today() + dt.timedelta(days=40)
    feed = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>'
            f'<entry><title>A</title><id>a</id><updated>2020-13-45T00:00:00Z</updated><summary>{summary}</summary></entry>'
            f'<entry><title>B</title><id>b</id><updated>{later}T00:00:00Z</updated><summary>{summary}</summary></entry>'
            f'<entry><title>C</title><id>c</id><updated>2020-07-13T23:30:00-05:00</updated><summary>{summary}</summary>'
            "</entry></feed>")
    items = list(FeedReader().read(Path("w.xml"), feed.encode(), dt.date(2020, 7, 24)))
    assert [type(i).__name__ for i in items] == ["Skipped", "Skipped", "Article"]
    assert "'2020-13-45T00:00:00Z'" in items[0].reason  # feedparser reads it as 2021-01-01
    article = items[2]
    assert isinstance(article, Article) and article.published == dt.date(2020, 7, 14)  # its UTC day, as before
