"""The one interface every event source implements, and the registry that finds them.

A *format* reads one input file into batches of the canonical event schema
(geodrift.events.EVENT_SCHEMA) and reports the rows it rejected. Formats are registered
in the ``geodrift.formats`` group (geodrift/plugins.py): the built-ins there, a third-party
package's through an entry point of that group.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from geodrift import plugins
from geodrift.errors import InputError
from geodrift.events import EARLIEST, LATEST, date_range_text

if TYPE_CHECKING:
    from geodrift.sources.delimited import Scan


@dataclass(frozen=True)
class Rejected:
    """A row that could not become an event: kept in the store's quarantine, never dropped."""

    line: int | None
    raw: str
    reason: str


@dataclass
class ParsedFile:
    """What reading one file gives: canonical batches, then (once they are consumed) its rejects."""

    batches: Iterator[pa.RecordBatch]
    rejected: list[Rejected] = field(default_factory=list)
    extra: dict[str, list[pa.RecordBatch]] = field(default_factory=dict)
    """Rows for side tables of the store (conflict_schema.py), keyed by table, e.g. the deaths of GED events."""
    scan: Scan | None = None
    """For delimited files: the parse as SQL over DuckDB's reader, which ingest runs in the store's own
    connection instead of reading ``batches`` (geodrift.sources.delimited)."""

    def close(self) -> None:
        """Stop a partly read stream, freeing its parser (a format's open() calls this on exit)."""
        close = getattr(self.batches, "close", None)
        if close is not None:
            close()


def within_dates(batches: Iterable[pa.RecordBatch], rejected: list[Rejected]) -> Iterator[pa.RecordBatch]:
    """``batches`` without the rows dated outside EARLIEST..LATEST, which go to ``rejected``.

    Every format's batches pass here on their way to the store (geodrift.ingest), so no event is
    ever stored with an event date (or a date added) outside the supported range, whatever its
    format. Formats that can name the line and its text check earlier (delimited.py, curated.py);
    rows caught here are quarantined without a line number, their canonical values as text.
    """
    low, high = pa.scalar(EARLIEST, pa.date32()), pa.scalar(LATEST, pa.date32())
    for batch in batches:
        day = batch.column("event_date")
        added = pc.cast(batch.column("date_added"), pa.date32())
        ok = pc.and_(
            pc.fill_null(pc.and_(pc.greater_equal(day, low), pc.less_equal(day, high)), False),
            pc.fill_null(pc.and_(pc.greater_equal(added, low), pc.less_equal(added, high)), True),
        )
        if pc.all(ok).as_py():
            yield batch
            continue
        for row in batch.filter(pc.invert(ok)).to_pylist():
            when = row["event_date"]
            field_name, value = ("event_date", when) if when is None or not EARLIEST <= when <= LATEST else (
                "date_added", row["date_added"])
            text = "\t".join("" if v is None else str(v) for v in row.values())
            rejected.append(Rejected(None, text, f"DATE OUT OF RANGE in field {field_name}: {value} "
                                                 f"(supported {date_range_text()})"))
        yield batch.filter(ok)


class FileFormat(ABC):
    """A kind of input file, e.g. a GDELT 2.0 export or an ICEWS tab file."""

    name: ClassVar[str]
    """Format name users pass to --format."""
    source: ClassVar[str]
    """Value of the events' ``source`` column; also the event-id prefix."""
    table: ClassVar[str] = "events"
    """Store table the batches go to: "events" (the canonical schema), or a conflict-history table
    (geodrift.conflict_schema), whose batches have that table's schema."""

    @classmethod
    @abstractmethod
    def sniff(cls, path: Path, head: str) -> bool:
        """Whether ``path`` (whose first line is ``head``) is in this format."""

    @abstractmethod
    def open(self, path: Path) -> AbstractContextManager[ParsedFile]:
        """Read ``path``; temporary resources live until the context exits.

        Raises:
            CorruptFileError: the file is damaged; the caller skips it and goes on.
        """


def formats() -> dict[str, type[FileFormat]]:
    """All registered formats by name, built-in ones first (the order they are sniffed in)."""
    return {cls.name: cls for cls in plugins.load(plugins.FORMATS).values()}


def get_format(name: str) -> FileFormat:
    """The format called ``name``.

    Raises:
        InputError: no format has that name.
    """
    try:
        return formats()[name]()
    except KeyError:
        known = ", ".join(sorted(formats()))
        raise InputError(f"unknown format {name!r}; known formats: {known}") from None


def detect_format(path: Path) -> FileFormat:
    """Guess the format of ``path`` from its name and first line.

    Raises:
        InputError: the file is missing or no format recognises it.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    head = first_line(path)
    for cls in formats().values():
        if cls.sniff(path, head):
            return cls()
    known = ", ".join(sorted(formats()))
    raise InputError(f"{path}: cannot tell the format from its name or first line; pass --format (one of {known})")


def first_line(path: Path, limit: int = 65536) -> str:
    """First line of a plain, gzip or zip file, decoded leniently (for sniffing only)."""
    import gzip
    import zipfile
    import zlib

    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
                if not names:
                    return ""
                with zf.open(names[0]) as fh:
                    raw = fh.readline(limit)
        elif is_gzip(path):
            with gzip.open(path) as fh:
                raw = fh.readline(limit)
        else:
            with path.open("rb") as fh:
                raw = fh.readline(limit)
    except (OSError, zipfile.BadZipFile, EOFError, zlib.error):  # damaged: its format's reader names the damage
        return ""
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def is_gzip(path: Path) -> bool:
    """Whether ``path`` starts with the gzip magic bytes."""
    with path.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"
