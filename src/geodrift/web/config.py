"""Server settings and API keys: keys are random tokens; only their SHA-256 hashes are kept at rest."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from geodrift.config import Settings
from geodrift.errors import InputError


def new_key() -> tuple[str, str]:
    """A fresh API key and the hash line to put in the keys file."""
    key = "gd_" + secrets.token_urlsafe(32)
    return key, hash_key(key)


def hash_key(key: str) -> str:
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def read_key_hashes(path: Path) -> frozenset[str]:
    """One 'sha256:<hex>' per line (comments with #); a clear error for anything else."""
    if not path.is_file():
        raise InputError(f"{path}: API keys file not found")
    hashes = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if not (line.startswith("sha256:") and len(line) == 71):
            raise InputError(f"{path}:{number}: expected 'sha256:' and 64 hex digits (geodrift apikey new)")
        hashes.add(line)
    return frozenset(hashes)


@dataclass(frozen=True)
class ServeSettings:
    """What the operator chooses: which store, who may write (and read), from which origins, how much at once."""

    db: str
    read_only: bool = False
    key_hashes: frozenset[str] = field(default_factory=frozenset)
    keyed_reads: bool = False
    cors_origins: tuple[str, ...] = ()
    max_page: int = 1000
    max_days: int = 3660
    """Largest date range one series or analysis request may span (query cost limit)."""
    data_dir: Path | None = None
    """Folder the ingest endpoint may read from (None: ingest over HTTP is off)."""
    cache_size: int = 512
    """Analytic answers kept per store version (0: recompute every request)."""
    cache_bytes: int = 64 << 20
    """Bytes those answers may take (0: recompute every request); one over an eighth of it is not kept."""

    memory_limit: str = "1GB"
    threads: int = 2

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> ServeSettings:
        """The server's settings from the one settings object (GEODRIFT_* variables), then the CLI's options.

        Raises:
            InputError: the API keys file is missing or malformed.
        """
        keys = settings.api_keys_file
        base = cls(db=settings.db, read_only=settings.read_only,
                   key_hashes=read_key_hashes(keys) if keys else frozenset(), keyed_reads=settings.keyed_reads,
                   cors_origins=settings.cors_origins, data_dir=settings.ingest_dir, cache_size=settings.api_cache,
                   cache_bytes=settings.api_cache_mb << 20,
                   memory_limit=settings.memory_limit, threads=settings.threads)
        return replace(base, **overrides)  # type: ignore[arg-type]

    def accepts(self, key: str | None) -> bool:
        """Constant-time check of a presented key against the stored hashes."""
        if not key:
            return False
        presented = hash_key(key)
        return any(hmac.compare_digest(presented, h) for h in self.key_hashes)
