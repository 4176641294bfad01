"""The feeds stage's network half: which feeds to fetch, and fetching them all before anything is written.

Why apart: a fetch can take up to its deadline (``fetch.deadline``, enforced by the fetcher's watchdog), and a run
that held the store's write lock while it fetched made every other writer (an ingest, the server's API jobs) wait for
the slowest feed. So ``geodrift update`` and ``watch`` read the plan (the feeds and their validators) from the store,
let it go, fetch every feed, and only then open the store for writing (``feeds.run_feeds`` codes and stores what came
back). Nothing here writes the store.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

from geodrift.service import state
from geodrift.service.fetch import Fetcher, FetchFailed, Response
from geodrift.service.settings import ServiceConfig
from geodrift.service.state import Feed
from geodrift.store import Store


@dataclass(frozen=True)
class Planned:
    """A feed to fetch, with the validators of its last complete fetch (for a conditional GET)."""

    feed: Feed
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """What fetching one feed gave: a response, or the failure, with when it began and how long it took."""

    planned: Planned
    started: dt.datetime
    seconds: float
    response: Response | None = None
    failure: FetchFailed | None = None


def plan(store: Store | None, config: ServiceConfig) -> list[Planned]:
    """The feeds a run fetches, in URL order: the table's, less those taken out of geodrift.toml since the last run,
    plus the file's (its entry winning), each with its validators; ``store`` None (no store yet): the file's."""
    if store is None:
        return [Planned(feed) for feed in sorted(config.feeds, key=lambda f: f.url)]
    gone = set(state.taken_out(store, config.feeds))
    feeds = {feed.url: feed for feed in state.list_feeds(store) if feed.url not in gone}
    feeds |= {feed.url: _normal(feed) for feed in config.feeds}
    return [Planned(feed, *state.validators(store, url)) for url, feed in sorted(feeds.items())]


def _normal(feed: Feed) -> Feed:
    """A feed as the table stores it (country upper-cased), so a planned feed equals the one the table lists."""
    return Feed(feed.url, feed.kind, feed.outlet, feed.country.upper() if feed.country else None, feed.language)


def fetch_all(planned: Sequence[Planned], fetcher: Fetcher) -> list[Fetched]:
    """Fetch every planned feed, one after another (the fetcher keeps each host's delay and robots.txt), each bounded
    by the fetch deadline; a failure is kept with its reason, never raised."""
    fetched = []
    for item in planned:
        started, clock = state.now_utc(), time.monotonic()
        try:
            response = fetcher.get(item.feed.url, etag=item.etag, last_modified=item.last_modified)
        except FetchFailed as failure:
            fetched.append(Fetched(item, started, time.monotonic() - clock, failure=failure))
            continue
        fetched.append(Fetched(item, started, time.monotonic() - clock, response=response))
    return fetched
