"""UCDP and COW files: conflict-years, battle deaths and disputes into their own tables, GED into events."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from geodrift.ingest import ingest_files
from geodrift.sources.base import detect_format
from geodrift.store import Store


@pytest.fixture(scope="module")
def conflict_store(shared: Path) -> Store:
    store = Store(":memory:")
    ingest_files(store, [shared / "ucdp/ucdp-prio-acd-221.csv", shared / "ucdp/ucdp_acd_v25_1_unnested.csv",
                         shared / "ucdp/ucdp-brd-dyadic-221.csv", shared / "cow-mid/MIDA_5.0.csv",
                         shared / "cow-mid/MIDB_5.0.csv", shared / "cow-mid/cow_mid_dyad_year_peacesciencer.csv"])
    return store


def test_acd_keeps_sides_and_maps_codes(conflict_store: Store) -> None:
    rows = conflict_store.df("SELECT * FROM conflict_years WHERE conflict_id = 388 ORDER BY version, year")
    v25 = rows[rows.version == "25.1"]
    assert sorted(v25.year) == [1991, 1992, 1993, 1994, 1997, 1998, 2005, 2008, 2012, 2014, 2015, 2016, 2017,
                                2020, 2021, 2022, 2023]
    war = v25[v25.year == 2020].iloc[0]
    assert war.intensity_level == 2 and war.iso3_a == "AZE" and war.iso3_a_2nd == "TUR" and war.iso3_b_2nd == "ARM"
    assert war.type_of_conflict == "internationalized intrastate" and war.incompatibility == "territory"
    named = rows[(rows.version == "22.1") & (rows.year == 2020)].iloc[0]
    assert named.side_a == "Government of Azerbaijan" and named.side_b_2nd == "Government of Armenia"


def test_unnested_rows_become_one_conflict_year(conflict_store: Store) -> None:
    counts = conflict_store.df("SELECT count(*) AS n, count(DISTINCT (conflict_id, year)) AS k FROM conflict_years "
                               "WHERE version = '25.1'")
    assert counts.n[0] == counts.k[0] == 2752


def test_brd_and_mid(conflict_store: Store) -> None:
    brd = conflict_store.df("SELECT count(*) AS n, min(year) AS lo, max(year) AS hi FROM battle_deaths")
    assert (brd.n[0], brd.lo[0], brd.hi[0]) == (1403, 1989, 2021)
    arm_aze = conflict_store.df("SELECT DISTINCT dispnum FROM mid_dyad_years WHERE iso3_1 = 'ARM' AND iso3_2 = 'AZE'")
    assert {3564, 4414} <= set(arm_aze.dispnum)
    assert conflict_store.df("SELECT hostlev FROM mid_disputes WHERE dispnum = 4414").hostlev[0] == 4
    soviet = conflict_store.df("SELECT DISTINCT iso3 FROM mid_participants WHERE ccode = 365")
    assert list(soviet.iso3) == ["RUS"]


def test_bad_rows_are_quarantined_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "acd.csv"
    path.write_text("conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,incompatibility,intensity_level,"
                    "type_of_conflict\n388,2020,373,640,,371,1,2,4\n,2021,373,,,,1,1,4\n389,20x1,373,,,,1,1,4\n"
                    "390,2020,abc,,,,1,1,4\n")
    store = Store(":memory:")
    result = ingest_files(store, [path], "ucdp-acd")[0]
    assert (result.accepted, result.rejected) == (1, 3)
    reasons = sorted(store.df("SELECT reason FROM quarantine").reason)
    assert reasons[0].startswith("BAD CODE in field gwno_a") and "20x1" in reasons[1]
    assert reasons[2].startswith("MISSING KEY: field conflict_id")
    again = ingest_files(store, [path], "ucdp-acd")[0]
    assert again.status == "skipped"


def test_a_number_no_state_ever_had_is_quarantined_but_a_state_without_iso3_is_kept(tmp_path: Path) -> None:
    """Attacker review 6 (F10): gwno_a 999999 was stored with no country and nothing said so, so Egypt's side of
    the conflict-year vanished from the features. Hyderabad (GW 751, 1947-48) has no ISO3 unit and is kept."""
    path = tmp_path / "acd.csv"
    path.write_text("conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,incompatibility,intensity_level,"
                    "type_of_conflict\n11343,1973,999999,,666,,1,2,2\n203,1948,750,,751,,1,2,2\n")
    store = Store(":memory:")
    result = ingest_files(store, [path], "ucdp-acd")[0]
    assert (result.accepted, result.rejected) == (1, 1)
    assert list(store.df("SELECT reason FROM quarantine").reason) == [
        "UNKNOWN CODE in field gwno_a: 999999 is no GW state number"]
    kept = store.df("SELECT iso3_a, gwno_b, iso3_b FROM conflict_years").iloc[0]
    assert (kept.iso3_a, kept.gwno_b, kept.iso3_b) == ("IND", "751", None)


def test_ged_rows_are_events_with_deaths(shared: Path) -> None:
    path = shared / "ucdp/ged191_syria.csv.gz"
    assert detect_format(path).name == "ucdp-ged"
    store = Store(":memory:")
    result = ingest_files(store, [path])[0]
    assert result.accepted == 16566 and result.rejected == 0
    row = store.df("SELECT e.*, d.best FROM events e JOIN event_deaths d USING (event_id) "
                   "WHERE source_event_id = '214797'").iloc[0]
    assert row.actor1_country == "SYR" and row.actor1_role == "GOV" and row.event_code == "190"
    assert row.quad_class == 4 and row.best == 4 and abs(row.action_geo_lat - 34.802462) < 1e-6
    assert store.df("SELECT count(*) AS n FROM event_deaths").n[0] == 16566


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("best", "3000000000", "BAD VALUE in field best: '3000000000' is not a whole number"),
    ("best", "1e30", "BAD VALUE in field best"),
    ("deaths_a", "-5", "BAD VALUE in field deaths_a: '-5' is not a whole number from 0"),
    ("latitude", "999", "BAD VALUE in field latitude: '999' is not a coordinate"),
    ("longitude", "inf", "BAD VALUE in field longitude: 'inf' is not a coordinate"),
    ("date_end", "1200-01-01", "BAD VALUE in field date_end: 1200-01-01 is before date_start"),
    ("date_prec", "x", "BAD VALUE in field date_prec: 'x'"),
    ("country_id", "999999", "UNKNOWN CODE in field country_id: 999999"),
])
def test_a_ged_value_out_of_range_is_quarantined_naming_its_field(shared: Path, tmp_path: Path, field: str,
                                                                  value: str, reason: str) -> None:
    """Attack review 8 F4-F6: deaths over 2**31 ended the whole ingest (and a folder's later files) in a traceback;
    a latitude of 999, negative deaths, an end before the start and GW 999999 were stored as valid; a bad
    date_prec's reason named no field. Each is one quarantined row now, the real rows beside it kept."""
    with gzip.open(shared / "ucdp/ged191_syria.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        real = [next(reader) for _ in range(3)]
    bad = dict(real[1], **{field: value})
    path = tmp_path / "ged_hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(real[0]))
        writer.writeheader()
        writer.writerows([real[0], bad, real[2]])
    following = tmp_path / "z_after.csv"  # a folder's next file is still read
    following.write_text((shared / "ucdp/ucdp-brd-dyadic-221.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
                         + (shared / "ucdp/ucdp-brd-dyadic-221.csv").read_text(encoding="utf-8").splitlines()[1] + "\n")
    store = Store(":memory:")
    first, second = ingest_files(store, [path, following])
    assert (first.status, first.accepted, first.rejected) == ("done", 2, 1)
    assert second.status == "done" and second.accepted == 1
    assert store.df("SELECT reason FROM quarantine").reason.tolist()[0].startswith(reason)
