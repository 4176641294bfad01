"""One update at a time per store: an advisory lock file beside it (``<db>.update.lock``, fcntl.flock).

The kernel drops the lock when its holder dies, even by kill -9, so a stale file never blocks the next run; the
file's text (PID and start time) only names the holder in the message a second run prints.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geodrift.errors import StoreLockedError


def lock_path(db: str) -> Path | None:
    """The lock file of a store file (None for an in-memory store, which no other process can reach)."""
    return None if db == ":memory:" else Path(db + ".update.lock")


def holder(db: str) -> str | None:
    """'PID n since T' of a running update, or None when none is running."""
    path = lock_path(db)
    if path is None or not path.exists():
        return None
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            return fh.read().strip() or "another process"
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


@contextmanager
def update_lock(db: str) -> Iterator[None]:
    """Hold the store's update lock for the block.

    Raises:
        StoreLockedError: another update holds it (the message names its PID and start time).
    """
    path = lock_path(db)
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = path.open("a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            who = fh.read().strip() or "another process"
            raise StoreLockedError(f"{db}: another geodrift update is running ({who}); this one stops, nothing was "
                                   "changed") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"PID {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        fh.flush()
        yield
        fh.seek(0)
        fh.truncate()
    finally:
        fh.close()
