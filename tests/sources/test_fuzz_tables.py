"""Property-based fuzzing of the conflict-history formats (UCDP, COW) and UCDP GED: real records, damaged at
random, are each accounted for.

Whatever the damage (fields replaced by junk or control characters, dropped or added, records cut short or
repeated), the ingest never fails with an exception, and every data line ends up stored (its key is in the
format's table), or quarantined with its line's text: nothing is lost silently.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from geodrift.ingest import ingest_file
from geodrift.sources.base import FileFormat, get_format
from geodrift.sources.tables import TableFormat, _convert
from geodrift.store import Store
from tests.sources.test_fuzz import DAMAGE, SHARED, damaged, ingest_damaged

FILES = {
    "ucdp-acd": "ucdp/ucdp-prio-acd-221.csv",
    "ucdp-brd": "ucdp/ucdp-brd-dyadic-221.csv",
    "ucdp-ged": "ucdp/ged191_syria.csv.gz",
    "cow-mida": "cow-mid/MIDA_5.0.csv",
    "cow-midb": "cow-mid/MIDB_5.0.csv",
    "cow-midi": "cow-mid/MIDI_5.0.csv",
    "cow-midip": "cow-mid/MIDIP_5.0.csv",
    "cow-mid-dyad-years": "cow-mid/cow_mid_dyad_year_peacesciencer.csv",
}
"""A real file of each format, whose header and first 30 records are fuzzed."""


def _records(name: str) -> tuple[str, list[str]]:
    path = SHARED / FILES[name]
    if not path.is_file():
        pytest.fail(f"{path} is missing: the fuzz tests start from real files in ../shared/data")
    with (gzip.open(path, "rt", encoding="utf-8-sig") if path.suffix == ".gz" else path.open(encoding="utf-8-sig")) as fh:
        text = fh.read(400_000)
    # Whole records (a GED headline may hold a quoted line break), re-written one per line.
    rows = list(csv.reader(text.splitlines()[:200]))
    lines = []
    for row in rows[1:31]:
        out = []
        csv.writer(_Sink(out), lineterminator="").writerow(row)
        lines.append(out[0])
    header = []
    csv.writer(_Sink(header), lineterminator="").writerow(rows[0])
    return header[0], lines


class _Sink:
    def __init__(self, out: list[str]) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.append(text)


def _key(name: str, header: list[str], line: str) -> tuple[object, ...] | None:
    """The stored key a line would have, or None when it cannot be stored (wrong field count, bad key value)."""
    fields = next(csv.reader([line]), [])
    if len(fields) != len(header):
        return None
    record = dict(zip(header, fields, strict=True))
    fmt = get_format(name)
    if not isinstance(fmt, TableFormat):
        try:
            return (str(int(float(record["id"]))),)
        except (ValueError, OverflowError):
            return None
    types = fmt.spec.columns_by_name()
    try:
        return tuple(_convert(record.get(k, ""), types[k], k) for k in fmt.spec.key)
    except ValueError:
        return None


def _stored_keys(fmt: FileFormat) -> Callable[[Store], set[tuple[object, ...]]]:
    """What ``_key`` gives for a stored row of ``fmt``: its table's key, or a GED event's id."""
    if isinstance(fmt, TableFormat):
        keys, table = ", ".join(fmt.spec.key), fmt.table
        return lambda store: set(store.df(f"SELECT {keys} FROM {table}").itertuples(index=False, name=None))
    return lambda store: {(i,) for i in store.df("SELECT source_event_id FROM events").source_event_id}


def _check(name: str, damage: list[tuple[int, str, int, str]], folder: Path) -> None:
    head, records = _records(name)
    lines = damaged(records, damage)
    path = folder / f"{name}.csv"
    path.write_text("\n".join([head, *lines]) + "\n", encoding="utf-8")
    found = ingest_damaged(path, name, len(lines), _stored_keys(get_format(name)), numbered=True)
    if found is None:
        return
    stored, kept = found
    header = next(csv.reader([head]))
    lost = [line for line in lines if _key(name, header, line) not in stored and line[:40] not in kept
            and max(line.split(","), key=len).strip('"')[:40] not in kept]
    assert not lost, f"{len(lost)} lines neither stored nor quarantined, e.g. {lost[0][:120]!r}"


@pytest.mark.parametrize("name", FILES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=DAMAGE)
def test_damaged_records_are_stored_or_quarantined(name: str, damage: list[tuple[int, str, int, str]],
                                                   tmp_path: Path) -> None:
    _check(name, damage, tmp_path)


@pytest.mark.long
@pytest.mark.parametrize("name", FILES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=DAMAGE)
def test_damaged_records_are_stored_or_quarantined_long(name: str, damage: list[tuple[int, str, int, str]],
                                                        tmp_path: Path) -> None:
    _check(name, damage, tmp_path)


def test_a_record_with_an_extra_field_is_quarantined_with_its_line_and_the_rest_kept(tmp_path: Path) -> None:
    """pandas' reader failed the whole file on such a record, and numbered rows by position, not by line."""
    head, lines = _records("ucdp-brd")
    lines[4] = lines[4] + ",extra"
    path = tmp_path / "brd.csv"
    path.write_text("\n".join([head, *lines[:10]]) + "\n", encoding="utf-8")
    with Store() as store:
        result = ingest_file(store, path, "ucdp-brd")
        assert (result.status, result.accepted, result.rejected) == ("done", 9, 1)
        line, reason = store.con.execute("SELECT line, reason FROM quarantine").fetchall()[0]
        assert line == 6 and reason.startswith("FIELD COUNT")


@pytest.mark.parametrize(("name", "field"), [("ucdp-ged", "id"), ("ucdp-brd", "gwno_a"), ("ucdp-ged", "country_id")])
def test_an_infinite_number_is_a_bad_value_not_a_crash(name: str, field: str, tmp_path: Path) -> None:
    head, lines = _records(name)
    header = next(csv.reader([head]))
    row = next(csv.reader([lines[0]]))
    row[header.index(field)] = "inf"
    out: list[str] = []
    csv.writer(_Sink(out), lineterminator="").writerow(row)
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join([head, out[0], *lines[1:5]]) + "\n", encoding="utf-8")
    with Store() as store:
        result = ingest_file(store, path, name)
        assert (result.status, result.accepted, result.rejected) == ("done", 4, 1)
        assert store.con.execute("SELECT line FROM quarantine").fetchall() == [(2,)]


def test_a_quote_left_open_does_not_swallow_the_next_record(tmp_path: Path) -> None:
    """Found by the fuzz test: a UCDP ACD line cut after an opening quote ran on into the next line, and the pair
    parsed as one record with the right number of fields, the second record stored inside a text field. ACD fields
    never hold line breaks, so a record over two lines is quarantined, whatever its field count."""
    head, lines = _records("ucdp-acd")
    header = next(csv.reader([head]))
    row = next(csv.reader([lines[0]]))
    row[header.index("location")] = row[header.index("location")] + "\n" + lines[1]
    out: list[str] = []
    csv.writer(_Sink(out), lineterminator="").writerow(row)
    path = tmp_path / "acd.csv"
    path.write_text("\n".join([head, out[0], *lines[2:6]]) + "\n", encoding="utf-8")
    with Store() as store:
        result = ingest_file(store, path, "ucdp-acd")
        assert (result.status, result.accepted, result.rejected) == ("done", 4, 1)
        line, reason = store.con.execute("SELECT line, reason FROM quarantine").fetchall()[0]
        assert line == 2 and reason.startswith("LINE BREAK")
