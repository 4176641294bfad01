"""Actors from the Phoenix dictionaries plus office holders, on the seed article and the caucasus summaries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geodrift.coding.actors import find_actors, split_code

SEED_DAY = dt.date(2020, 7, 24)


def found(sentence: str, day: dt.date = SEED_DAY) -> list[tuple[str, str | None, str | None]]:
    return [(a.text, a.country, a.role) for a in find_actors(sentence, day)]


def test_seed_sentences() -> None:
    assert found("On July 12, Armenian and Azerbaijani forces clashed in the Tovuz border region.") == [
        ("Armenian", "ARM", "MIL"), ("Azerbaijani", "AZE", "MIL")]
    assert found("On July 23, however, Russian forces took part in pre-planned exercises with Armenian troops.") == [
        ("Russian", "RUS", "MIL"), ("Armenian", "ARM", "MIL")]
    assert found("The Azerbaijani government promptly announced that it would host exercises with Turkey.") == [
        ("Azerbaijani", "AZE", "GOV"), ("Turkey", "TUR", "GOV")]


def test_capitals_metonyms_office_holders_and_igos() -> None:
    assert found("Baku and Ankara answered Moscow and Yerevan; the Kremlin said nothing.") == [
        ("Baku", "AZE", "GOV"), ("Ankara", "TUR", "GOV"), ("Moscow", "RUS", "GOV"), ("Yerevan", "ARM", "GOV"),
        ("Kremlin", "RUS", "GOV")]
    assert found("Ilham Aliyev called Vladimir Putin and Erdogan.") == [
        ("Ilham Aliyev", "AZE", "GOV"), ("Vladimir Putin", "RUS", "GOV"), ("Erdogan", "TUR", "GOV")]
    assert found("The OSCE Minsk Group and NATO met.")[0] == ("OSCE Minsk Group", None, "IGO")


def test_a_name_maps_to_a_country_only_while_in_office() -> None:
    assert found("Pashinyan spoke.", dt.date(2020, 7, 1)) == [("Pashinyan", "ARM", "GOV")]
    assert found("Pashinyan spoke.", dt.date(2015, 7, 1)) == []
    assert split_code("AZEGOV") == ("AZE", "GOV") and split_code("IGOUNO") == (None, "IGO")
    assert split_code("RUSMILGOV") == ("RUS", "MIL")


def test_actor_countries_and_roles_on_hand_coded_summaries(shared: Path) -> None:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    usable = [r for r in rows if r["language"] == "en" and r["published"] and r["actor1"]["iso3"]]
    countries = roles = with_country = 0
    for r in usable:
        published = r["published"] if len(r["published"]) == 10 else r["published"] + "-01"
        mentions = find_actors(r["summary"], dt.date.fromisoformat(published))
        same = [m for m in mentions if m.country == r["actor1"]["iso3"]]
        countries += bool(same)
        if same:
            with_country += 1
            roles += same[0].role == r["actor1"]["role"]
    assert len(usable) > 500
    assert countries / len(usable) >= 0.9, f"actor1 country found in {countries}/{len(usable)} summaries"
    assert roles / with_country >= 0.7, f"role right for {roles}/{with_country}"


def test_possessive_agents_belong_to_the_last_named_actor() -> None:
    sentence = "Azerbaijan's defence ministry said its forces shot down an Armenian drone."
    actors = [(a.text, a.country, a.role) for a in find_actors(sentence, dt.date(2020, 7, 16))]
    assert ("its forces", "AZE", "MIL") in actors
    assert actors[-1] == ("Armenian", "ARM", "MIL")  # a drone is a military asset (agents_extra.tsv)


def test_a_surname_alone_is_dated_too() -> None:
    assert [a.country for a in find_actors("Aliyev phoned Putin.", dt.date(2020, 8, 12))] == ["AZE", "RUS"]
    assert [a.country for a in find_actors("Aliyev phoned Putin.", dt.date(1990, 8, 12))] == ["RUS"]


def test_plural_demonyms_are_the_people() -> None:
    found = [(a.text, a.country, a.role) for a in
             find_actors("Another clash between Armenians and Azerbaijanis broke out.", dt.date(2020, 7, 14))]
    assert found == [("Armenians", "ARM", "CVL"), ("Azerbaijanis", "AZE", "CVL")]


def test_hyphenated_compounds_name_their_countries() -> None:
    day = dt.date(2020, 7, 30)
    assert [a.country for a in find_actors("Moscow watched the Turkish-Azerbaijani drills.", day)] == ["RUS", "TUR", "AZE"]
    assert [a.country for a in find_actors("Ankara stayed out of the US-led war.", day)] == ["TUR", "USA"]
    assert [a.text for a in find_actors("Guinea-Bissau protested.", day)] == ["Guinea-Bissau"]  # a name with a hyphen


def test_a_language_is_not_an_actor() -> None:
    """The seed article's author note ("She speaks native Russian and is fluent in English.") was stored as a
    statement by Russian civilians."""
    assert found("She speaks native Russian and is fluent in English.") == []
    assert found("The statement, translated from Turkish, was read out in the Georgian language.") == []
    assert [c for _, c, _ in found("Pashinyan spoke to Russian officials in Moscow.")] == ["ARM", "RUS", "RUS"]
    assert [c for _, c, _ in found("Aliyev spoke with Putin and then with Russia's foreign minister.")] == [
        "AZE", "RUS", "RUS"]
    assert [c for _, c, _ in found("Russian speakers in Georgia protested.")] == ["GEO"]
