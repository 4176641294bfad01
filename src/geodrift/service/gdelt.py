"""The GDELT stages: the 2.0 15-minute exports and the 1.0 daily files published since the last run.

GDELT 2.0 announces its newest files in ``gdeltv2/lastupdate.txt`` (three lines: export, mentions, GKG); the full
``masterfilelist.txt`` (hundreds of megabytes) is read only when a run must catch up on more than that. File lists
are fetched conditionally and kept in the cache, so an unchanged list costs a 304. Each export is downloaded with
the size and MD5 the list publishes (sources/http.py: retries, Range resume), ingested in one transaction and
skipped by URL when a run finds it done: a killed run resumes. The cursor (end of the newest file ingested) moves
only after its file is stored; each run looks back ``v2_lookback`` before it, retrying files that failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from geodrift.errors import DownloadError
from geodrift.ingest import ingest_file
from geodrift.service import state
from geodrift.service.context import RunContext
from geodrift.service.fetch import FetchFailed
from geodrift.service.state import FetchRecord
from geodrift.sources.gdelt_remote import RemoteFile, list_files
from geodrift.sources.http import download

V2_STEP = dt.timedelta(minutes=15)


def cached_text(ctx: RunContext, url: str) -> str:
    """A file list, fetched conditionally; a 304 answers from the cached copy.

    Raises:
        FetchFailed: the list cannot be fetched (recorded as a failed fetch too).
    """
    path = ctx.cache_dir / "lists" / hashlib.sha256(url.encode()).hexdigest()[:24]
    etag, modified = state.validators(ctx.store, url) if path.is_file() else (None, None)
    started, clock = state.now_utc(), time.monotonic()
    record = FetchRecord(url, "gdelt-list", started, "failed")
    try:
        response = ctx.fetcher.get(url, etag=etag, last_modified=modified)
    except FetchFailed as failure:
        record.http_status, record.reason, record.seconds = failure.status, failure.reason, time.monotonic() - clock
        state.save_fetch(ctx.store, ctx.run_id, record)
        raise
    record.http_status, record.bytes, record.seconds = response.status, len(response.body), time.monotonic() - clock
    if response.not_modified:
        record.outcome = "not-modified"
        text = path.read_text(encoding="utf-8")
    else:
        record.outcome = "ok"
        text = response.body.decode("utf-8", errors="replace")
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    with state.transaction(ctx.store) as con:
        state.save_validators(con, url, response.etag or etag, response.last_modified or modified)
        state.record_fetch(con, ctx.run_id, record)
    return text


def _v2_files(ctx: RunContext, start: dt.datetime, end: dt.datetime) -> list[RemoteFile]:
    """Exports in [start, end): from lastupdate.txt when its newest export starts at or before ``start`` (nothing
    else is missing), else from the master list."""
    base = ctx.config.gdelt_base_url.rstrip("/")
    if not ctx.config.translingual:
        latest = cached_text(ctx, f"{base}/gdeltv2/lastupdate.txt")
        # lastupdate.txt has the master list's line format: list_files reads it when handed it as that list.
        newest = list_files(2, dt.datetime(1979, 1, 1), dt.datetime(9999, 1, 1), base_url=base, get=lambda url: latest)
        if newest and newest[0].start <= start:
            return [f for f in newest if f.end > start]
    return list_files(2, start, end, base_url=base, translingual=ctx.config.translingual,
                      get=lambda url: cached_text(ctx, url))


def _failed(ctx: RunContext, version: int, start: dt.datetime, end: dt.datetime) -> list[RemoteFile]:
    """Exports that failed in an earlier run, not stored since, published in [start, end): tried again."""
    found = []
    for url, md5, size in state.failed_files(ctx.store, f"gdelt{version}"):
        name = url.rsplit("/", 1)[-1]
        try:
            first = dt.datetime.strptime(name[:14] if version == 2 else name[:8], "%Y%m%d%H%M%S" if version == 2 else "%Y%m%d")
        except ValueError:
            continue
        step = V2_STEP if version == 2 else dt.timedelta(days=1)
        if first + step > start and first < end:
            found.append(RemoteFile(url, name, first, first + step, size, md5 or None))
    return found


def run_gdelt(ctx: RunContext, version: int) -> str:
    """Download and ingest the GDELT ``version`` exports published since the last run (and retry recent failures)."""
    cursor_key = f"gdelt{version}_cursor"
    lookback = dt.timedelta(seconds=ctx.config.gdelt2_lookback if version == 2 else ctx.config.gdelt1_lookback)
    cursor = state.get_state(ctx.store, cursor_key)
    end = ctx.now
    start = min(dt.datetime.fromisoformat(cursor), end) if cursor else end - lookback
    if version == 2:
        files = _v2_files(ctx, start, end)
    else:
        base = ctx.config.gdelt_base_url.rstrip("/")
        files = list_files(1, start, end, base_url=base, get=lambda url: cached_text(ctx, url))
    listed = {f.url for f in files}
    files += [f for f in _failed(ctx, version, end - lookback, end) if f.url not in listed]
    files = sorted((f for f in files if f.end <= end), key=lambda f: f.start)  # a file still being written: later
    done = failed = events = 0
    for remote in files:
        if ctx.store.done_location(remote.url) is not None:
            continue
        record = fetch_export(ctx, remote, version)
        done, failed, events = done + (record.outcome == "ok"), failed + (record.outcome != "ok"), events + record.new_events
        ctx.say(f"{record.outcome:>12} {remote.url}: {record.new_events} new events"
                + (f" ({record.reason})" if record.reason else ""))
    stored = [f.end for f in files if ctx.store.done_location(f.url) is not None]
    if stored and (cursor is None or dt.datetime.fromisoformat(cursor) < max(stored)):
        with state.transaction(ctx.store) as con:
            state.put_state(con, cursor_key, max(stored).isoformat())
    ctx.count("new_events", events)
    return f"{len(files)} gdelt{version} files due: {done} ingested ({events:,} new events), {failed} failed"


def fetch_export(ctx: RunContext, remote: RemoteFile, version: int) -> FetchRecord:
    """Download and ingest one export; a failure is recorded (fetches and ingested_files) and returned."""
    fmt = f"gdelt{version}"
    started, clock = state.now_utc(), time.monotonic()
    record = FetchRecord(remote.url, fmt, started, "failed", bytes=0)
    reason: str | None = None
    if remote.size is not None and remote.size > ctx.config.gdelt_max_bytes:
        reason = f"the list says {remote.size:,} bytes; the cap is {ctx.config.gdelt_max_bytes:,}"
    elif not ctx.fetcher.allowed(remote.url):
        reason = "robots.txt disallows this file"
        record.outcome = "refused"
    if reason is None:
        ctx.fetcher.wait_turn(remote.url)
        policy = ctx.fetcher.policy
        try:
            path = download(remote.url, ctx.cache_dir / fmt / remote.name, size=remote.size, md5=remote.md5,
                            retries=policy.retries, backoff=policy.backoff, timeout=policy.timeout)
        except DownloadError as exc:
            reason = str(exc)
        else:
            record.bytes, record.http_status = path.stat().st_size, 200
            result = ingest_file(ctx.store, path, fmt, location=remote.url)
            path.unlink(missing_ok=True)
            if result.status == "failed":
                reason = result.message
            else:
                record.outcome, record.new_events = "ok", result.accepted
    if reason is not None:
        record.reason = reason
        ctx.store.record_failure(fmt=fmt, location=remote.url, checksum=remote.md5 or "", size=remote.size,
                                 message=reason)
    record.seconds = time.monotonic() - clock
    state.save_fetch(ctx.store, ctx.run_id, record)
    return record
