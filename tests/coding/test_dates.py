"""Event dates resolved against publication dates, measured on the hand-coded caucasus-2020 summaries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geodrift.coding.dates import DateMention, date_mentions, event_date

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


def test_mentions_out_of_range_are_no_dates() -> None:
    """Events never carry a day outside 1800-2200: such a mention is skipped like an unreadable one."""
    from geodrift.events import EARLIEST, LATEST

    assert EARLIEST <= event_date("Forces clashed on 12 July 9999.", PUBLISHED).date <= LATEST
    assert event_date("Shelling resumed yesterday.", EARLIEST) == DateMention(EARLIEST, "published", 0, 0, "")
    assert event_date("Drills are due to start on Monday.", LATEST).date <= LATEST


@pytest.mark.parametrize("published", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1799, 12, 31)])
def test_code_text_refuses_publication_dates_out_of_range(published: dt.date) -> None:
    from geodrift.coding.coder import code_text
    from geodrift.errors import InputError

    with pytest.raises(InputError, match=r"outside the supported range 1800-01-01\.\.2200-01-01"):
        code_text("Armenian forces shelled Tovuz on Sunday.", published=published)


def test_the_direct_reading_of_written_dates_agrees_with_dateparser(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Common written forms are read without dateparser (its first call costs ~0.5 s of CPU); on every date in the
    caucasus summaries and on awkward forms (days that do not exist, leap days, abbreviations) the result must be
    the one dateparser gives."""
    from geodrift.coding import dates

    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    texts = [(r["summary"], dt.date.fromisoformat(r["published"])) for r in rows
             if r["published"] and len(r["published"]) == 10]
    awkward = ("July 45", "February 30", "31.02.2020", "Sept. 3", "3rd of May 2019", "in May 2021", "2020-13-01",
               "1.7.2020", "December 31, 2019", "29 February", "29 February 2019", "Dec. 25", "June 31 2020")
    texts += [(f"It happened on {text}.", day) for text in awkward for day in (dt.date(2020, 3, 1), dt.date(2021, 1, 2))]
    direct = [date_mentions(text, day) for text, day in texts]
    assert dates._written("12 July 2020", PUBLISHED) == dt.date(2020, 7, 12)
    assert dates._written("Sept. 3", PUBLISHED) == dt.date(2020, 9, 3)
    assert dates._written("31.02.2020", PUBLISHED) is None  # no such day: dateparser decides
    monkeypatch.setattr(dates, "_written", lambda cleaned, published: None)
    by_dateparser = [date_mentions(text, day) for text, day in texts]
    assert sum(map(len, by_dateparser)) > 400
    assert direct == by_dateparser
