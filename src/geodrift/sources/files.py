"""Checks on the files a user names, shared by ``geodrift ingest`` and ``geodrift code``.

Kept apart from ingest.py so that the coding verb checks its inputs without importing the store (DuckDB, pyarrow).
"""

from __future__ import annotations

from pathlib import Path

from geodrift.errors import InputError


def check_file(path: Path) -> None:
    """InputError unless ``path`` is a regular file: a FIFO or a device (/dev/zero) would block or never end."""
    if not path.is_file():
        raise InputError(f"{path}: not a regular file" if path.exists() else f"{path}: no such file or folder")
