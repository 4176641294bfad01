"""The feeds stage: fetch every feed and page of the ``feeds`` table, code the articles new or changed, store them.

Per feed, in order: a conditional GET (304: nothing to do), a check that a feed is a feed (an HTML page or junk
served at a feed URL is recorded as failed), reading entries (feedparser) or the page's main text (trafilatura),
dropping the items whose text is their document's last coding (unchanged), coding the rest and storing each in place
of its item's earlier coding (ingest_text.store_text: an item is a document known by its guid, else its link, with an
article id no other document has, so a story the publisher edited is re-coded, its old events replaced, not added
beside them, and an item sharing its link or guid with another never takes the other's events), and then, in one
transaction, the seen articles, the response's validators and the fetch record. A run killed before that commit
fetches the feed again without validators and finds the stored items unchanged, so nothing is lost or doubled.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

from geodrift.coding.articles import LANGUAGES, Article, Skipped, article_id, outlet_of
from geodrift.coding.documents import Document
from geodrift.coding.readers import FeedReader, HtmlReader, declared_entities
from geodrift.ingest_text import code_articles, document_of, store_text
from geodrift.service import state
from geodrift.service.context import RunContext
from geodrift.service.feed_fetch import Fetched, fetch_all, plan
from geodrift.service.fetch import Response
from geodrift.service.state import Feed, FetchRecord
from geodrift.store import Store

UNREADABLE = "nothing to read"


def run_feeds(ctx: RunContext) -> str:
    """Code and store what every feed gave, one feed's failure its record, never the run's end.

    The feeds were fetched before the run took the store's write lock (``ctx.fetched``: feed_fetch); a run given
    none (a caller holding the store already) fetches them all first, then writes. geodrift.toml's feeds are synced
    into the table here, and those taken out of it since the last run are no longer followed (their events stay)."""
    fetched = ctx.fetched if ctx.fetched is not None else fetch_all(plan(ctx.store, ctx.config), ctx.fetcher)
    gone = state.sync_config(ctx.store, ctx.config.feeds)
    totals = {"ok": 0, "not-modified": 0, "failed": 0, "refused": 0}
    done = FetchRecord("", "", state.now_utc(), "")  # the run's sums
    for item in fetched:
        feed = item.planned.feed
        record = store_feed(ctx, item)
        totals[record.outcome] = totals.get(record.outcome, 0) + 1
        for name in ("new_articles", "recoded", "unchanged", "new_events", "replaced_events", "coded_in_part"):
            setattr(done, name, getattr(done, name) + getattr(record, name))
        ctx.say(f"{record.outcome:>12} {feed.url}: {_articles(record)}" + (f" ({record.reason})" if record.reason else ""))
    ctx.count("new_articles", done.new_articles)
    ctx.count("recoded_articles", done.recoded)
    ctx.count("new_events", done.new_events)
    ctx.count("replaced_events", done.replaced_events)
    removed = (f"; {len(gone)} taken out of geodrift.toml, no longer fetched (their events stay): {', '.join(gone)}"
               if gone else "")
    return (f"{len(fetched)} feeds: {totals['ok']} fetched, {totals['not-modified']} not modified, "
            f"{totals['failed'] + totals['refused']} failed; {_articles(done)}{removed}")


def _articles(record: FetchRecord) -> str:
    """"N new articles, M re-coded, K unchanged, E new events" (and the earlier events re-coding deleted)."""
    return (f"{record.new_articles} new articles" + (f" ({record.coded_in_part} coded in part)" if record.coded_in_part
                                                     else "")
            + f", {record.recoded} re-coded, {record.unchanged} unchanged; {record.new_events} new events"
            + (f", {record.replaced_events} replaced" if record.replaced_events else ""))


def store_feed(ctx: RunContext, fetched: Fetched) -> FetchRecord:
    """One fetched feed or page: read, code and store it; returns its (committed) fetch record."""
    feed, clock = fetched.planned.feed, time.monotonic()
    record = FetchRecord(feed.url, feed.kind, fetched.started, "failed", fetched.seconds)
    response, failure = fetched.response, fetched.failure
    if response is None:
        assert failure is not None
        record.outcome = "refused" if failure.reason.startswith("robots.txt") else "failed"
        record.http_status, record.bytes, record.reason = failure.status, failure.size, failure.reason
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
            seen, coded, record.reason = _code(ctx, feed, response)
            record.new_articles, record.new_events, record.coded_in_part = coded.new, coded.new_events, coded.in_part
            record.recoded, record.unchanged, record.replaced_events = coded.recoded, coded.unchanged, coded.replaced_events
            record.outcome = "failed" if record.reason and record.reason.startswith(UNREADABLE) else "ok"
    record.seconds = fetched.seconds + time.monotonic() - clock
    etag, modified = fetched.planned.etag, fetched.planned.last_modified
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


def _code(ctx: RunContext, feed: Feed, response: Response) -> tuple[list[tuple[str, str, str | None, str]], Coded,
                                                                      str | None]:
    """Read, drop what was coded before, code and store the rest in place of their earlier coding; (seen rows, what
    was coded, skip reasons). An article whose sentences in another script were set apart (a quote in Russian) is
    coded, not skipped: it counts as coded in part, and only when it is coded (new or edited)."""
    if feed.language and feed.language.split("-")[0].lower() not in LANGUAGES:
        return [], Coded(), f"feed language {feed.language!r} is not coded (supported: {', '.join(LANGUAGES)})"
    origin = Path(feed.url.split("://", 1)[-1])
    parsed = None
    if feed.kind == "page":
        items = list(HtmlReader().read(origin, response.body, ctx.today))
    else:
        import feedparser

        if refused := declared_entities(response.body):
            return [], Coded(), f"{UNREADABLE}: {refused}"
        parsed = feedparser.parse(response.body)  # once: its entries are read, its bozo flag says why none was
        items = list(FeedReader().entries(origin, parsed, ctx.today))
    skipped = [i for i in items if isinstance(i, Skipped) and not i.partial]
    if parsed is not None and len(skipped) == len(items) and (problem := _unreadable(parsed)):
        return [], Coded(), f"{UNREADABLE}: {problem}"
    # A partial skip follows the article it is part of (coding.articles.finish).
    parts = {id(items[n - 1]): item for n, item in enumerate(items) if isinstance(item, Skipped) and item.partial}
    keyed, doubled = _identify(ctx.store, feed, [_prepared(feed, i) for i in items if isinstance(i, Article)])
    articles = [i for i in items if isinstance(i, Article)]
    prepared = {id(item): article for item, (_, article) in zip(articles, keyed, strict=True)}
    fresh = _changed(ctx.store, keyed)
    # Every item read is recorded as seen (an unchanged one too: a run killed before its seen rows committed left
    # them out, and the store holds its coding).
    seen = [(state.seen_key(a.id, a.text), a.id, a.url, feed.url) for _, a in keyed]
    result = _store(ctx, feed, fresh) if fresh else Coded()
    result.unchanged += len(keyed) - len(fresh)
    fresh_ids = {id(a) for _, a in fresh}
    in_part = [part for key, part in parts.items() if key in prepared and id(prepared[key]) in fresh_ids]
    result.in_part = len(in_part)
    reasons = sorted({s.reason for s in skipped})
    notes = [f"{len(skipped)} entries skipped: {'; '.join(reasons)[:300]}"] if skipped else []
    if doubled:
        notes.append(f"{doubled} {'item reuses' if doubled == 1 else 'items reuse'} an earlier item's guid: "
                     "each kept as a document of its own")
    if result.in_part:
        languages = sorted({part.language or "unknown" for part in in_part})
        notes.append(f"{len(in_part)} coded in part: {sum(p.sentences for p in in_part)} of "
                     f"{sum(p.of for p in in_part)} sentences not coded, in {', '.join(map(repr, languages))}")
    return seen, result, "; ".join(notes) or None


@dataclasses.dataclass
class Coded:
    """What coding a feed's unseen articles did: articles new to the store, re-coded (their earlier coding replaced)
    and unchanged (coded before into what the store holds), new events, earlier events deleted, new articles coded
    in part."""

    new: int = 0
    recoded: int = 0
    unchanged: int = 0
    new_events: int = 0
    replaced_events: int = 0
    in_part: int = 0


def _store(ctx: RunContext, feed: Feed, fresh: list[tuple[str, Article]]) -> Coded:
    """Code ``fresh`` and store it in place of any earlier coding of its items (ingest_text.store_text), each item the
    document its key names (``_identify``)."""
    coded = code_articles([article for _, article in fresh], ctx.coder)
    coded.documents = [dataclasses.replace(document_of(article), key=key) for key, article in fresh]
    store_text(ctx.store, coded, f"feed:{feed.url}")
    stored = coded.stored
    if stored is None:  # coded into nothing, and never stored before
        return Coded(new=len(fresh))
    if stored.status == "skipped":  # coded into what the store holds (a run killed before its seen rows committed)
        return Coded(unchanged=len(fresh))
    recoded = len(set(coded.replaced_documents) & {key for key, _ in fresh})
    return Coded(len(fresh) - recoded, recoded, 0, stored.accepted, coded.replaced)


def _identify(store: Store, feed: Feed, articles: list[Article]) -> tuple[list[tuple[str, Article]], int]:
    """Each item as (its document key, itself under its article id), and how many reuse an earlier item's guid.

    The key is the item's guid (``Article.guid``, read in the reader's one parse of the feed; scoped to its feed
    unless it is a web address: ``item_key``), else its link (a page: its URL), else the feed and its text; a guid
    an earlier item of the fetch carries gets its position among them (``guid #2``), so neither item's coding
    replaces the other's. The article id is the one recorded for the key; for an item never recorded, the reader's
    (its link's hash, else its text's) unless another document records it or takes it in this fetch (a live blog:
    one link, a guid an update), then its key's hash: two documents never share an article id, so re-coding one
    never deletes the other's events."""
    keys: list[str] = []
    for article in articles:
        key = item_key(feed.url, article.guid) if article.guid else article.url or f"{feed.url}#{article.id}"
        if key in keys:
            key = f"{key} #{sum(1 for k in keys if k == key or k.startswith(key + ' #')) + 1}"
        keys.append(key)
    doubled = sum(1 for k in keys if _DOUBLED.search(k))
    recorded = _lookup(store, "SELECT document, article_id FROM coded_documents WHERE document IN ({})", keys)
    ids = [a.id for a in articles]
    owners = set(store.con.execute("SELECT article_id, document FROM coded_documents WHERE article_id IN "
                                   f"({', '.join('?' * len(ids))})", ids).fetchall()) if ids else set()
    taken: set[str] = set()
    out: list[tuple[str, Article]] = []
    for key, article in zip(keys, articles, strict=True):
        free = article.id not in taken and not any(i == article.id and d != key for i, d in owners)
        chosen = article.id if free else recorded.get(key) or article_id(key, "")
        taken.add(chosen)
        out.append((key, article if chosen == article.id else dataclasses.replace(article, id=chosen)))
    return out, doubled


_DOUBLED = re.compile(r" #\d+$")


def item_key(feed_url: str, guid: str) -> str:
    """The document a feed item's guid names: the guid itself when it is a web address, else the guid scoped to its
    feed (``https://a.example/rss#guid:1001``).

    RSS 2.0 promises a guid unique within its channel only; ``isPermaLink="false"`` guids are mostly CMS post ids
    ("1001", "wire-3") that another outlet's feed carries too, and Atom ids, though meant to be global, are often
    the same kind of local number in practice. Keyed bare, feed B's item "1001" re-coded feed A's (deleting A's
    events). A guid that is an http(s) address names one page on the web, as a link does (and links are keys
    across feeds already), so an outlet's story served in two of its section feeds stays one document."""
    return guid if guid.startswith(("http://", "https://")) else f"{feed_url}#guid:{guid}"


def _lookup(store: Store, sql: str, values: list[str]) -> dict[str, str]:
    """Two columns of ``sql`` (its ``IN ({})`` filled with ``values``) as a mapping."""
    if not values:
        return {}
    rows = store.con.execute(sql.format(", ".join("?" * len(values))), values).fetchall()
    return {str(a): str(b) for a, b in rows}


def _changed(store: Store, keyed: list[tuple[str, Article]]) -> list[tuple[str, Article]]:
    """The items to code: those whose text differs from their document's last coding (``coded_documents``: so an
    edit reverted is coded again), and of the never recorded, those whose text was never seen (``seen_articles``:
    coded by a service before migration 13, or coded into nothing)."""
    hashes = _lookup(store, "SELECT document, content_hash FROM coded_documents WHERE document IN ({})",
                     [key for key, _ in keyed])
    unrecorded = [state.seen_key(a.id, a.text) for key, a in keyed if key not in hashes]
    unseen = state.unseen(store, unrecorded)
    return [(key, a) for key, a in keyed
            if (hashes[key] != Document.of(key, a.id, a.text).content_hash if key in hashes
                else state.seen_key(a.id, a.text) in unseen)]


def _unreadable(parsed: Any) -> str | None:
    """Why a feed that gave no article is broken (malformed XML), or None when it is merely empty or foreign."""
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
