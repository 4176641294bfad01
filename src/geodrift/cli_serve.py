"""CLI verbs for the web: serve the API and dashboard, make API keys."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from geodrift.cli_common import DbOption, out, settings, user_errors
from geodrift.errors import InputError
from geodrift.store import Store
from geodrift.store_schema import SCHEMA_VERSION
from geodrift.web.config import ServeSettings, new_key

apikey_app = typer.Typer(help="API keys for the write endpoints.", no_args_is_help=True)


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    read_only: Annotated[bool, typer.Option(help="open the store read-only (no ingest over HTTP)")] = False,
    keys: Annotated[Path | None, typer.Option(help="file of API key hashes ($GEODRIFT_API_KEYS_FILE)")] = None,
    keyed_reads: Annotated[bool, typer.Option(help="require a key for read endpoints too")] = False,
    cors: Annotated[list[str] | None, typer.Option(help="allowed CORS origin (repeatable)")] = None,
    ingest_dir: Annotated[Path | None, typer.Option(help="folder the ingest endpoint may read")] = None,
    workers: Annotated[int, typer.Option(help="worker processes (more than 1 needs --read-only)")] = 1,
    db: DbOption = None,
) -> None:
    """Serve the REST API (/api/v1, OpenAPI at /api/v1/openapi.json) and the dashboard (/) from one process."""
    import uvicorn

    from geodrift.web.app import create_app
    from geodrift.web.config import read_key_hashes

    with user_errors():
        if not 1 <= port <= 65535:
            raise InputError(f"--port {port}: use a TCP port from 1 to 65535")
        if workers < 1:
            raise InputError(f"--workers {workers}: use at least 1 worker process")
        if ingest_dir is not None and not ingest_dir.is_dir():
            raise InputError(f"--ingest-dir {ingest_dir}: no such folder")
        if workers > 1:
            if not read_only:
                raise InputError("--workers above 1 needs --read-only: only one process may write a DuckDB file")
            if keys or keyed_reads or cors or ingest_dir:
                raise InputError("with --workers, give keys, CORS and reads as GEODRIFT_* variables (README)")
            chosen = ServeSettings.from_settings(settings(db))  # bad GEODRIFT_* values fail here, not in each worker
            # An older store fails here too, once, rather than in every worker (each raced to upgrade it: F1)
            Store(chosen.db, read_only=True, upgrade=False, memory_limit=chosen.memory_limit, threads=1).close()
            os.environ.update({"GEODRIFT_DB": settings(db).db, "GEODRIFT_READ_ONLY": "1"})
            out.print(f"geodrift on http://{host}:{port}/ with {workers} read-only workers")
            uvicorn.run("geodrift.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                        log_level="warning", access_log=False)
            return
        overrides: dict[str, object] = {"read_only": read_only}
        if keys:
            overrides["key_hashes"] = read_key_hashes(keys)
        if keyed_reads:
            overrides["keyed_reads"] = True
        if cors:
            overrides["cors_origins"] = tuple(cors)
        if ingest_dir:
            overrides["data_dir"] = ingest_dir
        app = create_app(ServeSettings.from_settings(settings(db), **overrides))
    upgraded = app.state.store.upgraded_from
    if upgraded:
        out.print(f"upgraded {app.state.store.path} from schema {upgraded} to {SCHEMA_VERSION}")
    out.print(f"geodrift on http://{host}:{port}/ (API docs at /api/v1/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@apikey_app.command("new")
def apikey_new() -> None:
    """Print a new API key (give it to the client) and its hash (add it to the keys file)."""
    key, hashed = new_key()
    out.print(f"key (shown once, give it to the client): {key}")
    out.print(f"hash (add this line to the keys file):   {hashed}")


def register(app: typer.Typer) -> None:
    """Add serve and apikey to the main app."""
    app.command()(serve)
    app.add_typer(apikey_app, name="apikey")
