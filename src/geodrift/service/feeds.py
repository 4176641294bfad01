"""The feeds stage: fetch every feed and page of the ``feeds`` table, code the articles not coded before, store them.

Per feed, in order: a conditional GET (304: nothing to do), a check that a feed is a feed (an HTML page or junk
served at a feed URL is recorded as failed), reading entries (feedparser) or the page's main text (trafilatura),
dropping articles already coded (``seen_articles``), coding and storing the rest, and then, in one transaction,
the seen articles, the response's validators and the fetch record. A run killed before that commit fetches the
feed again without validators and codes the same articles into the same events (ids are content hashes), so
nothing is lost or doubled.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from geodrift.coding.articles import LANGUAGES, Article, Skipped, article_id, outlet_of, readers
from geodrift.ingest import store_coded
from geodrift.ingest_text import code_articles
from geodrift.service import state
from geodrift.service.context import RunContext
from geodrift.service.fetch import FetchFailed, Response
from geodrift.service.state import Feed, FetchRecord

UNREADABLE = "nothing to read"


def sync_config_feeds(ctx: RunContext) -> None:
    """Feeds listed in geodrift.toml join the table (an entry there wins over an earlier ``feeds add``)."""
    for entry in ctx.config.feeds:
        state.add_feed(ctx.store, entry)


def run_feeds(ctx: RunContext) -> str:
    """Fetch, read, code and store every feed; one feed's failure is its record, never the run's end."""
    sync_config_feeds(ctx)
    feeds = state.list_feeds(ctx.store)
    totals = {"ok": 0, "not-modified": 0, "failed": 0, "refused": 0}
    articles = events = in_part = 0
    for feed in feeds:
        record = fetch_feed(ctx, feed)
        totals[record.outcome] = totals.get(record.outcome, 0) + 1
        articles += record.new_articles
        events += record.new_events
        in_part += record.coded_in_part
        ctx.say(f"{record.outcome:>12} {feed.url}: {record.new_articles} new articles"
                + (f" ({record.coded_in_part} coded in part)" if record.coded_in_part else "")
                + f", {record.new_events} new events" + (f" ({record.reason})" if record.reason else ""))
    ctx.count("new_articles", articles)
    ctx.count("new_events", events)
    return (f"{len(feeds)} feeds: {totals['ok']} fetched, {totals['not-modified']} not modified, "
            f"{totals['failed'] + totals['refused']} failed; {articles} new articles"
            + (f" ({in_part} coded in part)" if in_part else "") + f", {events} new events")


def fetch_feed(ctx: RunContext, feed: Feed) -> FetchRecord:
    """One feed or page, start to finish; returns its (committed) fetch record."""
    started, clock = state.now_utc(), time.monotonic()
    record = FetchRecord(feed.url, feed.kind, started, "failed")
    etag, modified = state.validators(ctx.store, feed.url)
    try:
        response = ctx.fetcher.get(feed.url, etag=etag, last_modified=modified)
    except FetchFailed as failure:
        record.outcome = "refused" if failure.reason.startswith("robots.txt") else "failed"
        record.http_status, record.bytes, record.reason = failure.status, failure.size, failure.reason
        record.seconds = time.monotonic() - clock
        state.save_fetch(ctx.store, ctx.run_id, record)
        return record
    record.http_status, record.bytes = response.status, len(response.body)
    seen: list[tuple[str, str, str | None, str]] = []
    if response.not_modified:
        record.outcome = "not-modified"
    else:
        problem = _not_a_feed(feed, response)
        if problem:
            record.reason = problem
        else:
            seen, record.new_articles, record.new_events, record.reason, record.coded_in_part = _code(ctx, feed, response)
            record.outcome = "failed" if record.reason and record.reason.startswith(UNREADABLE) else "ok"
    record.seconds = time.monotonic() - clock
    with state.transaction(ctx.store) as con:
        state.mark_seen(con, seen)
        if record.outcome in ("ok", "not-modified"):
            state.save_validators(con, feed.url, response.etag or etag, response.last_modified or modified)
        state.record_fetch(con, ctx.run_id, record)
    return record


def _not_a_feed(feed: Feed, response: Response) -> str | None:
    """Why a response cannot be what the feed says it is (None when it can)."""
    head = response.body[:2048].lstrip().lower()
    kind = response.content_type.split(";")[0].strip().lower()
    if not head:
        return "empty body"
    if feed.kind == "page":
        return None if b"<" in head else f"not an HTML page ({kind or 'no content type'})"
    if head.startswith((b"<!doctype html", b"<html")) or kind == "text/html":
        return f"expected an RSS/Atom feed, got an HTML page ({kind or 'no content type'})"
    if not (head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) or "xml" in kind):
        return f"expected an RSS/Atom feed, got {kind or 'an unknown type'} starting {response.body[:20]!r}"
    return None


def _code(ctx: RunContext, feed: Feed, response: Response) -> tuple[list[tuple[str, str, str | None, str]], int, int,
                                                                      str | None, int]:
    """Read, drop what was coded before, code and store; (seen rows, new articles, new events, skip reasons, new
    articles coded in part). An article whose sentences in another script were set apart (a quote in Russian) is
    coded, not skipped: it counts as coded in part, and only when it is new."""
    if feed.language and feed.language.split("-")[0].lower() not in LANGUAGES:
        return [], 0, 0, f"feed language {feed.language!r} is not coded (supported: {', '.join(LANGUAGES)})", 0
    origin = Path(feed.url.split("://", 1)[-1])
    reader = readers()["html" if feed.kind == "page" else "feed"]()
    items = list(reader.read(origin, response.body, ctx.today))
    skipped = [i for i in items if isinstance(i, Skipped) and not i.partial]
    if feed.kind == "feed" and len(skipped) == len(items) and (problem := _unreadable(response.body)):
        return [], 0, 0, f"{UNREADABLE}: {problem}", 0
    # A partial skip follows the article it is part of (coding.articles.finish).
    parts = {id(items[n - 1]): item for n, item in enumerate(items) if isinstance(item, Skipped) and item.partial}
    prepared = {id(i): _prepared(feed, i) for i in items if isinstance(i, Article)}
    articles = list(prepared.values())
    keys = {state.seen_key(a.id, a.text): a for a in articles}
    fresh_keys = state.unseen(ctx.store, list(keys))
    fresh = [a for k, a in keys.items() if k in fresh_keys]
    seen = [(k, a.id, a.url, feed.url) for k, a in keys.items() if k in fresh_keys]
    new_events = 0
    if fresh:
        coded = code_articles(fresh, ctx.coder)
        if coded.events:
            before = ctx.store.count_events()
            stored, _ = store_coded(ctx.store, coded.events, coded.evidence, f"feed:{feed.url}")
            if stored.status == "skipped":  # a killed run may have stored the events but not yet their reports
                ctx.store.record_evidence(coded.evidence)
            new_events = ctx.store.count_events() - before
    fresh_ids = {id(a) for a in fresh}
    in_part = [part for key, part in parts.items() if key in prepared and id(prepared[key]) in fresh_ids]
    reasons = sorted({s.reason for s in skipped})
    notes = [f"{len(skipped)} entries skipped: {'; '.join(reasons)[:300]}"] if skipped else []
    if in_part:
        languages = sorted({part.language or "unknown" for part in in_part})
        notes.append(f"{len(in_part)} coded in part: {sum(p.sentences for p in in_part)} of "
                     f"{sum(p.of for p in in_part)} sentences not coded, in {', '.join(map(repr, languages))}")
    return seen, len(fresh), new_events, "; ".join(notes) or None, len(in_part)


def _unreadable(body: bytes) -> str | None:
    """Why a feed that gave no article is broken (malformed XML), or None when it is merely empty or foreign."""
    import feedparser

    parsed = feedparser.parse(body)
    if parsed.bozo and not any(e.get("title") or e.get("summary") for e in parsed.entries):
        return f"not a readable RSS/Atom feed ({parsed.bozo_exception})"
    return None


def _prepared(feed: Feed, article: Article) -> Article:
    """The feed's outlet over the one the reader guessed; a page keeps its own URL (its id is that URL's hash)."""
    changes: dict[str, Any] = {}
    if feed.outlet:
        changes["outlet"] = feed.outlet
    if feed.kind == "page":
        changes.update(url=article.url or feed.url, id=article_id(article.url or feed.url, article.text))
        if not feed.outlet and not article.outlet:  # a page naming neither its site nor its URL: the page's host
            changes["outlet"] = outlet_of(feed.url)
    return dataclasses.replace(article, **changes) if changes else article
