"""Build GDELT export files (1.0 daily, 2.0 15-minute) from real rows of the Georgia extract."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

from geodrift.sources.gdelt import field_names


def georgia_rows(shared: Path, name: str = "aug2011.csv.gz", limit: int | None = None) -> list[dict[str, str]]:
    """Real GDELT 1.0 rows as dicts keyed by GDELT field name ('' for R's NA)."""
    with gzip.open(shared / "gdelt-v1-georgia-2011-2013" / name, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = []
        for values in reader:
            if len(values) == len(header) + 1:
                values = values[1:]
            rows.append({k: ("" if v == "NA" else v) for k, v in zip(header, values, strict=True)})
            if limit is not None and len(rows) >= limit:
                break
    return rows


def gdelt1_line(row: dict[str, str], with_url: bool = True) -> str:
    return "\t".join(row.get(n, "") for n in field_names(1, with_url))


def gdelt2_line(row: dict[str, str]) -> str:
    """A 61-field GDELT 2.0 line: ADM2 codes added, DATEADDED stamped to the second."""
    row = dict(row)
    for prefix in ("Actor1", "Actor2", "Action"):
        row[f"{prefix}Geo_ADM2Code"] = ""
    row["DATEADDED"] = row["DATEADDED"] + "101500" if len(row["DATEADDED"]) == 8 else row["DATEADDED"]
    return "\t".join(row.get(n, "") for n in field_names(2))


def write_zip(path: Path, lines: list[str], member: str | None = None) -> Path:
    """A GDELT-style zip holding one CSV member (tab-separated, no header)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member or path.name.removesuffix(".zip"), "\n".join(lines) + "\n")
    path.write_bytes(buf.getvalue())
    return path
