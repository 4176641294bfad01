"""Event clusters, the fourth rule's distinctions (docs/methods.md, "Event clusters"), each with a case of both kinds:
GDELT rows of one document in mirror directions, ICEWS consultations split by the people named, and the day a
curated sentence gives (none, a deadline, a night)."""

from __future__ import annotations

from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, gdelt2_line, georgia_rows
from tests.test_clustering import TOVUZ, clustered, record, same
from tests.test_clustering_rule import ALIYEV, PUTIN, named

TBILISI = ("Tbilisi, Tbilisi, Georgia", "GG51")


def gdelt_doc_rows(shared: Path, specs: list[dict[str, str]], version: int = 2) -> list[str]:
    """GDELT lines built on a real row; each spec gives id, actors (country, type), code and the document fields, and
    may give the day (YYYYMMDD) and the place ("full name|ADM1", Tbilisi unless given)."""
    base = georgia_rows(shared, limit=1)[0]
    lines = []
    for spec in specs:
        code, day, place = spec["code"], spec.get("day", "20120801"), spec.get("place", "|".join(TBILISI)).split("|")
        row = dict(base, GLOBALEVENTID=spec["id"], SQLDATE=day, MonthYear=day[:6], Year=day[:4],
                   DATEADDED=day, Actor1Code=spec["a1"], Actor1Name=spec["a1"], Actor1CountryCode=spec["a1"],
                   Actor1Type1Code=spec.get("r1", ""), Actor2Code=spec["a2"], Actor2Name=spec["a2"],
                   Actor2CountryCode=spec["a2"], Actor2Type1Code=spec.get("r2", ""), EventCode=code,
                   EventBaseCode=code[:3], EventRootCode=code[:2], ActionGeo_Type="4", ActionGeo_FullName=place[0],
                   ActionGeo_CountryCode="GG", ActionGeo_ADM1Code=place[1], AvgTone=spec.get("tone", "0"),
                   NumArticles=spec.get("articles", "1"), NumMentions=spec.get("articles", "1"), NumSources="1",
                   SOURCEURL=spec.get("url", ""))
        lines.append(gdelt2_line(row) if version == 2 else gdelt1_line(row, with_url=False))
    return lines


def ingested(tmp_path: Path, name: str, lines: list[str], header: str = "") -> dict[str, str]:
    """source_event_id -> cluster id after ingesting ``lines`` as one file."""
    path = tmp_path / name
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    store = Store(":memory:")
    ingest_files(store, [path])
    return dict(store.con.execute("SELECT e.source_event_id, c.cluster_id FROM clusters AS c "
                                  "JOIN events AS e USING (event_id)").fetchall())


def test_mirror_rows_of_one_gdelt_document_join(shared: Path, tmp_path: Path) -> None:
    """One article's sentence coded both ways (GEO→RUS and RUS→GEO criticism, one SOURCEURL), or once with the
    actor's role and once without (a French criticism of Fabius), is one act; an accusation and the counter-accusation
    from two articles, and the same article's other act, stay apart."""
    found = ingested(tmp_path, "20120801101500.export.CSV", gdelt_doc_rows(shared, [
        {"id": "1", "a1": "GEO", "a2": "RUS", "code": "111", "url": "https://a.ge/1"},
        {"id": "2", "a1": "RUS", "a2": "GEO", "code": "111", "url": "https://a.ge/1"},
        {"id": "3", "a1": "GEO", "a2": "RUS", "code": "112", "url": "https://b.ge/2"},
        {"id": "4", "a1": "RUS", "a2": "GEO", "code": "112", "url": "https://c.ru/3"},
        {"id": "5", "a1": "RUS", "a2": "GEO", "code": "173", "url": "https://a.ge/1"},
        {"id": "6", "a1": "FRA", "a2": "FRA", "r2": "ELI", "code": "120", "url": "https://d.fr/4"},
        {"id": "7", "a1": "FRA", "a2": "FRA", "r1": "GOV", "r2": "ELI", "code": "120", "url": "https://d.fr/4"},
        {"id": "8", "a1": "FRA", "a2": "FRA", "r1": "OPP", "r2": "ELI", "code": "120", "url": "https://e.fr/5"},
    ]))
    assert same(found, "1", "2") and found["3"] != found["4"] and found["5"] != found["1"]
    assert same(found, "6", "7") and found["8"] != found["6"]


def test_gdelt_1_rows_without_a_url_join_by_their_document_set(shared: Path, tmp_path: Path) -> None:
    """GDELT 1.0 before April 2013 has no SOURCEURL: mirror rows of one document set share its average tone (or, where
    the tone is a placeholder 0, its article counts); mirror rows of different tones or counts stay apart."""
    found = ingested(tmp_path, "20120801.export.CSV", gdelt_doc_rows(shared, [
        {"id": "1", "a1": "MDA", "a2": "RUS", "code": "030", "tone": "4.60081190798376", "articles": "1"},
        {"id": "2", "a1": "RUS", "a2": "MDA", "code": "030", "tone": "4.60081190798376", "articles": "3"},
        {"id": "3", "a1": "ISR", "a2": "PSE", "code": "173", "tone": "0", "articles": "8"},
        {"id": "4", "a1": "PSE", "a2": "ISR", "code": "173", "tone": "0", "articles": "8"},
        {"id": "5", "a1": "ISR", "a2": "LBN", "code": "111", "tone": "2.5", "articles": "2"},
        {"id": "6", "a1": "LBN", "a2": "ISR", "code": "111", "tone": "-3.1", "articles": "2"},
        {"id": "7", "a1": "EGY", "a2": "SYR", "code": "173", "tone": "0", "articles": "4"},
        {"id": "8", "a1": "SYR", "a2": "EGY", "code": "173", "tone": "0", "articles": "5"},
    ], version=1))
    assert same(found, "1", "2") and same(found, "3", "4")
    assert found["5"] != found["6"] and found["7"] != found["8"]


ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\t"
                "Target Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\t"
                "Province\tCountry\tLatitude\tLongitude\n")
PLACES = {"New York": ("New York City", "state of New York", "United States", "40.71", "-74.0"),
          "Pyongyang": ("Pyongyang", "P'yongyang-si", "North Korea", "39.03", "125.75"),
          "Seoul": ("Seoul", "Seoul-teukbyeolsi", "South Korea", "37.56", "126.99")}


def icews_line(event_id: str, source: tuple[str, str], target: tuple[str, str], code: str, place: str) -> str:
    """An ICEWS row of 1 June 2018: (name, country) of each actor, a CAMEO consultation code, a city of PLACES."""
    city, province, country, lat, lon = PLACES[place]
    return "\t".join([event_id, "2018-06-01", source[0], "Government", source[1], "Consult", code, "1", target[0],
                      "Government", target[1], f"9{event_id}", "1", "Yonhap English News", city, "NA", province,
                      country, lat, lon])


US, NK, SK = "United States", "North Korea", "South Korea"


def test_icews_consultations_of_one_country_pair_split_by_the_people_named(tmp_path: Path) -> None:
    """1 June 2018: Pompeo's talks with Kim Yong-chol in New York (both ways, and "North Korea" meeting Pompeo) are one,
    Trump's contact with Kim Jong-un placed there another; a row of generic actors ("United States", "North Korea")
    joins the larger. Lavrov's meeting with Kim Jong-un and North Korea hosting Lavrov are one visit. Kang Kyung-wha's
    talks with Pompeo and with Sung Kim are two."""
    found = ingested(tmp_path, "events.2018.sample.tab", [
        icews_line("1", ("Mike Pompeo", US), ("Kim Yong-chol", NK), "040", "New York"),
        icews_line("2", ("Kim Yong-chol", NK), ("Mike Pompeo", US), "040", "New York"),
        icews_line("3", (NK, NK), ("Mike Pompeo", US), "046", "New York"),
        icews_line("4", ("Donald Trump", US), ("Kim Jong-Un", NK), "046", "New York"),
        icews_line("5", (US, US), (NK, NK), "040", "New York"),
        icews_line("6", ("Sergey Viktorovich Lavrov", "Russian Federation"), ("Kim Jong-Un", NK), "040", "Pyongyang"),
        icews_line("7", (NK, NK), ("Sergey Viktorovich Lavrov", "Russian Federation"), "043", "Pyongyang"),
        icews_line("8", ("Kang Kyung Wha", SK), ("Mike Pompeo", US), "046", "Seoul"),
        icews_line("9", ("Kang Kyung Wha", SK), ("Sung Kim", US), "043", "Seoul"),
    ], header=ICEWS_HEADER)
    assert same(found, "1", "2", "3", "5") and found["4"] != found["1"]
    assert same(found, "6", "7")
    assert found["8"] != found["9"]


def test_a_record_whose_sentence_names_no_day_joins_the_louder_day(tmp_path: Path) -> None:
    """Aliyev's call to Putin of 12 August 2020, told by two outlets that day and by one "in mid-August", dated the 13th:
    the sentence names no day, so the record carries its page's day and joins the call; a record of the 13th that names
    its day ("on August 13") stays on it."""
    found = clustered(tmp_path, [
        named("call", "2020-08-12", ALIYEV, PUTIN, "041", "Aliyev phoned Putin on August 12.", outlet="news.az"),
        named("call2", "2020-08-12", ALIYEV, PUTIN, "051", "Aliyev congratulated Putin on August 12.",
              outlet="president.az"),
        named("mid", "2020-08-13", ALIYEV, PUTIN, "051", "Aliyev congratulated Putin in mid-August.",
              outlet="azernews.az"),
        named("next", "2021-08-13", ALIYEV, PUTIN, "041", "Aliyev phoned Putin on August 13.", outlet="news.az"),
        named("prev", "2021-08-12", ALIYEV, PUTIN, "041", "Aliyev phoned Putin on August 12.", outlet="news.az"),
        named("prev2", "2021-08-12", ALIYEV, PUTIN, "041", "Putin took Aliyev's call on August 12.", outlet="tass.ru"),
    ], files=2)
    assert same(found, "call", "call2", "mid")
    assert same(found, "prev", "prev2") and found["next"] != found["prev"]


def test_a_deadline_is_not_the_day_of_the_act(tmp_path: Path) -> None:
    """Troops "arrived in Azerbaijan by July 30" for the drills launched on 29 July 2020 (two outlets): the 30th is a
    deadline, not the day, so the record joins the launch; "on July 30" would have kept it apart."""
    found = clustered(tmp_path, [
        record("launch", "2020-07-29", "TUR", "AZE", "062", summary="The drills were launched on July 29."),
        record("launch2", "2020-07-29", "TUR", "AZE", "062", summary="Turkey began drills on July 29."),
        record("by", "2020-07-30", "TUR", "AZE", "062", summary="Turkish troops arrived by July 30 for the drills."),
        record("on", "2021-07-30", "TUR", "AZE", "062", summary="Turkish troops arrived on July 30 for the drills."),
        record("on_launch", "2021-07-29", "TUR", "AZE", "062", summary="The drills were launched on July 29."),
        record("on_launch2", "2021-07-29", "TUR", "AZE", "062", summary="Turkey began drills on July 29."),
    ])
    assert same(found, "launch", "launch2", "by")
    assert same(found, "on_launch", "on_launch2") and found["on"] != found["on_launch"]


def test_a_night_act_joins_the_record_of_the_other_date(tmp_path: Path) -> None:
    """The missile strike on Ganja at about 2 a.m. on 11 October 2020 (two reports of the night) and one outlet's
    record dating it "on October 10": a night act is dated by either of its two days, so they are one. Next to a day of
    daytime fighting, a record of the day before stays apart."""
    ganja = {"name": "Ganja", "iso3": "AZE", "adm1": "Ganja", "lat": 40.68, "lon": 46.36}
    found = clustered(tmp_path, [
        record("night", "2020-10-11", "ARM", "AZE", "195", place=ganja,
               summary="Missiles hit Ganja at about 2 a.m. on October 11."),
        record("early", "2020-10-11", "ARM", "AZE", "195", place=ganja,
               summary="A strike on Ganja early on October 11 killed ten."),
        record("dated", "2020-10-10", "ARM", "AZE", "195", place=ganja, summary="A missile struck Ganja on October 10."),
        record("day", "2020-07-14", "ARM", "AZE", "194", place=TOVUZ, summary="Shelling at noon on July 14."),
        record("day2", "2020-07-14", "AZE", "ARM", "190", place=TOVUZ, summary="Clashes on July 14."),
        record("before", "2020-07-13", "ARM", "AZE", "194", place=TOVUZ, summary="Shelling on July 13."),
    ])
    assert same(found, "night", "early", "dated")
    assert same(found, "day", "day2") and found["before"] != found["day"]
