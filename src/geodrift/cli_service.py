"""CLI verbs of the daily service: feeds add/list/remove, update, watch, status, alerts.

``update`` takes the store's update lock first (a second update stops at once with the holder's PID), then opens
the store (waiting, like every writer, for an ingest to finish). ``watch`` runs ``update`` every interval; with
``--serve`` it also serves the dashboard and API from the same process, which then owns the store (DuckDB allows
one writing process) and updates it through a writer session while readers keep their snapshots.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from geodrift.cli_common import DbOption, FormatOption, emit, err, open_store, out, parse_when, settings, user_errors
from geodrift.config import Settings
from geodrift.errors import InputError
from geodrift.lake_store import is_lake
from geodrift.service import state
from geodrift.service.alerts import list_alerts
from geodrift.service.feed_fetch import Fetched, fetch_all, plan
from geodrift.service.fetch import Fetcher
from geodrift.service.lock import update_lock
from geodrift.service.settings import ServiceConfig, load_config, parse_duration
from geodrift.service.status import current, write_status
from geodrift.service.update import RunResult, run_update
from geodrift.store import Store

feeds_app = typer.Typer(help="News feeds (RSS/Atom) and pages the service reads.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts the service raised.", no_args_is_help=True)

ConfigOption = Annotated[Path | None, typer.Option("--config",
                                                   help="geodrift.toml (default $GEODRIFT_CONFIG or ./geodrift.toml)")]
NowOption = Annotated[str | None, typer.Option("--now", hidden=True, help="run as if at this UTC time (backfills, tests)")]


def _setup(db: str | None, config_file: Path | None) -> tuple[Settings, ServiceConfig]:
    cfg = settings(db)
    config = load_config(config_file or cfg.config_file)
    return replace(cfg, db=config.store_path(cfg)), config


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="feed or page URL (http or https)")],
    outlet: Annotated[str | None, typer.Option(help="outlet name (default: the feed's own)")] = None,
    country: Annotated[str | None, typer.Option(help="outlet's country, ISO3")] = None,
    language: Annotated[str | None, typer.Option(help="declared language (ISO 639-1); only en is coded")] = None,
    kind: Annotated[str, typer.Option(help="feed (RSS/Atom) or page (one HTML article)")] = "feed",
    db: DbOption = None, config_file: ConfigOption = None,
) -> None:
    """Add a feed or page to read at every update (or change its outlet, country, language)."""
    with user_errors():
        cfg, _ = _setup(db, config_file)
        with open_store(cfg) as store:
            new = state.add_feed(store, state.Feed(url, kind, outlet, country, language))
    out.print(f"{'added' if new else 'updated'} {kind} {url}", highlight=False, markup=False)


@feeds_app.command("list")
def feeds_list(fmt: FormatOption = "table", db: DbOption = None, config_file: ConfigOption = None) -> None:
    """Every feed with its last fetch (outcome, status, failures in a row, articles coded)."""
    with user_errors():
        cfg, _ = _setup(db, config_file)
        with open_store(cfg, read_only=True) as store:
            frame = state.feeds_health(store)
        emit(frame, fmt, "Feeds")


@feeds_app.command("remove")
def feeds_remove(url: Annotated[str, typer.Argument(help="the feed's URL")], db: DbOption = None,
                 config_file: ConfigOption = None) -> None:
    """Stop reading a feed (its fetch records and coded events stay)."""
    with user_errors():
        cfg, _ = _setup(db, config_file)
        with open_store(cfg) as store:
            state.remove_feed(store, url)
    out.print(f"removed {url}", highlight=False, markup=False)


def _say(line: str) -> None:
    err.print(line, highlight=False, markup=False, soft_wrap=True)


def _report(result: RunResult) -> None:
    changed = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.changed.items() if v) or "nothing new"
    out.print(f"run {result.run_id} {result.status} in {result.seconds:.1f} s: {changed}", highlight=False, markup=False)


def _one_run(cfg: Settings, config: ServiceConfig, now: dt.datetime | None, verbose: bool) -> RunResult:
    """One update: the feeds fetched first, with the store only read for their list and validators and then let go,
    so a slow feed keeps no other writer waiting; then the store opened for writing, and every stage run."""
    say = _say if verbose else (lambda line: None)
    with update_lock(cfg.db):
        fetcher, fetched = _prefetch(cfg, config, lambda: open_store(cfg, read_only=True), say)
        with open_store(cfg) as store:
            return run_update(store, config, cache_dir=cfg.download_dir / "service", now=now, say=say,
                              fetcher=fetcher, fetched=fetched)


def _prefetch(cfg: Settings, config: ServiceConfig, reader: Callable[[], Store],
              say: Callable[[str], None]) -> tuple[Fetcher, list[Fetched] | None]:
    """The run's client and its feeds fetched before the store is written (None on a lake, which refuses the run
    before anything is fetched; feed_fetch)."""
    fetcher = Fetcher(config.fetch)
    if is_lake(cfg.location):
        return fetcher, None
    if cfg.db == ":memory:" or not Path(cfg.db).exists():
        planned = plan(None, config)
    else:
        with reader() as store:
            planned = plan(store, config)
    say(f"[fetch] {len(planned)} feed{'' if len(planned) == 1 else 's'}, before the store is opened for writing")
    return fetcher, fetch_all(planned, fetcher)


def update(db: DbOption = None, config_file: ConfigOption = None, now: NowOption = None,
           quiet: Annotated[bool, typer.Option("--quiet", "-q", help="only the summary line")] = False) -> None:
    """Fetch what is new (GDELT, feeds), code, ingest, refresh forecasts, write today's briefing, raise alerts."""
    with user_errors():
        cfg, config = _setup(db, config_file)
        result = _one_run(cfg, config, parse_when(now, "--now") if now else None, not quiet)
    _report(result)


def watch(
    every: Annotated[str | None, typer.Option(help="interval, e.g. 15m (default: geodrift.toml's schedule.every, else 15m)")]
    = None,
    runs: Annotated[int, typer.Option(help="stop after this many runs (0: never)")] = 0,
    serve: Annotated[bool, typer.Option(help="also serve the dashboard and API from this process")] = False,
    host: Annotated[str, typer.Option(help="with --serve: interface")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="with --serve: TCP port")] = 8000,
    db: DbOption = None, config_file: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="only a summary line per run")] = False,
) -> None:
    """Run update now and then every interval (aligned to the clock: 15m runs at :00, :15, :30, :45)."""
    with user_errors():
        cfg, config = _setup(db, config_file)
        interval = parse_duration(every, "--every") if every else config.every
        server_store = _start_server(cfg, host, port) if serve else None
        count = 0
        while True:
            try:
                if server_store is not None:
                    with update_lock(cfg.db):
                        say = (lambda line: None) if quiet else _say
                        fetcher, fetched = _prefetch(cfg, config, server_store.session, say)
                        writer = server_store.session(read_only=False)  # waits for an API job's write to end
                        try:
                            result = run_update(writer, config, cache_dir=cfg.download_dir / "service", say=say,
                                                fetcher=fetcher, fetched=fetched)
                        finally:
                            writer.close()
                else:
                    result = _one_run(cfg, config, None, not quiet)
                _report(result)
            except InputError as exc:
                raise exc
            except Exception as exc:  # the loop outlives one bad run (a locked store, a full disk): it says why
                err.print(f"run failed: {exc}", highlight=False, markup=False, soft_wrap=True)
            count += 1
            if runs and count >= runs:
                break
            wait = interval - time.time() % interval
            next_run = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)
            write_status(cfg.db, watch={"pid": __import__("os").getpid(), "every_seconds": interval,
                                        "next_run": next_run.isoformat(timespec="seconds")})
            time.sleep(wait)


def _start_server(cfg: Settings, host: str, port: int) -> Store:
    """The dashboard and API in a thread of this process, owning the store; returns the store."""
    import uvicorn

    from geodrift.web.app import create_app
    from geodrift.web.config import ServeSettings

    store = open_store(cfg)
    app = create_app(ServeSettings.from_settings(cfg), store)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
    threading.Thread(target=server.run, daemon=True, name="geodrift-serve").start()
    out.print(f"geodrift on http://{host}:{port}/ (updating the store every run)", highlight=False, markup=False)
    return store


def status(db: DbOption = None, config_file: ConfigOption = None,
           fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table") -> None:
    """Last run, next run, sources' health and store size (read from <db>.service.json: never waits for the store)."""
    import json

    import pandas as pd

    with user_errors():
        cfg, _ = _setup(db, config_file)
        data = current(cfg.db)
        if fmt == "json":
            typer.echo(json.dumps(data, indent=1, default=str))
            return
        if fmt != "table":
            raise InputError(f"unknown --format {fmt!r}; use table or json")
        last = data.get("last_run")
        out.print(f"{cfg.db}: {data['store_bytes'] / 1e6:,.1f} MB", highlight=False, markup=False)
        out.print(f"running now: {data['running']}" if data["running"] else "running now: no", highlight=False, markup=False)
        if last:
            out.print(f"last run: {last['run_id']} {last['status']}, finished {last['finished']} UTC "
                      f"in {last['seconds']} s", highlight=False, markup=False)
            for stage, line in last["stages"].items():
                seconds = last.get("timings", {}).get(stage)
                took = f" ({seconds:.1f} s)" if seconds is not None else ""
                out.print(f"  {stage}{took}: {line}", highlight=False, markup=False)
        else:
            out.print("last run: none yet (geodrift update)", markup=False)
        watcher = data.get("watch")
        out.print(f"next run: {watcher['next_run']} (every {watcher['every_seconds']:g} s, watch PID {watcher['pid']})"
                  if watcher else "next run: not scheduled (no geodrift watch has run)", highlight=False, markup=False)
        sources = pd.DataFrame(data.get("sources", []), columns=["source", "outcome", "last_ok", "failures_in_a_row",
                                                                 "articles", "events", "reason"])
        sources["last_ok"] = sources["last_ok"].astype(str).str[:16].replace({"NaT": "never", "None": "never"})
        sources["reason"] = sources["reason"].fillna("").astype(str).str[:70]
        emit(sources.rename(columns={"failures_in_a_row": "failures", "last_ok": "last success"}), "table", "Sources")
        for gone in data.get("removed_feeds", []):
            out.print(f"removed feed: {gone['url']} (by {gone['by']}, {gone['removed']}): no longer fetched; its "
                      f"{gone['events']:,} stored events stay", highlight=False, markup=False, soft_wrap=True)


@alerts_app.command("list")
def alerts_list(
    country: Annotated[list[str] | None, typer.Option(help="alerts about this country (repeatable)")] = None,
    pair: Annotated[list[str] | None, typer.Option(help="alerts about this pair, e.g. ARM-AZE (repeatable)")] = None,
    limit: Annotated[int, typer.Option(help="newest N")] = 20,
    fmt: FormatOption = "table", db: DbOption = None, config_file: ConfigOption = None,
) -> None:
    """Stored alerts, newest first, with their evidence links."""
    import pandas as pd

    with user_errors():
        cfg, _ = _setup(db, config_file)
        with open_store(cfg, read_only=True) as store:
            found = list_alerts(store, countries=country or (), pairs=pair or (), limit=limit)
        frame = pd.DataFrame(found, columns=["id", "kind", "subject", "period", "title", "summary", "evidence"])
        frame["evidence"] = [", ".join(e["url"] or e["event_id"] for e in ev) for ev in frame.evidence]
        emit(frame, fmt, "Alerts")


def register(app: typer.Typer) -> None:
    """Add feeds, update, watch, status and alerts to the main app."""
    app.add_typer(feeds_app, name="feeds")
    app.add_typer(alerts_app, name="alerts")
    app.command()(update)
    app.command()(watch)
    app.command()(status)
