"""The ``geodrift`` command line: one typer app, one sub-app per verb group.

Library errors (GeodriftError) become one red line on stderr and exit code 1; usage
errors exit 2 (typer's convention). No traceback reaches a user for their own mistake.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer._click.core import Command, Context  # typer 0.29 vendors click; these are its group's types
from typer.core import TyperGroup
from typer.main import get_group

from geodrift.cli_common import (
    DbOption,
    FormatOption,
    emit,
    err,
    open_store,
    out,
    out_folder,
    parse_when,
    print_df,
    settings,
    shown,
    user_errors,
    when_unlocked,
)
from geodrift.config import Settings
from geodrift.errors import InputError
from geodrift.events import count_label
from geodrift.sources.gdelt_remote import DEFAULT_BASE_URL

if TYPE_CHECKING:  # the store stack (DuckDB, pyarrow, clustering) is imported by the verbs that open a store, so
    # ``geodrift code`` without --into does not load it
    from rich.progress import Progress

    from geodrift.store import FileResult

VERBS = {
    "cli_analytics": ("dyads", "alignment", "drift", "flareups", "matrix", "map", "unvotes"),
    "cli_coding": ("code",),
    "cli_reports": ("brief", "analyze"),
    "cli_forecast": ("backtest", "forecast"),
    "cli_serve": ("serve", "apikey"),
    "cli_service": ("update", "watch", "status", "feeds", "alerts"),
    "cli_conflict": ("risk",),
}
"""The verbs each ``cli_<group>`` module registers (tests/test_cli.py checks), in the order they are listed."""


class _LazyVerbs(TyperGroup):
    """The main command group, importing a verb group's module only when one of its verbs runs: ``geodrift code``
    then imports the coder, not the analytics (scipy, statsmodels) or the server. Help and an unknown verb load
    them all, so the listing and the suggestions are the full ones."""

    def _load(self, module: str) -> None:
        if all(verb in self.commands for verb in VERBS[module]):
            return
        verbs = typer.Typer()
        importlib.import_module(f"geodrift.{module}").register(verbs)
        for name, command in get_group(verbs).commands.items():
            self.add_command(command, name)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        module = next((m for m, verbs in VERBS.items() if cmd_name in verbs), None)
        if module is not None:
            self._load(module)
        elif cmd_name not in self.commands:  # an unknown verb: suggest among all of them
            self.list_commands(ctx)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: Context) -> list[str]:
        for module in VERBS:
            self._load(module)
        # As typer lists an app built at once: verbs in the order they were added, then groups of verbs (db, ...).
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: isinstance(self.commands[name], TyperGroup))


app = typer.Typer(help="geodrift: open, evidence-first geopolitical event intelligence.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False, cls=_LazyVerbs)
db_app = typer.Typer(help="Inspect and export the event store.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def check_settings(
    ctx: typer.Context,
    store: Annotated[str | None, typer.Option("--store", help="lake:PATH (Parquet lake) or a DuckDB file; "
                                              "default $GEODRIFT_STORE, else --db")] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="duckdb or spark (default $GEODRIFT_ENGINE, "
                                               "else duckdb)")] = None,
    spark_master: Annotated[str | None, typer.Option("--spark-master", help="Spark master for --engine spark "
                                                     "(default $GEODRIFT_SPARK_MASTER, else local[2])")] = None,
) -> None:
    """Read the GEODRIFT_* settings once before any verb, so a bad value is one line, never a traceback."""
    with user_errors():
        Settings.from_env()
        if engine is not None and engine not in ("duckdb", "spark"):
            raise InputError(f"--engine {engine!r}: use duckdb or spark")
        if store is not None and store.strip() in ("", "lake:"):
            raise InputError(f"--store {store!r}: use lake:PATH or a DuckDB file")
    ctx.obj = {"store": store, "engine": engine, "spark_master": spark_master}


def _describe(result: FileResult) -> str:
    if result.status == "done":
        return (f"[green]ingested[/] {shown(result.location)}: {result.accepted:,} {result.unit}, "
                f"{result.duplicate:,} duplicates, {result.rejected:,} rejected")
    if result.status == "skipped":
        return f"[dim]skipped[/] {shown(result.location)}: {shown(result.message)}"
    return f"[red]failed[/] {shown(result.location)}: {shown(result.message)}"


def _summarise(results: list[FileResult]) -> None:
    from geodrift.conflict_store import accepted_by_unit

    done = [r for r in results if r.status == "done"]
    failed = [r for r in results if r.status == "failed"]
    skipped = len(results) - len(done) - len(failed)
    counts = ", ".join(count_label(n, unit.removesuffix("s"), unit) for unit, n in accepted_by_unit(done).items()) \
        or "0 events"
    out.print(f"{count_label(len(done), 'file')} ingested ({counts}, "
              f"{count_label(sum(r.rejected for r in done), 'row')} quarantined), {skipped} skipped, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="files or folders to ingest, or 'gdelt1'/'gdelt2' to download")],
    fmt: Annotated[str | None, typer.Option("--format", help="input format; detected when omitted")] = None,
    start: Annotated[str | None, typer.Option("--from", help="remote: first UTC day or time")] = None,
    end: Annotated[str | None, typer.Option("--to", help="remote: last UTC day (inclusive) or time (exclusive)")] = None,
    base_url: Annotated[str, typer.Option(help="remote: GDELT server")] = DEFAULT_BASE_URL,
    translingual: Annotated[bool, typer.Option(help="gdelt2: include the translingual stream")] = False,
    keep_downloads: Annotated[bool, typer.Option(help="remote: keep downloaded zips in the cache")] = False,
    db: DbOption = None,
) -> None:
    """Ingest event files (GDELT, ICEWS, curated JSONL) or download GDELT exports for a date range."""
    from geodrift.ingest import ingest_files, ingest_gdelt
    from geodrift.sources.base import get_format

    with user_errors():
        cfg = settings(db)
        remote = targets[0] in ("gdelt1", "gdelt2") and not Path(targets[0]).exists()
        if remote:
            if len(targets) != 1:
                raise InputError(f"ingest {targets[0]} takes no file arguments, only --from and --to")
            if start is None or end is None:
                raise InputError(f"ingest {targets[0]} needs --from and --to (UTC dates)")
            begin, finish = parse_when(start, "--from"), parse_when(end, "--to", end=True)
            with open_store(cfg) as store, _progress() as progress:
                task = progress.add_task("downloading", total=None)

                def listed(files: list) -> None:  # type: ignore[type-arg]
                    progress.update(task, total=len(files))
                    progress.console.print(f"{len(files)} {targets[0]} files between {begin} and {finish} UTC")

                def on_file(result: FileResult) -> None:
                    progress.console.print(_describe(result), highlight=False, soft_wrap=True)
                    progress.advance(task)

                results = ingest_gdelt(store, int(targets[0][-1]), begin, finish, cache_dir=cfg.download_dir,
                                       base_url=base_url, translingual=translingual, keep_downloads=keep_downloads,
                                       on_listed=listed, on_file=on_file)
        else:
            if start or end:
                raise InputError("--from/--to apply to 'ingest gdelt1|gdelt2' only")
            paths = _expand(targets)
            if fmt:
                get_format(fmt)  # a mistyped format fails now, not after waiting for the store
            with open_store(cfg) as store, _progress() as progress:
                task = progress.add_task("ingesting", total=len(paths))

                def on_file(result: FileResult) -> None:
                    progress.console.print(_describe(result), highlight=False, soft_wrap=True)
                    progress.advance(task)

                if cfg.engine == "spark":
                    from geodrift.ingest_spark import ingest_files_spark

                    results = ingest_files_spark(store, paths, fmt, on_file=on_file,  # type: ignore[arg-type]
                                                 master=cfg.spark_master, group_rows=cfg.group_rows)
                else:
                    results = ingest_files(store, paths, fmt, on_file=on_file, group_rows=cfg.group_rows)
    _summarise(results)


def _expand(targets: list[str]) -> list[Path]:
    from geodrift.ingest import folder_files

    paths, documents = folder_files(targets)
    for document in documents:
        err.print(f"skipped {shown(document)}: documentation, not data", highlight=False, soft_wrap=True)
    if not paths:
        raise InputError("no files to ingest")
    return paths


def _progress() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True)


@db_app.command("info")
def db_info(db: DbOption = None) -> None:
    """Events by source and month, files by status, quarantined rows by reason."""
    from geodrift.lake import describe
    from geodrift.lake_store import LakeStore

    cfg = settings(db)
    with user_errors(), open_store(cfg, read_only=True) as store:
        out.print(f"[bold]{shown(store.path)}[/]: {store.count_events():,} events")
        if isinstance(store, LakeStore):
            files = describe(store.snapshot)["files"]
            out.print(f"lake snapshot v{store.snapshot.version}: " + ", ".join(f"{t} {n:,} files" for t, n in files.items()))
        for title, frame in store.summary().items():
            print_df(frame, title)


@db_app.command("export")
def db_export(
    fmt: Annotated[str, typer.Argument(help="export format: parquet")],
    directory: Annotated[Path, typer.Argument(help="output folder (year=/month= partitions)")],
    db: DbOption = None,
) -> None:
    """Export all events, e.g. ``db export parquet DIR``."""
    cfg = settings(db)
    with user_errors():
        if fmt != "parquet":
            raise InputError(f"unknown export format {fmt!r}; supported: parquet")
        with open_store(cfg, read_only=True) as store:
            rows = store.export_parquet(directory)
    out.print(f"wrote {rows:,} events to {shown(directory)}/year=*/month=*/")


@db_app.command("optimize")
def db_optimize(db: DbOption = None) -> None:
    """Sort the dyad and country aggregates so dyad queries skip everything else (after big ingests)."""
    from geodrift.lake_store import is_lake

    cfg = settings(db)
    with user_errors():
        if not is_lake(cfg.location) and cfg.location != ":memory:" and not Path(cfg.location).is_file():
            raise InputError(f"{shown(cfg.location)}: no such database; ingest something first")
        with open_store(cfg) as store:
            store.optimize()
    out.print(f"optimized {shown(cfg.location)}")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring a store an older geodrift wrote to this schema (once, before serving it read-only): a write that
    reclusters the store when its clustering rule changed, minutes on a large one."""
    from geodrift.lake_store import is_lake

    cfg = settings(db)
    with user_errors():
        if is_lake(cfg.location) or cfg.location == ":memory:" or not Path(cfg.location).is_file():
            raise InputError(f"{shown(cfg.location)}: no such database file")
        with open_store(cfg) as store:
            upgraded = store.upgraded_from
    if not upgraded:
        from geodrift.store_schema import SCHEMA_VERSION

        out.print(f"{shown(cfg.location)} is already at schema {SCHEMA_VERSION}")


@db_app.command("quality")
def db_quality(fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Data quality per source: duplicate rate, coverage gaps, quarantined rows, actors and places resolved."""
    import json
    import sys

    from geodrift.analytics.quality import SECTIONS, quality_records, quality_report
    from geodrift.store_precision import precision_note

    cfg = settings(db)
    with user_errors():
        if fmt not in ("table", "json"):
            raise InputError(f"unknown --format {fmt!r}; use table or json")
        with open_store(cfg, read_only=True) as store:
            report, note = quality_report(store), precision_note(store)
    if fmt == "json":
        sys.stdout.write(json.dumps(quality_records(report), indent=1) + "\n")
    else:
        for name, frame in report.items():
            print_df(frame, SECTIONS[name])
    if note:
        (err if fmt == "json" else out).print(f"[yellow]note[/] {shown(note)}", highlight=False)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="a SQL query over tables events, ingested_files, quarantine")],
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Run one read-only query against the store; it cannot read or write any other file."""
    from geodrift.lake_store import is_lake
    from geodrift.sandbox import sandboxed_query  # pandas: loaded by the verbs that print tables, not by all

    cfg = settings(db)
    with user_errors():
        if fmt not in ("table", "csv", "json"):
            raise InputError(f"unknown --format {fmt!r}; use table, csv or json")
        if is_lake(cfg.location):
            raise InputError(f"{cfg.location}: geodrift sql reads DuckDB stores; read a lake's Parquet files with "
                             "DuckDB or Spark (docs/lake.md)")
        frame = when_unlocked(cfg, lambda: sandboxed_query(cfg.db, query, memory_limit=cfg.memory_limit,
                                                           threads=cfg.threads))
        emit(frame, fmt)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the demo store and outputs")] = Path("out/demo"),
    data: Annotated[Path | None, typer.Option(help="reference data folder (default $GEODRIFT_DATA or ../shared/data)")] = None,
) -> None:
    """The flagship case: ingest the reference data, code the seed article, forecast, write the briefing and the AZE analysis."""
    from geodrift.demo import run_demo

    cfg = Settings.from_env()
    with user_errors():
        run_demo(data or cfg.data_dir, out_folder(out_dir, "--out"), out)



def main() -> None:
    """Console-script entry point; a closed pipe (``geodrift sql ... | head``) ends quietly, as other tools do."""
    try:
        app()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
