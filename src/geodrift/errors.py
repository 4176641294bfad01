"""geodrift's exceptions. Library code raises these; the CLI and API turn them into messages.

    GeodriftError
    ├── ConfigError          bad settings (unknown option value, unwritable path, a broken plug-in)
    ├── InputError           a user-supplied input is unusable (missing file, unknown format, bad date)
    │   └── CorruptFileError a file exists but cannot be read (truncated or corrupt zip, binary junk)
    ├── DownloadError        a remote file could not be fetched (HTTP status, network)
    │   └── ChecksumError    fetched bytes do not match the published size or MD5
    ├── StoreError           the event store cannot be opened or written
    │   ├── StoreLockedError another process is writing the store (DuckDB allows one writer process)
    │   └── StoreOutdatedError an older schema, asked to be opened read-only without upgrading it
    └── LeakageError         a backtest's features or training labels used what was not known at the origin
"""

from __future__ import annotations


class GeodriftError(Exception):
    """Base class of every error geodrift raises on purpose."""


class ConfigError(GeodriftError):
    """A setting is invalid."""


class InputError(GeodriftError):
    """A user-supplied input cannot be used as given."""


class CorruptFileError(InputError):
    """An input file is damaged: the run reports it and goes on with the next file."""


class DownloadError(GeodriftError):
    """A remote file could not be downloaded."""


class ChecksumError(DownloadError):
    """A downloaded file does not match its published size or MD5."""


class StoreError(GeodriftError):
    """The event store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store's write lock; a reader may wait for it to finish."""


class StoreOutdatedError(StoreError):
    """An older store opened read-only with ``upgrade=False`` (a read-only server): upgrading would write it."""


class LeakageError(GeodriftError):
    """Features or training labels used information that was not known at the forecast origin.

    A bug in a feature builder or a model, not bad input: the backtest stops rather than report
    skill it did not earn.
    """
