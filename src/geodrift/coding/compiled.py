"""Compiled dictionaries kept between processes, so a short ``geodrift code`` does not rebuild them every time.

Building the packaged lexicon (coding/lexicon.py) and the gazetteer with its ADM1 names (coding/places.py) from
their data files takes seconds; the results are written once to the user's cache folder
(``Settings.coder_cache``: $GEODRIFT_CODER_CACHE, else $XDG_CACHE_HOME/geodrift, never the repository) and read
back by later processes.

A cache file is named by its key: a SHA-256 of the cache format, geodrift's version, the source of the modules
that build it and the data it is built from (the contents of geodrift's own data files; the version, size and
modification time of a third-party package's data, which only changes on reinstall). Beside each file, a small
JSON record holds its key and the SHA-256 of its bytes: a file is used only when both match, so a stale, truncated
or edited file is rebuilt and rewritten, never trusted. Files are JSON or SQLite, never pickle: reading one runs no
code. Writing is atomic (a temporary file renamed into place), so processes building at once each leave a whole
file; a folder that cannot be written only means building in every process.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from types import ModuleType

FORMAT = "1"
"""Bumped when the layout of a cache file changes."""


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while an index of many small objects is made: they hold no cycles,
    and the collections their allocation triggers took over half the time of reading the lexicon."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_key(name: str, data: Iterable[Path] = (), modules: Iterable[ModuleType] = (),
              packages: Iterable[tuple[str, Path]] = ()) -> str:
    """The key of cache file ``name``: what it is built from.

    Args:
        data: files whose contents it is built from (geodrift's own data).
        modules: modules whose source builds it (a change to the builder makes older files stale).
        packages: (distribution, data file) of third-party data, keyed by version, size and modification time.
    """
    digest = hashlib.sha256(f"{FORMAT}|{name}|{_version('geodrift')}".encode())
    for path in data:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for module in modules:
        digest.update(module.__name__.encode() + b"\0" + Path(str(module.__file__)).read_bytes() + b"\0")
    for distribution, path in packages:
        stat = path.stat()
        digest.update(f"{distribution}={_version(distribution)}|{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _paths(folder: Path, name: str, key: str, suffix: str) -> tuple[Path, Path]:
    data = folder / f"{name}-{key}{suffix}"
    return data, data.with_name(data.name + ".check.json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verified(folder: Path, name: str, key: str, suffix: str) -> Path | None:
    """The cache file for ``name`` and ``key`` when it exists and its bytes are the ones written; else None."""
    data, check = _paths(folder, name, key, suffix)
    try:
        record = json.loads(check.read_text(encoding="utf-8"))
        if not (isinstance(record, dict) and record.get("key") == key and record.get("sha256") == _sha256(data)):
            return None
    except (OSError, ValueError):
        return None
    return data


def store(folder: Path, name: str, key: str, suffix: str, write: Callable[[Path], None]) -> Path | None:
    """Write the cache file for ``name`` and ``key`` with ``write(path)`` and record its checksum; older files of
    ``name`` are removed. None when the folder cannot be written."""
    data, check = _paths(folder, name, key, suffix)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=suffix)
        os.close(handle)
        try:
            Path(temporary).unlink()  # the writer creates the file itself (SQLite wants none there)
            write(Path(temporary))
            record = json.dumps({"key": key, "sha256": _sha256(Path(temporary))})
            os.replace(temporary, data)
        finally:
            Path(temporary).unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(record)
        os.replace(temporary, check)
        for old in folder.glob(f"{name}-*"):
            if old not in (data, check) and not old.name.startswith(f"{name}-{key}"):
                old.unlink(missing_ok=True)
    except OSError:
        return None
    return data
