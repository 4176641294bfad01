"""A file lacking a column, built from real ICEWS and GDELT rows: the message names the file and the column, and the
rows are read by their header's names or the file is rejected with that reason (attack review F12).

Before, an ICEWS file without "CAMEO Code" quarantined every row as a bad value of the columns that had moved into
its place, one without "Event Date" was "cannot tell the format", and a GDELT extract without EventCode failed with
DuckDB's binder error."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from geodrift.ingest import ingest_file
from geodrift.sources.base import detect_format
from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, georgia_rows

ROWS = 40


def _icews(shared: Path, folder: Path, drop: str, *, reverse: bool = False) -> Path:
    """The first real ICEWS rows without column ``drop`` (and with the columns in reverse order)."""
    with (shared / "icews/events.2018.sample.tab").open(encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for _, line in zip(range(ROWS + 1), fh, strict=False)]
    keep = [i for i, name in enumerate(rows[0]) if name != drop]
    keep = keep[::-1] if reverse else keep
    path = folder / f"icews-without-{drop.replace(' ', '-').lower() or 'nothing'}.tab"
    path.write_text("".join("\t".join(r[i] for i in keep) + "\n" for r in rows), encoding="utf-8")
    return path


def _extract(shared: Path, folder: Path, drop: str) -> Path:
    with gzip.open(shared / "gdelt-v1-georgia-2011-2013/aug2011.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        rows = [row for _, row in zip(range(ROWS + 1), csv.reader(fh), strict=False)]
    at = rows[0].index(drop)
    path = folder / f"extract-without-{drop}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, quoting=csv.QUOTE_ALL).writerows([r[:at] + r[at + 1:] for r in rows])
    return path


def _failure(path: Path) -> str | None:
    """Why ingest rejected ``path`` (the reason it records for the failed file)."""
    with Store() as store:
        result = ingest_file(store, path)
        assert (result.status, result.accepted, result.rejected) == ("failed", 0, 0)
        recorded = store.con.execute("SELECT status, message FROM ingested_files").fetchall()
        assert recorded == [("failed", result.message)], "the failed file is recorded with its reason"
        return result.message


@pytest.mark.parametrize(("drop", "shown"), [("CAMEO Code", "'CAMEO Code'"), ("Event Date", "'Event Date'"),
                                             ("Event ID", "'Event ID'")])
def test_an_icews_file_without_a_required_column_is_rejected_naming_it(shared: Path, tmp_path: Path, drop: str,
                                                                       shown: str) -> None:
    path = _icews(shared, tmp_path, drop)
    assert detect_format(path).name == "icews-tab", "still known as ICEWS"
    assert _failure(path) == (f"{path}: the header lacks the required column {shown} of an ICEWS tab-separated "
                              "event file; no row was read")


def test_an_icews_file_without_an_optional_column_or_in_another_order_is_read_by_name(shared: Path,
                                                                                      tmp_path: Path) -> None:
    with Store() as whole, Store() as partial, Store() as reordered:
        ingest_file(whole, _icews(shared, tmp_path, ""))
        result = ingest_file(partial, _icews(shared, tmp_path, "Latitude"))
        ingest_file(reordered, _icews(shared, tmp_path, "", reverse=True))
        columns = "event_id, event_date, actor1_country, actor2_country, event_code, goldstein, action_geo_lon, outlet"
        expected = whole.df(f"SELECT {columns}, action_geo_lat FROM events ORDER BY event_id")
        assert (result.accepted, result.rejected) == (ROWS, 0)
        got = partial.df(f"SELECT {columns}, action_geo_lat FROM events ORDER BY event_id")
        assert got.drop(columns="action_geo_lat").equals(expected.drop(columns="action_geo_lat"))
        assert got.action_geo_lat.isna().all()
        assert reordered.df(f"SELECT {columns}, action_geo_lat FROM events ORDER BY event_id").equals(expected)


def test_a_gdelt_extract_without_a_column_is_rejected_or_read_by_name(shared: Path, tmp_path: Path) -> None:
    path = _extract(shared, tmp_path, "EventCode")
    assert _failure(path) == (f"{path}: the header lacks the required column 'EventCode' of a GDELT 1.0 event "
                              "extract; no row was read")
    with Store() as store:
        result = ingest_file(store, _extract(shared, tmp_path, "ActionGeo_Lat"))
        assert (result.accepted, result.rejected) == (ROWS, 0)
        located = store.df("SELECT count(action_geo_lat) AS lat, count(action_geo_lon) AS lon FROM events").iloc[0]
        assert (located.lat, located.lon) == (0, store.count_events() - store.df(
            "SELECT count(*) AS n FROM events WHERE action_geo_lon IS NULL").n.iloc[0])


def test_a_gdelt_export_lacking_a_column_throughout_says_so(shared: Path, tmp_path: Path) -> None:
    rows = georgia_rows(shared, limit=10)
    fields = [gdelt1_line(r, with_url=False).split("\t") for r in rows]  # a 57-field export (before April 2013)
    path = tmp_path / "20110801.export.CSV"
    path.write_text("".join("\t".join(f[:26] + f[27:]) + "\n" for f in fields))  # without EventCode
    assert _failure(path) == (f"{path}: its first 10 lines have 56 tab-separated fields; a GDELT 1.0 export has 57 "
                                 "or 58 (fields are known by their place, so a file lacking a column cannot be read; "
                                 "no row was read)")
    damaged = [fields[0][:26] + fields[0][27:], *fields[1:]]  # the first line alone is short: quarantined alone
    path.write_text("".join("\t".join(f) + "\n" for f in damaged))
    with Store() as store:
        result = ingest_file(store, path)
        assert (result.accepted, result.rejected) == (9, 1)
