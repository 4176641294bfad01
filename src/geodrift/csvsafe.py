"""CSV that is safe to open in a spreadsheet (OWASP's rule against formula injection).

A spreadsheet runs a cell beginning with ``=``, ``+``, ``-`` or ``@`` as a formula (and skips a leading
tab, carriage return, line feed or NUL before deciding), so a coded article or a GDELT actor named
``=HYPERLINK("http://evil","x")`` would become a live link in an analyst's sheet. Such text cells, header
cells included, get a leading single quote, which spreadsheets read as "this is text". Numbers stay
numbers, and so does text that is exactly a plain decimal number ("-3.5", "+1e3"): a spreadsheet reads
it as that number and runs nothing. A lone carriage return inside text becomes a line feed: Python's CSV
writer leaves a field holding only a CR unquoted, and spreadsheets would start a new row (and a new,
unneutralised cell) there. Parquet and JSON keep the raw values; only CSV output goes through here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_cell(value: object) -> object:
    """``value`` with a leading quote if it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str):
        return value
    if value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot start a formula."""
    safe = frame.rename(columns=lambda name: neutralise_cell(str(name)))
    for i in range(safe.shape[1]):
        kind = safe.dtypes.iloc[i]
        if is_object_dtype(kind) or is_string_dtype(kind) or isinstance(kind, pd.CategoricalDtype):
            safe.isetitem(i, safe.iloc[:, i].astype(object).map(neutralise_cell).to_numpy(dtype=object))
    return safe


def to_csv(frame: pd.DataFrame, target: str | Path | IO[str] | None = None, **options: object) -> str | None:
    """Write ``frame`` as neutralised CSV without its index (to a string when ``target`` is None).

    ``options`` go to ``DataFrame.to_csv`` (e.g. ``compression``).
    """
    result: str | None = neutralise(frame).to_csv(target, index=False, **options)  # type: ignore[call-overload]
    return result
