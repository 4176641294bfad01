"""The feeds stage against a local news site: new items coded once, 304s cost nothing, and every kind of broken
feed is a fetch record with its reason while the run goes on."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.service import state
from geodrift.service.feeds import run_feeds
from geodrift.service.fetch import Fetcher
from geodrift.service.settings import FetchPolicy, ServiceConfig
from geodrift.service.update import run_update
from geodrift.store import Store
from tests.service.news import BROKEN, RUSSIAN, article_page, atom, caucasus_items, rss
from tests.service.site import Site, serve

POLICY = FetchPolicy(timeout=0.5, deadline=5, retries=1, backoff=0.01, max_bytes=2_000_000, host_delay=0.01)
CONFIG = ServiceConfig(fetch=POLICY, gdelt2=False)


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as running:
        running.put("/robots.txt", "User-agent: *\nDisallow: /members/\n", "text/plain")
        yield running


def _feeds(store: Store, site: Site, paths: dict[str, str]) -> None:
    for path, kind in paths.items():
        state.add_feed(store, state.Feed(site.url + path, kind, outlet="azatutyun.am" if "atom" in path else None))


def _run(store: Store, tmp_path: Path, fetcher: Fetcher | None = None) -> dict[str, state.FetchRecord]:
    result = run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)], fetcher=fetcher)
    frame = state.fetches(store, result.run_id)
    return {str(r.url).split("/", 3)[-1]: r for r in frame.itertuples()}  # type: ignore[misc]


def test_new_items_are_coded_once_and_unchanged_feeds_cost_a_304(shared: Path, site: Site, tmp_path: Path) -> None:
    items = caucasus_items(shared)
    first, later = items[:12], items[12:20]
    russian = {"title": "Обстрел в Тавуше", "summary": RUSSIAN, "link": "https://ru.armeniasputnik.am/a/1",
               "outlet": "sputnik", "published": "2020-07-13"}
    site.put("/rss.xml", rss("Caucasus wire", "https://news.example.am", [*first, russian]))
    site.put("/atom.xml", atom("Azatutyun", "https://www.azatutyun.am", first[:4]), "application/atom+xml")  # duplicates
    site.put("/gpf/article.html", article_page(shared, "https://geopoliticalfutures.com/azerbaijans-slow-drift"),
             "text/html; charset=utf-8")
    with Store() as store:
        _feeds(store, site, {"/rss.xml": "feed", "/atom.xml": "feed", "/gpf/article.html": "page"})
        runs = _run(store, tmp_path)
        rss_run, atom_run, page_run = runs["rss.xml"], runs["atom.xml"], runs["gpf/article.html"]
        # Feeds are read in URL order: atom.xml codes its 4 items; rss.xml carries them too and codes only the 8 others.
        assert atom_run.outcome == "ok" and atom_run.new_articles == 4
        assert rss_run.outcome == "ok" and rss_run.new_articles == 8 and rss_run.new_events > 0
        assert "1 entries skipped: language 'ru'" in rss_run.reason
        assert page_run.outcome == "ok" and page_run.new_articles == 1 and page_run.new_events > 0
        events = store.count_events()
        evidence = store.df("SELECT count(*) AS n, count(DISTINCT article_id) AS articles FROM evidence").iloc[0]
        assert events > 10 and evidence.articles == 13
        assert store.df("SELECT count(*) AS n FROM events WHERE source_url LIKE 'http%'").n[0] == events

        again = _run(store, tmp_path)
        assert {r.outcome for r in again.values()} == {"not-modified"} and store.count_events() == events
        assert site.hits("/rss.xml")[-1]["If-None-Match"]

        site.put("/rss.xml", rss("Caucasus wire", "https://news.example.am", [*first, russian, *later]))
        third = _run(store, tmp_path)
        assert third["rss.xml"].outcome == "ok" and third["rss.xml"].new_articles == 8
        assert third["atom.xml"].outcome == "not-modified"
        assert store.count_events() > events
        health = state.feeds_health(store).set_index("url")
        assert health.loc[site.url + "/rss.xml", "articles"] == 16 and health.loc[site.url + "/atom.xml", "articles"] == 4


def test_broken_feeds_are_recorded_with_their_reason_and_the_run_goes_on(shared: Path, site: Site, tmp_path: Path) -> None:
    site.put("/good.xml", rss("Caucasus wire", "https://news.example.am", caucasus_items(shared)[:3]))
    site.put("/html.xml", "<!DOCTYPE html><html><body><h1>Subscribe to our newsletter</h1></body></html>", "text/html")
    site.put("/broken.xml", BROKEN)
    site.faults["/down.xml"] = ["500"] * 10
    site.redirects.update({"/loop.xml": "/loop2.xml", "/loop2.xml": "/loop.xml"})
    site.slow["/slow.xml"] = 2.0
    site.put("/slow.xml", rss("Slow", "https://slow.example", []))
    site.endless["/huge.xml"] = True
    site.endless["/stream.xml"] = False
    site.put("/members/feed.xml", rss("Paywalled", "https://members.example", caucasus_items(shared)[3:5]))
    paths = ["/down.xml", "/html.xml", "/broken.xml", "/loop.xml", "/slow.xml", "/huge.xml", "/stream.xml",
             "/members/feed.xml", "/good.xml"]
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        time.sleep(seconds)

    with Store() as store:
        _feeds(store, site, dict.fromkeys(paths, "feed"))
        runs = _run(store, tmp_path, Fetcher(POLICY, sleep=pause))
        reasons = {path: (r.outcome, r.reason) for path, r in runs.items()}
        assert reasons["down.xml"] == ("failed", "HTTP 500 Internal Server Error after 2 attempts")
        assert reasons["html.xml"] == ("failed", "expected an RSS/Atom feed, got an HTML page (text/html)")
        assert reasons["broken.xml"][0] == "failed" and "not a readable RSS/Atom feed" in reasons["broken.xml"][1]
        assert reasons["loop.xml"] == ("failed", "redirect loop: /loop.xml → /loop2.xml → /loop.xml")
        assert reasons["slow.xml"] == ("failed", "timed out after 2 attempts")
        assert reasons["huge.xml"] == ("failed", "body is 52,428,800 bytes; the cap is 2,000,000")
        assert reasons["stream.xml"][0] == "failed" and "exceeds the cap" in reasons["stream.xml"][1]
        assert runs["stream.xml"].bytes > 2_000_000
        assert reasons["members/feed.xml"][0] == "refused" and "robots.txt" in reasons["members/feed.xml"][1]
        assert reasons["good.xml"][0] == "ok" and runs["good.xml"].new_articles == 3
        assert runs["down.xml"].http_status == 500
        # The run did not wait on a broken feed: one retry each (the policy's), after the policy's short pause, and
        # no wait anywhere longer than the backoff or the host delay (a clock check here failed under load).
        assert len(site.hits("/down.xml")) == len(site.hits("/slow.xml")) == POLICY.retries + 1
        assert pauses and max(pauses) <= max(POLICY.backoff * 2**POLICY.retries, POLICY.host_delay)
        assert not site.hits("/members/feed.xml")
        health = state.feeds_health(store).set_index("url")
        assert health.loc[site.url + "/down.xml", "failures_in_a_row"] == 1


def test_an_article_quoting_russian_is_coded_in_part_not_skipped(shared: Path, site: Site, tmp_path: Path) -> None:
    """The English report with a Russian quote was coded from its English sentences, yet the run said "1 entries
    skipped" as if it had been dropped."""
    items = caucasus_items(shared)[:3]
    quoting = dict(items[0], summary=items[0]["summary"] + " " + RUSSIAN, link=items[0]["link"] + "-quote")
    site.put("/rss.xml", rss("Caucasus wire", "https://news.example.am", [*items, quoting]))
    with Store() as store:
        _feeds(store, site, {"/rss.xml": "feed"})
        result = run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)])
        record = next(state.fetches(store, result.run_id).itertuples())
        assert record.outcome == "ok" and record.new_articles == 4
        assert re.fullmatch(r"1 coded in part: 2 of \d+ sentences not coded, in 'ru'", record.reason), record.reason
        assert "skipped" not in record.reason
        assert "4 new articles (1 coded in part)" in result.stages["feeds"]
        site.put("/rss.xml", rss("Caucasus wire", "https://news.example.am", [*items, quoting, caucasus_items(shared)[5]]))
        again = run_update(store, CONFIG, cache_dir=tmp_path / "cache", stages=[("feeds", run_feeds)])
        assert "1 new articles," in again.stages["feeds"] and "in part" not in again.stages["feeds"]


def test_a_page_naming_no_site_is_cited_by_its_host(site: Site, tmp_path: Path) -> None:
    """A page with neither a site name nor a canonical URL (the reader's local a3.html) had no outlet in its
    evidence, so the briefing's source line named none (reader M7); it now carries the page's host."""
    site.put("/a3.html", "<html><head><title>Erdogan visits Baku</title><meta property=\"article:published_time\" "
             "content=\"2026-11-30T08:00:00Z\"></head><body><article><h1>Erdogan visits Baku</h1><p>Turkish President "
             "Recep Tayyip Erdogan met Azerbaijani President Ilham Aliyev in Baku on Sunday and signed an agreement "
             "on energy cooperation.</p></article></body></html>", "text/html; charset=utf-8")
    with Store() as store:
        _feeds(store, site, {"/a3.html": "page"})
        assert _run(store, tmp_path)["a3.html"].new_events > 0
        outlets = set(store.df("SELECT DISTINCT outlet FROM evidence").outlet)
    assert outlets == {"127.0.0.1"}, outlets
