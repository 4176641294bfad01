"""Helpers shared by the CLI modules: consoles, options, error translation, output."""

from __future__ import annotations

import datetime as dt
import json
import numbers
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from geodrift.config import Settings
from geodrift.errors import GeodriftError, InputError, StoreLockedError
from geodrift.events import shown_date, shown_place

if TYPE_CHECKING:  # imported where used: ``geodrift code`` (JSON lines, no --into) loads neither pandas nor the store
    import pandas as pd

    from geodrift.store import Store

T = TypeVar("T")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[str | None, typer.Option("--db", help="DuckDB store file (default: $GEODRIFT_DB or ./geodrift.duckdb)")]


def shown(text: object) -> str:
    """``text`` safe to print: control characters escaped as in repr, so a file name cannot move the cursor,
    recolour the terminal or break the line, and rich markup escaped, so it cannot style the line either."""
    return escape("".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text)))


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors, and file-system errors on paths the user gave, into one line and a non-zero exit."""
    try:
        yield
    except GeodriftError as exc:
        err.print(f"[bold red]error:[/] {shown(exc)}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except BrokenPipeError:
        raise  # the reader closed the pipe (| head): not a user error; main() ends quietly
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        err.print(f"[bold red]error:[/] {shown(where + (exc.strerror or str(exc)))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def out_folder(path: Path, option: str) -> Path:
    """``path`` as an existing folder (created if missing), checked before any work is done."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot create this folder ({exc.strerror or exc})") from None
    return path


def settings(db: str | None) -> Settings:
    """The settings from the environment, then the root options (``geodrift --store ... --engine ...``), then --db."""
    from typer._click.globals import get_current_context  # typer 0.29 vendors click

    base = Settings.from_env()
    context = get_current_context(silent=True)
    root = context.find_root().obj if context is not None else None
    if isinstance(root, dict):
        base = replace(base, **{k: v for k, v in root.items() if v is not None})
    return base if db is None else replace(base, db=db, store=None)


def spark_reader(store: Store, cfg: Settings) -> Any:
    """What an analytic reads: the store itself (DuckDB), or with ``--engine spark`` a SparkEngine over its lake."""
    if cfg.engine != "spark":
        return store
    from geodrift.analytics.engine import SparkEngine, lake_of

    return SparkEngine.for_lake(lake_of(store), cfg.spark_master)


def when_unlocked(cfg: Settings, open_it: Callable[[], T]) -> T:
    """``open_it()``; while another process writes the store (an ingest), wait up to ``cfg.lock_wait`` s, saying so."""
    deadline = time.monotonic() + cfg.lock_wait
    told = False
    while True:
        try:
            return open_it()
        except StoreLockedError as exc:
            if time.monotonic() >= deadline:
                raise StoreLockedError(f"{exc} (waited {cfg.lock_wait} s; GEODRIFT_LOCK_WAIT sets how long)") from None
            if not told:
                err.print(f"[yellow]waiting[/]: {exc}; waiting up to {cfg.lock_wait} s for it to finish "
                          "(Ctrl-C to stop)", highlight=False, soft_wrap=True)
                told = True
            time.sleep(0.25)


def open_store(cfg: Settings, read_only: bool = False) -> Store:
    """The store, once no other process is writing it (see ``when_unlocked``); an older store it upgraded is said
    (even a read command's open upgrades one: its SQL names the new columns), as the upgrade wrote the file."""
    from geodrift.lake_store import open_any

    store = when_unlocked(cfg, lambda: open_any(cfg.location, read_only=read_only, memory_limit=cfg.memory_limit,
                                                threads=cfg.threads))
    upgraded = getattr(store, "upgraded_from", None)
    if upgraded:
        from geodrift.store_schema import SCHEMA_VERSION

        err.print(f"upgraded {shown(cfg.location)} from schema {upgraded} to {SCHEMA_VERSION}", highlight=False,
                  soft_wrap=True)
    return store


def parse_when(value: str, option: str, end: bool = False) -> dt.datetime:
    """A UTC instant from YYYY-MM-DD[THH:MM[:SS]] or YYYYMMDD[HHMMSS]; a date-only --to covers its whole day."""
    for fmt, whole_day in (("%Y-%m-%d", True), ("%Y%m%d", True), ("%Y-%m-%dT%H:%M", False),
                           ("%Y-%m-%dT%H:%M:%S", False), ("%Y-%m-%d %H:%M", False), ("%Y%m%d%H%M%S", False)):
        try:
            when = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return when + dt.timedelta(days=1) if end and whole_day else when
    raise InputError(f"{option} {value!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)")


def _cell(value: object) -> str:
    import numpy as np
    import pandas as pd

    if value is np.ma.masked:  # a NULL inside a LIST
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):  # DuckDB LIST columns arrive as arrays: pd.isna would fail on them
        return "[" + ", ".join("null" if v is None or v is np.ma.masked else _cell(v) for v in value) + "]"
    if isinstance(value, dict):  # STRUCT and MAP columns
        return "{" + ", ".join(f"{k}: {_cell(v)}" for k, v in value.items()) + "}"
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, numbers.Integral):
        return f"{value:,}"
    if isinstance(value, numbers.Real):
        return f"{value:,.3f}"
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else str(value)
    return str(value)


def print_df(frame: pd.DataFrame, title: str | None) -> None:
    """A DataFrame as a rich table: integers with separators, floats to 3 places, dates as days."""
    if title:
        out.print(f"[bold]{title}[/]")
    if frame.empty:
        out.print("  (none)")
        return
    import pandas as pd

    if "event_date" in frame and "event_date_precision" in frame:  # '2021-05', not the 1st it is stored on
        frame = frame.assign(event_date=[shown_date(d, p) for d, p in
                                         zip(frame.event_date, frame.event_date_precision, strict=True)])
    if "action_geo_name" in frame:  # "Tbilisi, Georgia" for GDELT's "Tbilisi, Georgia (general), Georgia"
        frame = frame.assign(action_geo_name=frame.action_geo_name.map(shown_place))
    whole = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c]) and frame[c].notna().any()
             and bool((frame[c].dropna() % 1 == 0).all()) and bool((frame[c].dropna().abs() < 2**53).all())]
    if whole:  # counts and weights stored as floats read as counts ("85", not "85.000")
        frame = frame.assign(**{c: frame[c].astype("Int64") for c in whole})
    table = Table()
    for column in frame.columns:
        table.add_column(str(column), justify="right" if pd.api.types.is_numeric_dtype(frame[column]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(_cell(v)) for v in row))  # Text: a cell such as "[a b]" is data, not rich markup
    print_table(table)


def print_table(table: Table, console: Console = out) -> None:
    """Print ``table`` on ``console``; piped or redirected, at its natural width, where rich would fold it into
    80 columns."""
    (console if console.is_terminal else Console(file=console.file, width=_natural_width(table))).print(table)


def _natural_width(table: Table) -> int:
    """The width ``table`` takes when nothing limits it."""
    return Measurement.get(out, out.options.update_width(1_000_000), table).maximum


def emit(frame: pd.DataFrame, fmt: str, title: str | None = None) -> None:
    """Write a result as a rich table, CSV (formula cells neutralised) or JSON (raw values) on stdout."""
    if fmt == "csv":
        from geodrift.csvsafe import to_csv  # pandas, loaded only when a table is written

        to_csv(_flat(frame), sys.stdout)
    elif fmt == "json":
        sys.stdout.write(json.dumps(json.loads(frame.to_json(orient="records", date_format="iso")), indent=1) + "\n")
    elif fmt == "table":
        print_df(frame, title)
    else:
        raise InputError(f"unknown --format {fmt!r}; use table, csv or json")


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with LIST/STRUCT cells as JSON text, so a CSV cell reads ``["a", "b"]`` rather than numpy's repr."""
    import numpy as np

    def plain(value: object) -> object:
        if isinstance(value, np.ndarray):
            return [plain(v) for v in value.tolist()]
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        return value

    nested = [c for c in frame.columns
              if frame[c].dtype == object and frame[c].map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray))).any()]
    if not nested:
        return frame
    frame = frame.copy()
    for column in nested:
        frame[column] = frame[column].map(
            lambda v: json.dumps(plain(v), default=str, ensure_ascii=False)
            if isinstance(v, (list, tuple, dict, np.ndarray)) else v)
    return frame


def day(value: str | None, option: str) -> dt.date | None:
    """A date option (YYYY-MM-DD) or None."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date: use YYYY-MM-DD") from None


FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json")]
