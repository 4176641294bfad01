"""Packaged codebooks: CAMEO event codes with Goldstein values and PLOVER categories, countries.

The TSV files under data/ are written by tools/build_codebooks.py from the reference
files in ../shared/data (see that script for every correction made to them).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import pycountry


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code and what it maps to."""

    code: str
    base_code: str
    root_code: str
    quad_class: int
    goldstein: float
    plover: str | None
    plover_mode: str | None
    plover_context: str | None
    description: str


def data_rows(name: str) -> list[dict[str, str]]:
    """Rows of a packaged TSV data file (codebooks/data/NAME) as dicts."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@cache
def cameo_codes() -> dict[str, CameoCode]:
    """All CAMEO event codes (roots, base and leaf codes), keyed by code string."""
    return {
        r["code"]: CameoCode(
            code=r["code"],
            base_code=r["base_code"],
            root_code=r["root_code"],
            quad_class=int(r["quad_class"]),
            goldstein=float(r["goldstein"]),
            plover=r["plover"] or None,
            plover_mode=r["plover_mode"] or None,
            plover_context=r["plover_context"] or None,
            description=r["description"],
        )
        for r in data_rows("cameo_events.tsv")
    }


@cache
def fips_to_iso3() -> dict[str, str]:
    """FIPS 10-4 country codes (GDELT geo fields) to ISO3."""
    return {r["fips"]: r["iso3"] for r in data_rows("fips_countries.tsv")}


@cache
def _aliases() -> dict[str, str]:
    return {r["alias"].casefold(): r["iso3"] for r in data_rows("country_aliases.tsv")}


@cache
def _iso3_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries)


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 alpha-3 code or one of the project's own country codes (the alias table's,
    e.g. Kosovo's XKX): what a curated record's ``iso3`` may hold."""
    return code in _iso3_codes() or code in {r["iso3"] for r in data_rows("country_aliases.tsv")}


@cache
def to_iso3(value: str | None) -> str | None:
    """ISO3 code for a CAMEO country code, ISO code or country name; None when it is not a country.

    CAMEO region codes (EUR, WST, AFR, ...) and unknown names give None; callers keep the raw value.
    """
    if not value:
        return None
    value = value.strip()
    if value.upper() in _iso3_codes() and len(value) == 3 and value.isupper():
        return value
    alias = _aliases().get(value.casefold())
    if alias:
        return alias
    if len(value) <= 3:
        return None
    try:
        return str(pycountry.countries.lookup(value).alpha_3)
    except LookupError:
        return None


@cache
def icews_sector_roles() -> list[tuple[str, str]]:
    """Ordered (substring, role) rules mapping ICEWS sector lists to roles; the first match wins.

    Order matters: "Opposition Major Party (Out Of Government)" must hit "opposition" before
    "government", and "Defense / Security Ministry" hit MIL before "ministry" gives GOV.
    """
    return [(r["pattern"], r["role"]) for r in data_rows("icews_sector_roles.tsv")]


@cache
def country_keys() -> dict[str, str]:
    """Lower-cased ISO3 codes, country names and aliases to ISO3, for lookups inside SQL."""
    keys: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                keys[value.lower()] = country.alpha_3
        keys[country.alpha_3.lower()] = country.alpha_3
    for alias, iso3 in _aliases().items():
        keys[alias.lower()] = iso3
    return keys


@cache
def groups() -> dict[str, tuple[str, ...]]:
    """Named country groups (NATO, EU, CSTO, SOUTH_CAUCASUS) as ISO3 tuples.

    Membership is current (2024) and not dated: a 2011 NATO series includes Finland.
    """
    found: dict[str, list[str]] = {}
    for r in data_rows("groups.tsv"):
        found.setdefault(r["group"], []).append(r["iso3"])
    return {name: tuple(members) for name, members in found.items()}


@cache
def regions() -> list[dict[str, str]]:
    """Regions and towns the city gazetteer lacks or lists wrongly (Nagorno-Karabakh, Stepanakert, Abkhazia, ...)."""
    return data_rows("regions.tsv")


@dataclass(frozen=True)
class BriefingRegion:
    """A region a briefing covers: member countries, outside powers active there, and the poles of alignment."""

    region: str
    name: str
    members: tuple[str, ...]
    powers: tuple[str, ...]
    poles: tuple[str, str] | None
    """The two powers whose pull on the members is tracked (alignment shifts); None for an ad-hoc country list."""

    @property
    def countries(self) -> tuple[str, ...]:
        return self.members + self.powers


@cache
def briefing_regions() -> dict[str, BriefingRegion]:
    """Regions named in ``geodrift brief --region`` (codebooks/data/briefing_regions.tsv)."""
    found = {}
    for r in data_rows("briefing_regions.tsv"):
        poles = r["poles"].split()
        found[r["region"]] = BriefingRegion(r["region"], r["name"], tuple(r["members"].split()),
                                            tuple(r["powers"].split()), (poles[0], poles[1]))
    return found


GENERIC_CCTLDS = frozenset({"tv", "io", "co", "me", "fm", "ly", "cc", "ws", "ai", "gg", "to", "info"})
"""Country-code domains used by outlets anywhere; they say nothing about where an outlet is based."""


@cache
def _outlet_patterns() -> list[tuple[re.Pattern[str], str]]:
    """Each pattern matched where a word or host label starts ('rt.com' is not in 'chillreport.com'); a short bare
    name must also end there ('efe', not 'efecto')."""
    found = []
    for r in data_rows("outlet_countries.tsv"):
        pattern = r["pattern"]
        end = r"(?![a-z0-9])" if len(pattern) <= 5 and not re.search(r"[. ]", pattern) else ""
        found.append((re.compile(r"(?<![a-z0-9])" + re.escape(pattern) + end), r["iso3"]))
    return found


@lru_cache(maxsize=65536)
def _named_outlet_country(text: str) -> str | None:
    return next((iso3 for pattern, iso3 in _outlet_patterns() if pattern.search(text)), None)


@cache
def border_fronts() -> dict[tuple[str, str], str]:
    """(ISO3, lower-case first-level division) -> the border front it lies on (codebooks/data/border_fronts.tsv).

    Provinces facing each other across a border are one place for event clustering: each side reports a border
    clash on its own side of the line.
    """
    return {(r["iso3"], r["adm1"].lower()): r["front"] for r in data_rows("border_fronts.tsv")}


def outlet_country(outlet: object, url: object = None) -> str | None:
    """The country an outlet is based in, from known outlet names/domains, else the URL's country-code domain.

    Used to show the balance of sources behind a conclusion; None when it cannot be told (.com, .org, ...).
    """
    outlet = outlet if isinstance(outlet, str) else None
    url = url if isinstance(url, str) else None
    text = " ".join(x for x in (outlet, url) if x).lower()
    if not text:
        return None
    named = _named_outlet_country(text)
    if named:
        return named
    host = (url or outlet or "").lower().split("//")[-1].split("/")[0]
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if tld in GENERIC_CCTLDS:
        return None
    country = pycountry.countries.get(alpha_2="GB" if tld == "uk" else tld.upper()) if len(tld) == 2 else None
    return country.alpha_3 if country else None


SHORT_NAMES = {"RUS": "Russia", "TUR": "Turkey", "IRN": "Iran", "SYR": "Syria", "KOR": "South Korea", "PRK": "North Korea",
               "MDA": "Moldova", "TWN": "Taiwan", "VEN": "Venezuela", "BOL": "Bolivia", "TZA": "Tanzania",
               "VNM": "Vietnam", "LAO": "Laos", "PSE": "Palestine", "GBR": "the United Kingdom",
               "USA": "the United States", "COD": "DR Congo"}


@cache
def country_name(code: str | None) -> str:
    """A plain English name for an ISO3 code or group, as a reader expects it ('Russia', not 'Russian Federation')."""
    if not code:
        return "an unnamed party"
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    if code in groups():
        return code
    try:
        country = pycountry.countries.get(alpha_3=code)
    except LookupError:
        return code
    return str(getattr(country, "common_name", None) or country.name) if country else code


ROLE_WORDS = {"GOV": "government", "MIL": "military", "REB": "rebels", "OPP": "opposition", "CVL": "civilians",
              "COP": "police", "JUD": "judiciary", "SPY": "intelligence services", "LEG": "legislature",
              "PTY": "a political party", "BUS": "business", "MED": "media", "CRM": "criminals", "EDU": "educators",
              "HLH": "health workers", "LAB": "labour", "REF": "refugees", "REL": "clergy", "NGO": "an NGO",
              "IGO": "an international organisation", "PKO": "peacekeepers", "UAF": "armed irregulars",
              "INS": "insurgents", "SEP": "separatists", "ELI": "elites", "HRI": "human-rights groups"}
"""CAMEO actor roles (events.ROLES) in words: a reader sees "civilians", never "CVL"."""

IGO_NAMES = {"IGOUNO": "the United Nations", "IGOUNODEVWBK": "the World Bank", "IGOUNOIAE": "the IAEA",
             "IGOUNOHLHWHO": "the WHO", "IGOUNOREFHCR": "the UNHCR", "IGOUNOWFP": "the World Food Programme",
             "IGOUNOKID": "UNICEF", "IGOUNOJUDICJ": "the International Court of Justice",
             "IGOJUDICC": "the International Criminal Court", "IGOEUREEC": "the European Union",
             "IGOEUROSC": "the OSCE", "IGOEURDEVEBR": "the EBRD", "IGOWSTNAT": "NATO", "IGOCSTO": "the CSTO",
             "IGOBUSIMF": "the IMF", "IGOBUSWTO": "the WTO", "IGOMEAARL": "the Arab League",
             "IGOAFRAFU": "the African Union", "IGOAFROAU": "the African Union", "IGOSEAASN": "ASEAN",
             "IGOOAS": "the Organization of American States", "IGOCWN": "the Commonwealth", "IGOBUSOPC": "OPEC",
             "IGOOPC": "OPEC"}
"""CAMEO organisation codes (the actor codes of codebooks/data/actors.tsv) by name; a code's longest listed prefix
names it ("IGOUNOKIDxxx" is UNICEF), an unlisted one reads "an international organisation"."""


def party_name(country: str | None, role: str | None = None, code: str | None = None, name: str | None = None) -> str:
    """An event's party as a reader names it: the country ('Azerbaijan'), else the organisation its CAMEO code names
    ('the CSTO', not 'an unnamed party (IGO)' or 'IGOCSTO'), else the name its source gives ('Karabakh civilians'),
    else its role in words ('unnamed rebels')."""
    if isinstance(country, str) and country:
        return country_name(country)
    known = max((k for k in IGO_NAMES if code.startswith(k)), key=len, default=None) if isinstance(code, str) else None
    if known:
        return IGO_NAMES[known]
    if isinstance(name, str) and name.strip() and name not in {"nan", "None"}:
        return name.strip()
    if isinstance(code, str) and code.startswith("IGO"):
        return ROLE_WORDS["IGO"]
    word = ROLE_WORDS.get(role) if isinstance(role, str) else None
    if word is None:
        return "an unnamed party"
    return word if word.startswith(("a ", "an ")) else f"unnamed {word}"


def pair_name(a: str | None, b: str | None, joiner: str = " and ") -> str:
    """'Armenia and Azerbaijan'; 'within Armenia' when both sides are one country (a protest, a coalition's
    demand, a crackdown: an internal event, not a dyad); the one country when there is no second party."""
    if not isinstance(b, str) or not b:
        return country_name(a)
    if a == b:
        return f"within {country_name(a)}"
    return f"{country_name(a)}{joiner}{country_name(b)}"


def capital(text: str) -> str:
    """``text`` with its first letter upper-cased ('within Armenia' opening a sentence)."""
    return text[:1].upper() + text[1:]
