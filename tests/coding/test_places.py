"""Offline geocoding of place names, checked on the seed article and the hand-coded caucasus-2020 places."""

from __future__ import annotations

import json
from pathlib import Path

from geodrift.coding.places import find_places, gazetteer


def test_tovuz_is_in_azerbaijan_with_its_province() -> None:
    sentence = ("On July 12, Armenian and Azerbaijani forces clashed in the Tovuz border region – far from the "
                "disputed region of Nagorno-Karabakh, where such clashes usually take place.")
    found = {m.text: m.place for m in find_places(sentence, ("ARM", "AZE"))}
    assert found["Tovuz"].iso3 == "AZE" and found["Tovuz"].adm1 == "Tovuz"
    assert abs(found["Tovuz"].lat - 40.99) < 0.05 and abs(found["Tovuz"].lon - 45.63) < 0.05  # type: ignore[operator]
    assert found["Nagorno-Karabakh"].iso3 == "AZE" and found["Nagorno-Karabakh"].kind == "region"


def test_countries_win_over_namesake_cities_and_context_disambiguates() -> None:
    assert gazetteer().resolve("Armenia").iso3 == "ARM"  # type: ignore[union-attr]  (not Armenia, Colombia)
    texts = [m.text for m in find_places("Azerbaijan's President met Turkish officials in Baku on Monday.", ("AZE",))]
    assert texts == ["Azerbaijan", "Baku"]
    assert find_places("The President said on Monday that the Ministry agreed.", ()) == []


def test_place_accuracy_on_hand_coded_events(shared: Path) -> None:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    usable = [r for r in rows if r["place"] and r["place"].get("name") and r["place"].get("iso3")
              and r["language"] == "en" and r["place"]["name"] in r["summary"]]
    right = 0
    for r in usable:
        context = tuple(a["iso3"] for a in (r["actor1"], r["actor2"]) if a and a.get("iso3"))
        found = {m.text: m.place.iso3 for m in find_places(r["summary"], context)}
        right += found.get(r["place"]["name"]) == r["place"]["iso3"]
    assert len(usable) > 200
    assert right / len(usable) >= 0.9, f"{right}/{len(usable)} places geocoded to the right country"
