"""One run of the service, stage by stage; ``STAGES`` is the whole pipeline.

Each stage is idempotent (it skips what an earlier run stored, by URL, checksum, content-keyed ids or alert keys)
and commits its work in small transactions, so a run killed anywhere, started again, ends with the store an
uninterrupted run writes. A stage that fails is recorded with its reason and the run goes on with the next.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geodrift.clustering import update_clusters
from geodrift.errors import GeodriftError
from geodrift.lake_store import LakeStore
from geodrift.service import state
from geodrift.service.alerts import run_alerts
from geodrift.service.briefs import run_briefings
from geodrift.service.context import RunContext
from geodrift.service.feed_fetch import Fetched
from geodrift.service.feeds import run_feeds
from geodrift.service.fetch import Fetcher
from geodrift.service.forecasts import run_forecasts
from geodrift.service.gdelt import run_gdelt
from geodrift.service.settings import ServiceConfig
from geodrift.service.status import store_bytes, write_status
from geodrift.store import Store

Stage = Callable[[RunContext], str]


def _gdelt2(ctx: RunContext) -> str:
    return run_gdelt(ctx, 2) if ctx.config.gdelt2 else "off (gdelt.v2 = false)"


def _gdelt1(ctx: RunContext) -> str:
    return run_gdelt(ctx, 1) if ctx.config.gdelt1 else "off (gdelt.v1 = false)"


def _clusters(ctx: RunContext) -> str:
    """Ingest already clusters what it stores; this stage catches up a store whose clustering was interrupted, and
    says both, so a run whose feeds clustered every new report does not read as "0 reports clustered"."""
    caught_up = update_clusters(ctx.store)
    new = ctx.changed.get("new_events", 0)
    line = f"{new} new reports clustered as they were stored" if new else "no new reports to cluster"
    return line + (f"; {caught_up} left over from an earlier run clustered now" if caught_up else "")


def _rollups(ctx: RunContext) -> str:
    """Ingest and clustering append to the dyad and country rollups out of dyad order; sorting them again, once a
    day, keeps an uncached dyad series reading one or two row groups per ordered pair (Store.sort_rollups)."""
    if isinstance(ctx.store, LakeStore):
        return "off (a lake writes its rollups as Parquet, commit by commit)"
    return "sorted" if ctx.store.sort_rollups(ctx.today) else "in order (unchanged since their last sort, or sorted today)"


STAGES: list[tuple[str, Stage]] = [
    ("gdelt2", _gdelt2),
    ("gdelt1", _gdelt1),
    ("feeds", run_feeds),
    ("clusters", _clusters),
    ("rollups", _rollups),
    ("forecasts", run_forecasts),
    ("briefing", run_briefings),
    ("alerts", run_alerts),
]
"""The stages of a run, in order: fetch and ingest, then everything computed from the store."""


@dataclass
class RunResult:
    """What one run did: a line per stage, what changed, how long it took."""

    run_id: str
    status: str
    stages: dict[str, str]
    seconds: float
    changed: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds each stage took."""


def run_update(store: Store, config: ServiceConfig, *, cache_dir: Path, now: dt.datetime | None = None,
               fetcher: Fetcher | None = None, say: Callable[[str], None] = lambda line: None,
               stages: list[tuple[str, Stage]] | None = None, fetched: list[Fetched] | None = None) -> RunResult:
    """Run every stage once on an open, writable store (the caller holds the update lock); ``fetched``: the feeds
    as fetched before the store was opened for writing (feed_fetch; None: the feeds stage fetches them)."""
    clock = time.monotonic()
    now = now or state.now_utc()
    run_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    ctx = RunContext(store, config, fetcher or Fetcher(config.fetch), now, run_id, cache_dir, say, fetched=fetched)
    state.start_run(store, run_id, now)
    summary, status, timings = {}, "ok", {}
    for name, stage in stages or STAGES:
        say(f"[{name}]")
        began = time.monotonic()
        try:
            summary[name] = stage(ctx)
        except Exception as exc:  # a failing stage is recorded and the run goes on: the next may not need it
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            kind = "" if isinstance(exc, GeodriftError) else f"{type(exc).__name__}: "
            summary[name] = f"failed: {kind}{message}"
            status = "partial"
        timings[name] = round(time.monotonic() - began, 2)
        say(f"  {summary[name]} ({timings[name]:.1f} s)")
    state.finish_run(store, run_id, status, summary)
    result = RunResult(run_id, status, summary, time.monotonic() - clock, dict(ctx.changed), timings)
    if store.path != ":memory:":
        write_status(store.path, last_run={"run_id": run_id, "now": now.isoformat(), "status": status,
                                           "finished": state.now_utc().isoformat(timespec="seconds"),
                                           "seconds": round(result.seconds, 1), "stages": summary, "timings": timings,
                                           "changed": result.changed},
                     sources=state.sources_health(store).to_dict(orient="records"), store_bytes=store_bytes(store.path),
                     removed_feeds=state.removed_feeds(store))
    return result
