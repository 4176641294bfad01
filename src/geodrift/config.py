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
        group_rows: rows per group commit when ingesting local files (1 commits every file alone).
    """

    db: str = DEFAULT_DB
    data_dir: Path = field(default_factory=lambda: Path("../shared/data"))
    cache_dir: Path | None = None
    memory_limit: str = "1GB"
    threads: int = 2
    group_rows: int = 500_000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from GEODRIFT_DB, _DATA, _CACHE, _MEMORY, _THREADS and _GROUP_ROWS."""
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
            settings = replace(settings, threads=_positive_int(env, "GEODRIFT_THREADS"))
        if "GEODRIFT_GROUP_ROWS" in env:
            settings = replace(settings, group_rows=_positive_int(env, "GEODRIFT_GROUP_ROWS"))
        return settings

    @property
    def download_dir(self) -> Path:
        """Folder for downloaded files: cache_dir, else beside the store."""
        if self.cache_dir is not None:
            return self.cache_dir
        if self.db == ":memory:":
            return Path(".geodrift-cache")
        return Path(self.db + ".cache")


def _positive_int(env: Mapping[str, str], var: str) -> int:
    try:
        value = int(env[var])
    except ValueError:
        raise ConfigError(f"{var} must be an integer, got {env[var]!r}") from None
    if value < 1:
        raise ConfigError(f"{var} must be at least 1, got {value}")
    return value
