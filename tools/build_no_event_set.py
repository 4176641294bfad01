"""Builds bench/data/no_event_sentences.tsv: sentences that report no act, to measure the coder's false events.

Kinds (issue 18, item 2):
- ``petrarch``: PETRARCH-2's unit-test records coded ``noevents`` whose text is a genuine non-event (not the ones
  that test the parser on typos or unknown actors); fictional states are renamed to real ones so the packaged
  dictionaries see actors (MIT, shared/data/petrarch2).
- ``dateline``, ``headline``, ``background``: templates filled with the places, outlets and dates of the
  caucasus-2020 hand codes (written for this project) -- the lines around a report, not the report itself.

Every template is assigned to one split, ``dev`` (looked at while writing the coder's rules) or ``test`` (only
measured), so the test figures are on surface forms the rules were not written from.

Usage: python tools/build_no_event_set.py [SHARED_DATA]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "bench" / "data" / "no_event_sentences.tsv"
PETRARCH_KEEP = ("DEMO-24", "AFP080801M008-2", "TABDEBUG-19", "AFP0808011903-3", "AFP0808010343-2", "AFP0808010092-5",
                 "AFP0808010569-6", "AFP0808010625-6", "AFP0909010096-4", "TextCodes-1")
RENAME = {"Eriador": "Armenia", "Osgiliath": "Azerbaijan", "Gondor": "Georgia", "Arnor": "Turkey"}
COUNTRIES = ("Armenia", "Azerbaijan", "Georgia", "Russia", "Turkey", "Iran", "Ukraine", "Belarus", "France", "India", "China")
ADJECTIVES = {"Armenia": "Armenian", "Azerbaijan": "Azerbaijani", "Georgia": "Georgian", "Russia": "Russian",
              "Turkey": "Turkish", "Iran": "Iranian", "Ukraine": "Ukrainian", "Belarus": "Belarusian",
              "France": "French", "India": "Indian", "China": "Chinese"}
WIRES = ("Reuters", "AP", "AFP", "TASS", "Interfax", "APA", "Armenpress", "Trend")
# (kind, split, template); {place} {PLACE} {date} {mdy} {dmy} {outlet} {wire} {country} {adj} {country2} {n}
TEMPLATES = [
    ("dateline", "dev", "{place}, {dmy}."),
    ("dateline", "dev", "{PLACE}, {mdy} ({wire})"),
    ("dateline", "dev", "{place} ({outlet}), {dmy}"),
    ("dateline", "test", "{PLACE} -- {mdy}."),
    ("dateline", "test", "Posted on {dmy} in {place}."),
    ("dateline", "test", "{place}, {country}, {mdy} /{wire}/."),
    ("dateline", "test", "By {wire} staff, {place}, {dmy}."),
    ("headline", "dev", "Top stories of the week: {country}, {country2} and {place}."),
    ("headline", "dev", "Live updates: {place}, {country} and {country2}."),
    ("headline", "dev", "Read more: {adj} news from {place}."),
    ("headline", "test", "In pictures: life in {place} one year on."),
    ("headline", "test", "Most read today: {country}, {country2}, markets, weather."),
    ("headline", "test", "Related stories: {adj} politics, {place}, the economy."),
    ("headline", "test", "Newsletter: what you need to know about {country} this morning."),
    ("background", "dev", "{place} is a city in {country} with a population of about {n} thousand people."),
    ("background", "dev", "{country} has been a member of the United Nations since 1992."),
    ("background", "dev", "The {adj} economy depends heavily on energy exports and remittances."),
    ("background", "dev", "Analysts say the relationship between {country} and {country2} has a long history."),
    ("background", "test", "{place} lies about {n} kilometres from the border with {country2}."),
    ("background", "test", "The {adj} capital is known for its Soviet-era architecture and its old town."),
    ("background", "test", "{country} and {country2} are neighbours with a complicated past."),
    ("background", "test", "Commentators believe the coming months will be difficult for the {adj} government."),
    ("background", "test", "The region is home to several ethnic groups and three major religions."),
]


def petrarch(shared: Path) -> list[tuple[str, str, str, str]]:
    root = ET.parse(shared / "petrarch2/text/PETR.UnitTest.records.xml").getroot()
    rows = []
    for sentence in root.iter("Sentence"):
        if sentence.get("id") in PETRARCH_KEEP:
            text = " ".join((sentence.findtext("Text") or "").split())
            for old, new in RENAME.items():
                text = text.replace(old, new)
            rows.append(("petrarch", "test" if len(rows) % 2 else "dev", f"petrarch2:{sentence.get('id')}", text))
    return rows


def generated(shared: Path, per_template: int = 12) -> list[tuple[str, str, str, str]]:
    records = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    places = sorted({r["place"]["name"] for r in records if r.get("place") and r["place"].get("name")
                     and "," not in r["place"]["name"] and " " not in r["place"]["name"]})
    outlets = sorted({r["outlet"] for r in records if r.get("outlet")})
    rng = random.Random(18)
    rows = []
    for index, (kind, split, template) in enumerate(TEMPLATES):
        for i in range(per_template):
            day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(731))  # any day of 2020-2021
            country, country2 = rng.sample(COUNTRIES, 2)
            place = rng.choice(places)
            text = template.format(place=place, PLACE=place.upper(), dmy=f"{day.day} {day:%B %Y}",
                                   mdy=f"{day:%B} {day.day}", outlet=rng.choice(outlets), wire=rng.choice(WIRES),
                                   country=country, country2=country2, adj=ADJECTIVES[country], n=rng.randint(5, 900))
            rows.append((kind, split, f"template:{index}:{i}", text))
    return rows


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
    rows = petrarch(shared) + generated(shared)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(("kind", "split", "origin", "sentence"))
        writer.writerows(dict.fromkeys(rows))
    print(f"{OUT}: {len(rows)} sentences")


if __name__ == "__main__":
    main()
