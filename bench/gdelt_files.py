"""Synthetic GDELT 2.0 export files for benchmarks, resampled from the real Georgia rows.

Each row is a real GDELT 1.0 row (actors, codes, tone, places, as GDELT coded them) drawn with
replacement, given a fresh GLOBALEVENTID, an event date spread over 2020, a DATEADDED stamp and a
source URL, and written in the 61-field GDELT 2.0 layout: realistic value distributions and sizes.
"""

from __future__ import annotations

import zipfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import duckdb

from geodrift.sources.gdelt import field_names


def _real_rows(con: duckdb.DuckDBPyConnection, shared: Path) -> int:
    files = [str(p) for p in sorted((shared / "gdelt-v1-georgia-2011-2013").glob("*.csv.gz"))
             if p.name not in {"december12.csv.gz", "january13.csv.gz", "february13.csv.gz", "april13.csv.gz", "may13.csv.gz"}]
    con.execute(f"""CREATE TABLE real AS SELECT row_number() OVER () - 1 AS rn, *
                    FROM read_csv({files}, all_varchar=true, nullstr='NA', union_by_name=true)""")
    return int(con.execute("SELECT count(*) FROM real").fetchall()[0][0])


def _zip(csv_path: Path) -> Path:
    """Zip one export under a temporary name, renamed when complete: a build stopped midway leaves no partial zip
    that a later build would take for a finished one. Level 1: inflating costs the same as for level 6 (ISA-L), and
    compressing is about three times faster, which matters for the 1,000 files of 100 million rows."""
    target = csv_path.with_suffix(".CSV.zip")
    part = target.with_name(target.name + ".part")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.write(csv_path, csv_path.name.removesuffix(".tmp") + ".CSV")
    part.rename(target)
    csv_path.unlink()
    return target


def build(shared: Path, out: Path, files: int, rows_per_file: int) -> list[Path]:
    """Write ``files`` zipped exports of ``rows_per_file`` rows into ``out`` (reused when present)."""
    out.mkdir(parents=True, exist_ok=True)
    names = [out / f"2020{(i // 96) // 28 + 1:02d}{(i // 96) % 28 + 1:02d}{(i % 96) // 4:02d}{(i % 4) * 15:02d}00.export.CSV.zip"
             for i in range(files)]
    if all(n.exists() for n in names):
        return names
    con = duckdb.connect()
    n_real = _real_rows(con, shared)
    fields = []
    for name in field_names(2):
        if name == "GLOBALEVENTID":
            fields.append("(900000000 + {base} + i)::VARCHAR")
        elif name == "SQLDATE":
            fields.append("strftime(DATE '2020-01-01' + CAST(hash(i, 7) % 366 AS INTEGER), '%Y%m%d')")
        elif name in ("MonthYear", "Year", "FractionDate"):
            fields.append(f"r.{name}")
        elif name == "DATEADDED":
            fields.append("'{stamp}'")
        elif name == "SOURCEURL":
            fields.append("'https://www.' || (['reuters.com','apa.az','news.am','tass.com','aa.com.tr','bbc.co.uk'])"
                          "[1 + CAST(hash(i, 3) % 6 AS INTEGER)] || '/article/' || (hash(i, 5) % 10000000)::VARCHAR")
        elif name.endswith("ADM2Code"):
            fields.append("''")
        else:
            fields.append(f"r.{name}")
    select = ", ".join(f"coalesce({f}, '')" for f in fields)
    # Each file is zipped by a worker while the next is written, a few at a time: 1,000 unzipped exports would
    # take ~40 GB of disk before the first was compressed.
    with ProcessPoolExecutor(2) as pool:
        pending: list[Future[Path]] = []
        for k, target in enumerate(names):
            if target.exists():
                continue
            tmp = target.with_name(target.name.removesuffix(".CSV.zip") + ".tmp")
            query = select.format(base=k * rows_per_file, stamp=target.name[:14])
            con.execute(f"""COPY (SELECT {query} FROM range({rows_per_file}) t(i)
                            JOIN real r ON r.rn = hash(i + {k * rows_per_file}, 11) % {n_real})
                            TO '{tmp}' (DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '')""")
            pending.append(pool.submit(_zip, tmp))
            while len(pending) > 4:
                pending.pop(0).result()
        for future in pending:
            future.result()
    con.close()
    return names
