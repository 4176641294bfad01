"""GDELT formats on real rows: the BigQuery extract as shipped, and export files built from it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from geodrift.ingest import ingest_file, ingest_files
from geodrift.sources.base import detect_format
from geodrift.sources.gdelt import field_names
from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, gdelt2_line, georgia_rows, write_zip

GEORGIA = "gdelt-v1-georgia-2011-2013"


def data_lines(path: Path) -> int:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return sum(1 for _ in fh) - 1


def test_bigquery_extract_is_ingested_whole(shared: Path, store: Store) -> None:
    path = shared / GEORGIA / "aug2011.csv.gz"
    assert detect_format(path).name == "gdelt-csv"
    result = ingest_file(store, path)
    assert result.status == "done"
    assert result.accepted + result.duplicate == data_lines(path)
    assert result.rejected == 0
    row = store.df("SELECT * FROM events WHERE event_id = 'gdelt1:71783191'").iloc[0]
    assert row.event_code == "036" and row.event_root_code == "03" and row.quad_class == 1
    assert row.goldstein == 4.0 and row.num_mentions == 18 and row.num_sources == 2
    assert row.action_geo_country == "GEO" and row.action_geo_country_raw == "GG"
    assert str(row.event_date)[:10] == "2011-08-01" and str(row.date_added)[:10] == "2013-02-03"
    assert row.actor2_role == "BUS" and row.plover == "AGREE"


def test_row_number_quirk_files_keep_fields_aligned(shared: Path, store: Store) -> None:
    path = shared / GEORGIA / "december12.csv.gz"
    result = ingest_file(store, path)
    assert result.accepted + result.duplicate == data_lines(path) and result.rejected == 0
    raw = store.df("SELECT DISTINCT actor1_country_raw FROM events WHERE actor1_country_raw IS NOT NULL")
    assert raw.actor1_country_raw.str.fullmatch(r"[A-Z]{3}").all()
    assert store.df("SELECT count(*) AS n FROM events WHERE actor1_country = 'RUS'").n[0] > 0


def test_region_codes_keep_raw_value_and_no_country(shared: Path, store: Store) -> None:
    ingest_file(store, shared / GEORGIA / "aug2011.csv.gz")
    regions = store.df("SELECT actor1_country_raw, actor1_country FROM events WHERE actor1_country_raw IN ('EUR', 'WST')")
    assert len(regions) > 0 and regions.actor1_country.isna().all()


@pytest.mark.parametrize("with_url", [True, False])
def test_gdelt1_daily_export_matches_the_extract(shared: Path, tmp_path: Path, with_url: bool) -> None:
    rows = georgia_rows(shared, limit=500)
    path = write_zip(tmp_path / "20110801.export.CSV.zip", [gdelt1_line(r, with_url) for r in rows])
    fmt = detect_format(path)
    assert fmt.name == "gdelt1"
    with Store() as export_store, Store() as csv_store:
        result = ingest_file(export_store, path)
        assert (result.accepted, result.rejected) == (500, 0)
        ingest_file(csv_store, shared / GEORGIA / "aug2011.csv.gz")
        cols = "event_id, event_date, actor1_country, actor2_country, event_code, quad_class, goldstein, action_geo_lat"
        mine = export_store.df(f"SELECT {cols} FROM events ORDER BY event_id")
        ids = ", ".join(f"'{i}'" for i in mine.event_id)
        theirs = csv_store.df(f"SELECT {cols} FROM events WHERE event_id IN ({ids}) ORDER BY event_id")
        assert mine.equals(theirs)


def test_gdelt2_export_and_translingual_names(shared: Path, tmp_path: Path, store: Store) -> None:
    rows = georgia_rows(shared, limit=300)
    english = write_zip(tmp_path / "20200712101500.export.CSV.zip", [gdelt2_line(r) for r in rows[:200]])
    trans = write_zip(tmp_path / "20200712101500.translation.export.CSV.zip", [gdelt2_line(r) for r in rows[200:]])
    assert detect_format(english).name == "gdelt2" and detect_format(trans).name == "gdelt2"
    assert ingest_file(store, english).accepted == 200
    assert ingest_file(store, trans).accepted == 100
    stamps = store.df("SELECT DISTINCT strftime(date_added, '%H:%M:%S') AS t FROM events").t
    assert stamps.tolist() == ["10:15:00"]
    assert store.df("SELECT count(*) AS n FROM events WHERE source = 'gdelt2'").n[0] == 300


def test_each_malformed_row_class_is_quarantined_with_line_and_field(shared: Path, tmp_path: Path, store: Store) -> None:
    rows = georgia_rows(shared, limit=8)
    lines = [gdelt1_line(r) for r in rows]
    lines[1] = lines[1].rsplit("\t", 3)[0]  # wrong column count
    lines[2] = lines[2].replace(rows[2]["SQLDATE"], "20111345", 1)  # impossible date
    fields = lines[3].split("\t")
    fields[30] = "minus four"  # GoldsteinScale not numeric
    lines[3] = "\t".join(fields)
    fields = lines[4].split("\t")
    fields[26] = "999"  # no such CAMEO code
    lines[4] = "\t".join(fields)
    fields = lines[5].split("\t")
    fields[26] = ""  # EventCode missing
    lines[5] = "\t".join(fields)
    data = "\n".join(lines).encode("utf-8") + b"\n"
    data = data.replace(rows[6]["Actor1Name"].encode() if rows[6]["Actor1Name"] else b"\tGeorgia\t",
                        b"\tGe\xffrgia\t", 1)  # invalid UTF-8 in row 7
    path = tmp_path / "20110801.export.CSV"
    path.write_bytes(data)
    result = ingest_file(store, path)
    assert result.accepted + result.rejected == 8
    q = store.df("SELECT line, reason, raw FROM quarantine ORDER BY line NULLS LAST")
    reasons = dict(zip(q.line.astype("Int64"), q.reason, strict=True))
    assert "MISSING COLUMNS" in reasons[2]
    assert "CAST in field SQLDATE" in reasons[3]
    assert "CAST in field GoldsteinScale" in reasons[4]
    assert "CAST in field EventCode" in reasons[5]
    assert any("MISSING VALUE in field EventCode" in r for r in q.reason)
    assert any("INVALID ENCODING" in r for r in q.reason)
    assert result.accepted == 2 and result.rejected == 6
    assert all(q.raw.str.len() > 50)


@pytest.mark.parametrize("version", [1, 2])
def test_numbers_that_are_no_value_or_no_place_are_quarantined(shared: Path, tmp_path: Path, store: Store,
                                                                version: int) -> None:
    """Attack review 8 F12/F5: an AvgTone of inf was stored, made its dyad-month's tone inf for good, and the API
    answered with Infinity (not JSON); a latitude of 999 was kept and set a map's axes to empty space."""
    rows = georgia_rows(shared, limit=6)
    line = gdelt1_line if version == 1 else gdelt2_line
    names = field_names(version)
    damage = {1: ("AvgTone", "inf"), 2: ("GoldsteinScale", "-inf"), 3: ("ActionGeo_Lat", "999"),
              4: ("ActionGeo_Long", "-180.5")}
    lines = []
    for i, row in enumerate(rows):
        fields = line(row).split("\t")
        if i in damage:
            fields[names.index(damage[i][0])] = damage[i][1]
        lines.append("\t".join(fields))
    path = write_zip(tmp_path / ("20110801.export.CSV.zip" if version == 1 else "20110801000000.export.CSV.zip"),
                     lines)
    result = ingest_file(store, path, f"gdelt{version}")
    assert (result.accepted + result.duplicate, result.rejected) == (2, 4)
    reasons = sorted(store.df("SELECT reason FROM quarantine").reason)
    assert reasons == sorted([
        "BAD VALUE in field AvgTone: inf is not a finite number",
        "BAD VALUE in field GoldsteinScale: -inf is not a finite number",
        "BAD VALUE in field ActionGeo_Lat: 999.0 is not a coordinate (|value| <= 90)",
        "BAD VALUE in field ActionGeo_Long: -180.5 is not a coordinate (|value| <= 180)"])
    assert store.df("SELECT count(*) AS n FROM events WHERE NOT isfinite(avg_tone) OR abs(action_geo_lat) > 90").n[0] == 0


@pytest.mark.parametrize("damage", ["truncate", "garbage", "crc"])
def test_corrupt_zip_is_reported_and_the_run_goes_on(shared: Path, tmp_path: Path, store: Store, damage: str) -> None:
    rows = georgia_rows(shared, limit=300)
    bad = write_zip(tmp_path / "20110801.export.CSV.zip", [gdelt1_line(r) for r in rows[:150]])
    data = bad.read_bytes()
    if damage == "truncate":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    else:  # flip a byte inside the compressed member: the CRC check fails
        mid = len(data) // 2
        bad.write_bytes(data[:mid] + bytes([data[mid] ^ 0xFF]) + data[mid + 1:])
    good = write_zip(tmp_path / "20110802.export.CSV.zip", [gdelt1_line(r) for r in rows[150:]])
    first = ingest_file(store, bad, "gdelt1")
    second = ingest_file(store, good)
    assert first.status == "failed" and "corrupt or truncated zip" in (first.message or "")
    assert second.status == "done" and second.accepted == 150
    assert store.count_events() == 150
    assert store.df("SELECT status FROM ingested_files ORDER BY file_id").status.tolist() == ["failed", "done"]


def test_a_file_damaged_where_its_format_is_sniffed_is_failed_and_the_run_goes_on(shared: Path, tmp_path: Path,
                                                                                 store: Store) -> None:
    """Attacker review 6 (F1): a zip or gzip whose first compressed block is damaged raised zlib.error out of the
    format sniffing, so a folder ingest stopped with a traceback and its good files were never ingested."""
    rows = georgia_rows(shared, limit=300)
    bad_zip = write_zip(tmp_path / "20110801.export.CSV.zip", [gdelt1_line(r) for r in rows[:100]])
    data = bytearray(bad_zip.read_bytes())
    for at in range(120, 320):
        data[at] ^= 0x55
    bad_zip.write_bytes(bytes(data))
    bad_gzip = tmp_path / "20110802.export.CSV.gz"
    packed = bytearray(gzip.compress("\n".join(gdelt1_line(r) for r in rows[100:200]).encode()))
    for at in range(30, 200):
        packed[at] ^= 0x55
    bad_gzip.write_bytes(bytes(packed))
    good = write_zip(tmp_path / "20110803.export.CSV.zip", [gdelt1_line(r) for r in rows[200:]])
    results = ingest_files(store, [bad_zip, bad_gzip, good])
    assert [r.status for r in results] == ["failed", "failed", "done"], [r.message for r in results]
    assert all(r.message for r in results[:2])
    assert results[2].accepted == 100 and store.count_events() == 100
