from pathlib import Path

import pytest

from geodrift.codebooks import cameo_codes, fips_to_iso3, icews_sector_roles, to_iso3
from geodrift.events import quad_class_of_root


def test_code_106_is_split_from_the_1056_line() -> None:
    codes = cameo_codes()
    assert codes["1056"].description == "Demand de-escalation of military engagement"
    assert codes["106"].description == "Demand withdrawal"
    assert codes["106"].goldstein == -5.0


@pytest.mark.parametrize(
    ("code", "value"),
    [("190", -10.0), ("193", -10.0), ("062", 7.4), ("057", 8.0), ("036", 4.0), ("042", 1.9), ("043", 2.8)],
)
def test_goldstein_matches_official_gdelt_values(code: str, value: float) -> None:
    assert cameo_codes()[code].goldstein == value


def test_every_code_matches_the_official_lookup(shared: Path) -> None:
    reference = {}
    lines = (shared / "cameo/gdelt-lookups-2020/CAMEO.goldsteinscale.txt").read_text().splitlines()[1:]
    for line in lines:
        code, value = line.strip().split("\t")
        reference[code] = float(value)
    codes = cameo_codes()
    assert {c: codes[c].goldstein for c in reference} == reference
    assert set(codes) - set(reference) == {"106", "1213"}


def test_quad_class_and_plover_follow_the_root() -> None:
    codes = cameo_codes()
    assert codes["0211"].quad_class == 1 and codes["0211"].plover is None  # PLOVER drops roots 01-02
    assert codes["0211"].base_code == "021" and codes["0211"].root_code == "02"
    assert codes["062"].quad_class == 2 and codes["062"].plover == "COOPERATE"
    assert codes["112"].quad_class == 3 and codes["112"].plover == "ACCUSE"
    assert codes["190"].quad_class == 4 and codes["190"].plover == "ASSAULT"
    assert all(c.quad_class == quad_class_of_root(c.root_code) for c in codes.values())


def test_countries_map_to_iso3() -> None:
    assert fips_to_iso3()["AJ"] == "AZE" and fips_to_iso3()["GG"] == "GEO" and fips_to_iso3()["RS"] == "RUS"
    assert [to_iso3(v) for v in ("AZE", "Russia", "Turkey", "Azerbaijan", "KSV")] == ["AZE", "RUS", "TUR", "AZE", "XKX"]
    assert [to_iso3(v) for v in ("EUR", "WST", "AFR", "Atlantis", "", None)] == [None] * 6


def test_sector_rules_put_opposition_before_government() -> None:
    patterns = [p for p, _ in icews_sector_roles()]
    assert patterns.index("opposition") < patterns.index("government")
    assert patterns.index("defense / security ministry") < patterns.index("ministry")
