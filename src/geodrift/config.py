"""Typed settings, read from GEODRIFT_* environment variables and passed in explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from geodrift.errors import ConfigError

DEFAULT_DB = "geodrift.duckdb"


@dataclass(frozen=True)
class Settings:
    """Where geodrift keeps its data and how much of the machine it may use.

    Attributes:
        db: DuckDB file of the event store, or ":memory:".
        data_dir: reference data (the project's ../shared/data by default).
        cache_dir: downloaded source files; defaults to "<db>.cache" beside the store.
        memory_limit: DuckDB memory limit, e.g. "1GB"; bounds ingest memory.
        threads: DuckDB worker threads.
    """

    db: str = DEFAULT_DB
    data_dir: Path = field(default_factory=lambda: Path("../shared/data"))
    cache_dir: Path | None = None
    memory_limit: str = "1GB"
    threads: int = 2

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from GEODRIFT_DB, GEODRIFT_DATA, GEODRIFT_CACHE, GEODRIFT_MEMORY, GEODRIFT_THREADS."""
        env = os.environ if env is None else env
        settings = cls()
        if "GEODRIFT_DB" in env:
            settings = replace(settings, db=env["GEODRIFT_DB"])
        if "GEODRIFT_DATA" in env:
            settings = replace(settings, data_dir=Path(env["GEODRIFT_DATA"]))
        if "GEODRIFT_CACHE" in env:
            settings = replace(settings, cache_dir=Path(env["GEODRIFT_CACHE"]))
        if "GEODRIFT_MEMORY" in env:
            settings = replace(settings, memory_limit=env["GEODRIFT_MEMORY"])
        if "GEODRIFT_THREADS" in env:
            try:
                settings = replace(settings, threads=int(env["GEODRIFT_THREADS"]))
            except ValueError:
                raise ConfigError(f"GEODRIFT_THREADS must be an integer, got {env['GEODRIFT_THREADS']!r}") from None
        return settings

    @property
    def download_dir(self) -> Path:
        """Folder for downloaded files: cache_dir, else beside the store."""
        if self.cache_dir is not None:
            return self.cache_dir
        if self.db == ":memory:":
            return Path(".geodrift-cache")
        return Path(self.db + ".cache")
