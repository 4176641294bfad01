"""Event clusters, the third rule's distinctions (docs/methods.md, "Event clusters"), each with a case of both kinds:
families of CAMEO roots that code one happening, announced acts with their start, text-dated days, towns."""

from __future__ import annotations

from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, georgia_rows
from tests.test_clustering import TOVUZ, clustered, record, same

BAKU = {"name": "Baku", "iso3": "AZE", "adm1": "Baku", "lat": 40.4, "lon": 49.9}
KARABAKH = {"name": "Nagorno-Karabakh", "iso3": "AZE", "adm1": "Nagorno-Karabakh", "lat": 39.82, "lon": 46.75}


def named(event_id: str, day: str, a1: tuple[str, str], a2: tuple[str, str], code: str, summary: str,
          **kw: object) -> dict[str, object]:
    """A curated record of two named actors (name, ISO3), with a summary sentence of its own."""
    rec = record(event_id, day, a1[1], a2[1], code, roles=("GOV", "GOV"), **kw)  # type: ignore[arg-type]
    rec["actor1"]["name"], rec["actor2"]["name"], rec["summary"] = a1[0], a2[0], summary  # type: ignore[index]
    return rec


ALIYEV, PUTIN, PASHINYAN = ("Ilham Aliyev", "AZE"), ("Vladimir Putin", "RUS"), ("Nikol Pashinyan", "ARM")


def test_violence_coded_at_different_roots_is_one_clash(tmp_path: Path) -> None:
    """One outlet codes the Galwan-type brawl as a fight (190), another as an assault (181) or the killing (182), in
    either direction; the protest against it (141) and the accusation (112) stay apart."""
    found = clustered(tmp_path, [
        record("fight", "2020-07-12", "ARM", "AZE", "190", place=TOVUZ, outlet="azernews.az"),
        record("assault", "2020-07-12", "AZE", "ARM", "182", place=TOVUZ, outlet="armenpress.am"),
        record("mass", "2020-07-12", "ARM", "AZE", "202", place=TOVUZ, outlet="reuters.com"),
        record("protest", "2020-07-12", "AZE", "ARM", "141", place=TOVUZ),
        record("accuse", "2020-07-12", "AZE", "ARM", "112", place=TOVUZ),
    ], files=2)
    assert same(found, "fight", "assault", "mass")
    assert len({found["fight"], found["protest"], found["accuse"]}) == 3


def test_one_call_read_out_at_different_roots_is_one_happening(tmp_path: Path) -> None:
    """The 12 August 2020 Aliyev-Putin call, read out by one outlet as a call (041), by another as congratulations (051)
    and as a shared wish to cooperate (030) told from Moscow's side; an accusation (112) and an appeal (0256) of that
    day are other acts, and a meeting of two other countries that day is another happening."""
    found = clustered(tmp_path, [
        named("call", "2020-08-12", ALIYEV, PUTIN, "041", "Aliyev phoned Putin on August 12.", outlet="news.az"),
        named("praise", "2020-08-12", ALIYEV, PUTIN, "051", "Aliyev congratulated Putin on the vaccine.",
              outlet="urdupoint.com"),
        named("wish", "2020-08-12", PUTIN, ALIYEV, "030", "Putin and Aliyev voiced a wish to deepen ties.",
              outlet="tass.com"),
        named("accuse", "2020-08-12", ALIYEV, PUTIN, "112", "Aliyev accused Moscow of arming Armenia."),
        named("appeal", "2020-08-12", PUTIN, ALIYEV, "0256", "The Kremlin urged restraint on the border."),
        named("other", "2020-08-12", ALIYEV, PASHINYAN, "041", "Aliyev spoke to Pashinyan."),
    ], files=2)
    assert same(found, "call", "praise", "wish")
    assert len({found["call"], found["accuse"], found["appeal"], found["other"]}) == 4


def test_a_deal_and_the_ceasefire_it_declares_are_one_across_midnight(tmp_path: Path) -> None:
    """The 10 November 2020 statement: signed on the night of the 9th (dated the 9th by two outlets), the ceasefire it
    declares in force on the 10th at the front; Azerbaijan's apology to Russia (055) on the 9th is another act."""
    found = clustered(tmp_path, [
        named("signed", "2020-11-09", PASHINYAN, ("Azerbaijan", "AZE"), "057", "Pashinyan said he signed the deal.",
              outlet="ciranda.net"),
        named("signed2", "2020-11-09", ALIYEV, PASHINYAN, "057", "The leaders signed a statement.", outlet="tass.com"),
        named("ceasefire", "2020-11-10", ("Armenia", "ARM"), ("Azerbaijan", "AZE"), "0871",
              "The ceasefire came into force.", place=KARABAKH, outlet="news.bg"),
        named("ceasefire2", "2020-11-10", ("Azerbaijan", "AZE"), ("Armenia", "ARM"), "0871",
              "Fighting was to stop at midnight.", place=KARABAKH, outlet="unn.ua"),
        named("sorry", "2020-11-09", ("Azerbaijani Foreign Ministry", "AZE"), ("Russia", "RUS"), "055",
              "Baku apologised to Moscow.", outlet="sott.net"),
        named("sign_ru", "2020-11-09", PUTIN, ALIYEV, "057", "Putin and Aliyev signed the statement.",
              outlet="glagol.press"),
    ])
    assert same(found, "signed", "signed2", "ceasefire", "ceasefire2")
    assert found["sorry"] != found["sign_ru"]


def test_a_text_dated_record_a_day_off_keeps_its_day(tmp_path: Path) -> None:
    """Mnatsakanyan's trip to Moscow on 9 October 2020 (three outlets) and Lavrov's call to him on the 10th (one):
    the record reads its day from its sentence ("on Saturday"), so it is another day's act, not an echo of the louder
    day."""
    mnatsakanyan, lavrov = ("Zohrab Mnatsakanyan", "ARM"), ("Sergei Lavrov", "RUS")
    moscow = {"name": "Moscow", "iso3": "RUS", "adm1": "Moscow", "lat": 55.75, "lon": 37.62}
    found = clustered(tmp_path, [
        *[named(f"trip{i}", "2020-10-09", mnatsakanyan, ("Russia", "RUS"), "042", "He travelled to Moscow on October 9.",
                place=moscow, outlet=f"outlet{i}.am") for i in range(3)],
        named("call", "2020-10-10", lavrov, mnatsakanyan, "041", "Lavrov spoke by phone to Mnatsakanyan on Saturday.",
              place=moscow, outlet="armenpress.am"),
    ])
    assert same(found, "trip0", "trip1", "trip2") and found["call"] != found["trip0"]


def test_an_announced_act_joins_its_start_and_a_threat_does_not(tmp_path: Path) -> None:
    """Drills announced for 29 July 2020 are stored on that day and join the drills begun that day; a threat of the
    act stays a claim of its own."""
    found = clustered(tmp_path, [
        record("planned", "2020-07-29", "TUR", "AZE", "062", place=BAKU, modality="announced", outlet="aa.com.tr"),
        record("begun", "2020-07-29", "TUR", "AZE", "062", place=BAKU, outlet="milliyet.com.tr"),
        record("threat", "2020-07-29", "TUR", "AZE", "062", place=BAKU, modality="threatened"),
    ])
    assert same(found, "planned", "begun") and found["threat"] != found["begun"]


def gdelt_rows(shared: Path, specs: list[tuple[str, str, str, str, str, str, str]]) -> list[str]:
    """GDELT 1.0 lines built on a real row: (id, day, actor1 country, actor2 country, code, place name, ADM1)."""
    base = georgia_rows(shared, limit=1)[0]
    lines = []
    for event_id, day, c1, c2, code, place, adm1 in specs:
        row = dict(base, GLOBALEVENTID=event_id, SQLDATE=day, MonthYear=day[:6], Year=day[:4], DATEADDED=day,
                   Actor1Code=c1, Actor1Name=c1, Actor1CountryCode=c1, Actor1Type1Code="GOV",
                   Actor2Code=c2, Actor2Name=c2, Actor2CountryCode=c2, Actor2Type1Code="GOV",
                   EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2],
                   ActionGeo_Type="4", ActionGeo_FullName=place, ActionGeo_CountryCode=adm1[:2],
                   ActionGeo_ADM1Code=adm1)
        lines.append(gdelt1_line(row, with_url=False))
    return lines


def gdelt_clusters(tmp_path: Path, lines: list[str]) -> dict[str, str]:
    store = Store(":memory:")
    path = tmp_path / "20120801.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_files(store, [path])
    return {k.split(":", 1)[1]: c for k, c in store.con.execute(
        "SELECT event_id, cluster_id FROM clusters").fetchall()}


def test_dataset_rows_keep_their_roots_and_echo_a_day_off(shared: Path, tmp_path: Path) -> None:
    """Rows without a sentence (GDELT): a consultation (040) and an agreement (057) of one pair and day stay apart,
    since nothing says they are one act; a row of the next day, quieter, is the louder day's echo."""
    found = gdelt_clusters(tmp_path, gdelt_rows(shared, [
        ("1", "20120801", "GEO", "RUS", "040", "Tbilisi, Tbilisi, Georgia", "GG51"),
        ("2", "20120801", "RUS", "GEO", "040", "Tbilisi, Tbilisi, Georgia", "GG51"),
        ("3", "20120802", "GEO", "RUS", "042", "Tbilisi, Tbilisi, Georgia", "GG51"),
        ("4", "20120801", "GEO", "RUS", "057", "Tbilisi, Tbilisi, Georgia", "GG51"),
    ]))
    assert same(found, "1", "2", "3") and found["4"] != found["1"]


def test_domestic_acts_in_two_towns_of_one_province_are_two(shared: Path, tmp_path: Path) -> None:
    """Arrests by the police in two towns of one first-level division the same day (Lasalgaon and Goregaon,
    Maharashtra, 2 June 2018, in ICEWS) are two happenings; two reports of the arrests in one town are one. An
    international act keeps the province as its place (each side names its own town of one border clash)."""
    found = gdelt_clusters(tmp_path, gdelt_rows(shared, [
        ("1", "20120801", "GEO", "GEO", "173", "Kutaisi, Imereti, Georgia", "GG20"),
        ("2", "20120801", "GEO", "GEO", "173", "Kutaisi, Imereti, Georgia", "GG20"),
        ("3", "20120801", "GEO", "GEO", "173", "Zestaponi, Imereti, Georgia", "GG20"),
        ("4", "20120801", "GEO", "RUS", "190", "Kutaisi, Imereti, Georgia", "GG20"),
        ("5", "20120801", "RUS", "GEO", "190", "Zestaponi, Imereti, Georgia", "GG20"),
    ]))
    assert same(found, "1", "2") and found["3"] != found["1"]
    assert same(found, "4", "5")
