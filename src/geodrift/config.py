"""Typed settings, read from GEODRIFT_* environment variables and passed in explicitly."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
        read_only: the server opens the store read-only (its worker processes always do).
        api_keys_file: file of API key hashes for the server's write (and keyed read) endpoints.
        keyed_reads: the server requires a key for reads too.
        cors_origins: origins allowed to call the API from a browser.
        ingest_dir: folder the server's ingest endpoint may read (None: ingest over HTTP is off).
        api_cache: analytic answers the server keeps per store version (0 turns the cache off).
        api_cache_mb: megabytes those answers may take in each server process (0 turns the cache off); an answer
            over an eighth of it is not kept.
        lock_wait: seconds a CLI reader waits for another process's write (an ingest) to finish (0: fail at once).
        config_file: the service's geodrift.toml (feeds, schedule, alerts); None: ./geodrift.toml if it exists.
        coder_cache: folder for the coder's compiled dictionaries and gazetteer ($XDG_CACHE_HOME/geodrift or
            ~/.cache/geodrift); None builds them afresh in every process.
        store: where the store is when set: "lake:PATH" (a Parquet lake, docs/lake.md) or a DuckDB file; overrides db.
        engine: where analytics and lake ingest run: "duckdb" or "spark".
        spark_master: the Spark master for engine "spark" (local[2], spark://host:7077, sc://host:15002 for Connect).
    """

    db: str = DEFAULT_DB
    data_dir: Path = field(default_factory=lambda: Path("../shared/data"))
    cache_dir: Path | None = None
    memory_limit: str = "1GB"
    threads: int = 2
    group_rows: int = 500_000
    read_only: bool = False
    api_keys_file: Path | None = None
    keyed_reads: bool = False
    cors_origins: tuple[str, ...] = ()
    ingest_dir: Path | None = None
    api_cache: int = 512
    api_cache_mb: int = 64
    lock_wait: int = 600
    config_file: Path | None = None
    coder_cache: Path | None = field(default_factory=lambda: _user_cache(os.environ))
    store: str | None = None
    engine: str = "duckdb"
    spark_master: str = "local[2]"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from the GEODRIFT_* variables; this is the only reader of the environment.

        Raises:
            ConfigError: a variable's value is unusable (one line naming it).
        """
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for var, (name, parse) in _VARIABLES.items():
            if var in env:
                values[name] = parse(var, env[var])
        values.setdefault("coder_cache", _user_cache(env))
        return cls(**values)  # type: ignore[arg-type]

    @property
    def location(self) -> str:
        """The store to open: ``store`` when set, else the DuckDB file ``db``."""
        return self.store or self.db

    @property
    def download_dir(self) -> Path:
        """Folder for downloaded files: cache_dir, else beside the store."""
        if self.cache_dir is not None:
            return self.cache_dir
        if self.db == ":memory:":
            return Path(".geodrift-cache")
        return Path(self.db + ".cache")


def _user_cache(env: Mapping[str, str]) -> Path:
    """geodrift's folder in the user's cache ($XDG_CACHE_HOME, else ~/.cache, as the XDG base directory spec says)."""
    base = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".cache")
    return Path(base) / "geodrift"


def _folder_or_off(var: str, text: str) -> Path | None:
    return None if text.strip().lower() in ("", "0", "off", "false", "no") else Path(text)


def coder_cache(env: Mapping[str, str] | None = None) -> Path | None:
    """The coder's cache folder (Settings.coder_cache) from GEODRIFT_CODER_CACHE alone: the coder reads no other
    setting, so a bad unrelated variable does not stop a library caller from coding text."""
    env = os.environ if env is None else env
    var = "GEODRIFT_CODER_CACHE"
    return _folder_or_off(var, env[var]) if var in env else _user_cache(env)


def _int(var: str, text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{var} must be an integer, got {text[:40]!r}") from None
    if value < least:
        raise ConfigError(f"{var} must be at least {least}, got {value}")
    return value


def _flag(var: str, text: str) -> bool:
    if text.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if text.strip().lower() in ("", "0", "false", "no", "off"):
        return False
    raise ConfigError(f"{var} must be 1 or 0, got {text[:40]!r}")


def _engine(var: str, text: str) -> str:
    if text.strip().lower() not in ("duckdb", "spark"):
        raise ConfigError(f"{var} must be duckdb or spark, got {text[:40]!r}")
    return text.strip().lower()


def _store(var: str, text: str) -> str | None:
    if text.strip() in ("", "lake:"):
        raise ConfigError(f"{var} must be lake:PATH or a DuckDB file, got {text[:40]!r}")
    return text.strip()


def _memory(var: str, text: str) -> str:
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*([KMGT]i?B|B)?\s*", text, flags=re.IGNORECASE):
        raise ConfigError(f"{var} must be a size such as 1GB or 512MiB, got {text[:40]!r}")
    return text.strip()


_VARIABLES: dict[str, tuple[str, Callable[[str, str], object]]] = {
    "GEODRIFT_DB": ("db", lambda var, text: text),
    "GEODRIFT_DATA": ("data_dir", lambda var, text: Path(text)),
    "GEODRIFT_CACHE": ("cache_dir", lambda var, text: Path(text)),
    "GEODRIFT_MEMORY": ("memory_limit", _memory),
    "GEODRIFT_THREADS": ("threads", lambda var, text: _int(var, text, 1)),
    "GEODRIFT_GROUP_ROWS": ("group_rows", lambda var, text: _int(var, text, 1)),
    "GEODRIFT_READ_ONLY": ("read_only", _flag),
    "GEODRIFT_API_KEYS_FILE": ("api_keys_file", lambda var, text: Path(text) if text else None),
    "GEODRIFT_KEYED_READS": ("keyed_reads", _flag),
    "GEODRIFT_CORS_ORIGINS": ("cors_origins", lambda var, text: tuple(o.strip() for o in text.split(",") if o.strip())),
    "GEODRIFT_INGEST_DIR": ("ingest_dir", lambda var, text: Path(text) if text else None),
    "GEODRIFT_API_CACHE": ("api_cache", lambda var, text: _int(var, text, 0)),
    "GEODRIFT_API_CACHE_MB": ("api_cache_mb", lambda var, text: _int(var, text, 0)),
    "GEODRIFT_LOCK_WAIT": ("lock_wait", lambda var, text: _int(var, text, 0)),
    "GEODRIFT_CONFIG": ("config_file", lambda var, text: Path(text) if text else None),
    "GEODRIFT_CODER_CACHE": ("coder_cache", _folder_or_off),
    "GEODRIFT_STORE": ("store", _store),
    "GEODRIFT_ENGINE": ("engine", _engine),
    "GEODRIFT_SPARK_MASTER": ("spark_master", lambda var, text: text.strip() or "local[2]"),
}
"""Each variable, the setting it sets and its parser (README documents them all; tests/test_docs.py checks)."""
