"""The polite fetcher against a local site: conditional requests, robots.txt, host delays, retries with backoff,
timeouts, redirect loops and the size cap, each failure a one-line reason."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.service.fetch import Fetcher, FetchFailed
from geodrift.service.settings import FetchPolicy
from tests.service.site import Site, serve

FAST = FetchPolicy(timeout=2, deadline=10, retries=2, backoff=0.01, max_bytes=1_000_000, host_delay=0)


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as running:
        running.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        running.put("/feed.xml", "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>")
        yield running


def test_conditional_requests_get_304_and_send_both_validators(site: Site) -> None:
    fetcher = Fetcher(FAST)
    first = fetcher.get(site.url + "/feed.xml")
    assert first.status == 200 and first.etag and first.last_modified and b"<rss" in first.body
    again = fetcher.get(site.url + "/feed.xml", etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    assert site.hits("/feed.xml")[-1]["If-None-Match"] == first.etag
    assert site.hits("/feed.xml")[-1]["If-Modified-Since"] == first.last_modified
    by_date = fetcher.get(site.url + "/feed.xml", last_modified=first.last_modified)
    assert by_date.not_modified
    site.put("/feed.xml", "<rss version='2.0'><channel><title>changed</title></channel></rss>")
    changed = fetcher.get(site.url + "/feed.xml", etag=first.etag)
    assert changed.status == 200 and b"changed" in changed.body


def test_robots_txt_is_obeyed_and_fetched_once_per_host(site: Site) -> None:
    fetcher = Fetcher(FAST)
    site.put("/private/feed.xml", "<rss/>")
    with pytest.raises(FetchFailed, match=r"robots.txt of 127.0.0.1:\d+ disallows /private/feed.xml"):
        fetcher.get(site.url + "/private/feed.xml")
    assert not site.hits("/private/feed.xml")
    fetcher.get(site.url + "/feed.xml")
    assert len(site.hits("/robots.txt")) == 1
    assert Fetcher(FetchPolicy(robots=False, host_delay=0)).get(site.url + "/private/feed.xml").status == 200


def test_a_missing_robots_txt_allows_and_a_failing_one_forbids(site: Site) -> None:
    del site.pages["/robots.txt"]
    assert Fetcher(FAST).get(site.url + "/feed.xml").status == 200
    site.faults["/robots.txt"] = ["500"] * 3
    with pytest.raises(FetchFailed, match=r"robots\.txt"):
        Fetcher(FAST).get(site.url + "/feed.xml")


def test_requests_to_one_host_are_spaced_by_the_delay_or_crawl_delay(site: Site) -> None:
    sleeps: list[float] = []
    now = [100.0]
    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    fetcher = Fetcher(FetchPolicy(host_delay=2.0, backoff=0.01), sleep=sleep, clock=lambda: now[0])
    fetcher.get(site.url + "/feed.xml")
    fetcher.get(site.url + "/feed.xml")
    assert sleeps == [2.0, 2.0], "robots.txt, then the feed, then the feed again: 2 s apart"
    site.put("/robots.txt", "User-agent: *\nCrawl-delay: 5\n", "text/plain")
    sleeps.clear()
    slow = Fetcher(FetchPolicy(host_delay=1.0), sleep=sleeps.append, clock=lambda: now[0])
    slow.get(site.url + "/feed.xml")
    slow.get(site.url + "/feed.xml")
    assert sleeps[-1] == 5.0


def test_a_crawl_delay_past_the_deadline_skips_the_feed_instead_of_sleeping(site: Site) -> None:
    """Attack review 8 F2: "Crawl-delay: 86400" made the run sleep a day (holding the service lock) before the feed's
    first request, outside the fetch's deadline; now the feed fails at once, saying why, and nothing sleeps."""
    site.put("/robots.txt", "User-agent: *\nCrawl-delay: 86400\n", "text/plain")
    sleeps: list[float] = []
    now = [100.0]
    fetcher = Fetcher(FetchPolicy(host_delay=1.0), sleep=sleeps.append, clock=lambda: now[0])
    with pytest.raises(FetchFailed, match=r"86400 s between requests .* 120 s deadline"):
        fetcher.get(site.url + "/feed.xml")
    assert sleeps == []
    site.put("/robots.txt", "User-agent: *\nCrawl-delay: 30\n", "text/plain")
    patient = Fetcher(FetchPolicy(host_delay=1.0), sleep=sleeps.append, clock=lambda: now[0])
    assert patient.get(site.url + "/feed.xml").status == 200
    assert sleeps == [30.0], "a delay within the deadline is still obeyed"


def test_transient_errors_are_retried_with_backoff_and_others_are_not(site: Site) -> None:
    sleeps: list[float] = []
    fetcher = Fetcher(FetchPolicy(retries=3, backoff=0.5, host_delay=0), sleep=sleeps.append)
    site.faults["/feed.xml"] = ["503", "502"]
    assert fetcher.get(site.url + "/feed.xml").status == 200
    assert sleeps == [0.5, 1.0]
    site.faults["/feed.xml"] = ["404"]
    with pytest.raises(FetchFailed, match="HTTP 404") as failure:
        fetcher.get(site.url + "/feed.xml")
    assert failure.value.status == 404 and len(site.hits("/feed.xml")) == 4
    site.faults["/feed.xml"] = ["500"] * 5
    with pytest.raises(FetchFailed, match=r"HTTP 500 .* after 4 attempts"):
        fetcher.get(site.url + "/feed.xml")


def test_a_slow_server_times_out(site: Site) -> None:
    site.slow["/feed.xml"] = 1.5
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="timed out after 2 attempts"):
        Fetcher(FetchPolicy(timeout=0.3, retries=1, backoff=0.01, host_delay=0)).get(site.url + "/feed.xml")
    assert time.monotonic() - started < 3


def test_redirects_are_followed_and_loops_named(site: Site) -> None:
    site.redirects["/old.xml"] = "/feed.xml"
    assert Fetcher(FAST).get(site.url + "/old.xml").url.endswith("/feed.xml")
    site.redirects.update({"/a": "/b", "/b": "/c", "/c": "/a"})
    with pytest.raises(FetchFailed, match="redirect loop: /a → /b → /c → /a"):
        Fetcher(FAST).get(site.url + "/a")
    site.redirects.update({f"/r{i}": f"/r{i + 1}" for i in range(10)})
    with pytest.raises(FetchFailed, match="more than 5 redirects"):
        Fetcher(FAST).get(site.url + "/r0")
    site.redirects["/private-hop"] = "/private/x"
    with pytest.raises(FetchFailed, match=r"robots\.txt"):
        Fetcher(FAST).get(site.url + "/private-hop")


def test_a_50_mb_body_is_refused_or_cut_at_the_cap(site: Site) -> None:
    site.endless["/big.xml"] = True
    with pytest.raises(FetchFailed, match="body is 52,428,800 bytes; the cap is 1,000,000") as refused:
        Fetcher(FAST).get(site.url + "/big.xml")
    assert refused.value.size == 0
    site.endless["/stream.xml"] = False
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="exceeds the cap of 1,000,000 bytes") as cut:
        Fetcher(FAST).get(site.url + "/stream.xml")
    assert 1_000_000 < cut.value.size < 1_100_000 and time.monotonic() - started < 5


@pytest.mark.parametrize("phase", ["body", "head"])
def test_a_server_trickling_its_answer_is_cut_off_at_the_deadline(site: Site, phase: str) -> None:
    """A byte every 0.2 s never trips the 2 s read timeout; the 1.5 s deadline cuts the request off all the same,
    whether the server trickles its body or its status line and headers (attack review 6, F3: 116 s and counting)."""
    site.trickle["/slow.xml"] = phase
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"the 1\.5 s deadline passed while receiving "
                       + ("the body" if phase == "body" else "the status line and headers")):
        Fetcher(FetchPolicy(timeout=2, deadline=1.5, retries=2, backoff=0.01, host_delay=0)).get(site.url + "/slow.xml")
    assert time.monotonic() - started < 2.5
