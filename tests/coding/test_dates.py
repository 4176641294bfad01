"""Event dates resolved against publication dates, measured on the hand-coded caucasus-2020 summaries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geodrift.coding.dates import date_mentions, event_date

PUBLISHED = dt.date(2020, 7, 24)  # a Friday, the seed article's week


@pytest.mark.parametrize(("sentence", "expected", "precision"), [
    ("On July 12, Armenian and Azerbaijani forces clashed in the Tovuz border region.", "2020-07-12", "day"),
    ("On July 23, however, Russian forces took part in pre-planned exercises.", "2020-07-23", "day"),
    ("Forces clashed on 12 July 2020 near Tovuz.", "2020-07-12", "day"),
    ("The ministry said on Thursday that drills would follow.", "2020-07-23", "day"),
    ("Drills are due to start on Monday.", "2020-07-27", "day"),
    ("Shelling resumed yesterday.", "2020-07-23", "day"),
    ("Turkey and Azerbaijan will hold drills from August 1 to 10.", "2020-08-01", "day"),
    ("Tensions rose last week.", "2020-07-17", "week"),
    ("Clashes broke out in July.", "2020-07-01", "month"),
    ("The statement was dated 12.07.2020.", "2020-07-12", "day"),
    ("Baku announced joint exercises with Turkey.", "2020-07-24", "published"),
])
def test_expressions(sentence: str, expected: str, precision: str) -> None:
    mention = event_date(sentence, PUBLISHED)
    assert (str(mention.date), mention.precision) == (expected, precision)
    if precision != "published":
        assert sentence[mention.start:mention.end] == mention.text


def test_several_mentions_in_order() -> None:
    found = date_mentions("Fighting on July 12 continued until July 16, officials said on Thursday.", PUBLISHED)
    assert [str(m.date) for m in found] == ["2020-07-12", "2020-07-16", "2020-07-23"]


def test_accuracy_on_hand_coded_summaries(shared: Path) -> None:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    usable = [r for r in rows if r["event_date_precision"] == "day" and r["published"] and len(r["published"]) == 10]
    right = sum(str(event_date(r["summary"], dt.date.fromisoformat(r["published"])).date) == r["event_date"]
                for r in usable)
    assert len(usable) > 400
    assert right / len(usable) >= 0.95, f"{right}/{len(usable)} event dates right"
