"""The service's status file ``<db>.service.json``: last run, next run, sources' health, store size.

``geodrift status`` reads this file, never the store: it answers at once while an update writes the store or a
server owns it. Updates write the run and the health table at their end; ``watch`` adds its schedule.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from geodrift.service.lock import holder


def status_path(db: str) -> Path | None:
    return None if db == ":memory:" else Path(db + ".service.json")


def read_status(db: str) -> dict[str, Any]:
    """The status file's content (empty before the first run)."""
    path = status_path(db)
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_status(db: str, **fields: Any) -> None:
    """Merge ``fields`` into the status file (atomically: a reader sees the old file or the new one)."""
    path = status_path(db)
    if path is None:
        return
    data = read_status(db)
    data.update(fields)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    temporary.replace(path)


def store_bytes(db: str) -> int:
    """Bytes of the store file and its write-ahead log."""
    return sum(p.stat().st_size for p in (Path(db), Path(db + ".wal")) if p.exists())


def current(db: str) -> dict[str, Any]:
    """Everything ``geodrift status`` shows: the file's content, whether an update runs now, the store's size."""
    data = read_status(db)
    data["running"] = holder(db)
    data["store_bytes"] = store_bytes(db) if db != ":memory:" else 0
    return data
