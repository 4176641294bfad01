"""Report-level grouping (report/grouping.py): one happening told on two days is one item; a run of days, two
places, two kinds of act or an accusation and its counter-accusation are not."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from geodrift.codebooks import briefing_regions
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.grouping import Key, groups, kind
from geodrift.store import Store

ARM_AZE = frozenset({"ARM", "AZE"})


def item(day: int, family: str = "violence actual", *, last: int | None = None, said: frozenset[str] = frozenset(),
         places: tuple[str, ...] = (), kinds: tuple[str, ...] = (), directions: tuple[str, ...] = (),
         countries: frozenset[str] = ARM_AZE) -> Key:
    first = pd.Timestamp(2020, 7, day)
    return Key(countries, family, first, pd.Timestamp(2020, 7, last or day), said, frozenset(places),
               frozenset(kinds), frozenset(directions))


def test_adjacent_days_do_not_chain() -> None:
    # fighting told on 12, 13, 14 and 15 July: two items of two days, not one "over 4 days" (given in any order)
    days = [item(14), item(12), item(15), item(13)]
    assert groups(days) == [[0, 2], [1, 3]]
    # an item spanning two days takes no third
    assert groups([item(12, last=13), item(14)]) == [[0], [1]]
    # a statement to two parties (one sentence) is one item whatever its days
    said = frozenset({"peskov urged restraint"})
    assert groups([item(13, "02 actual", said=said), item(20, "02 actual", said=said,
                                                          countries=frozenset({"RUS", "AZE"}))]) == [[0, 1]]


def test_places_kinds_and_directions_keep_happenings_apart() -> None:
    # two clashes a day apart in two provinces; one that names no place joins either
    assert groups([item(12, places=("tovuz",)), item(13, places=("aghdam",))]) == [[0], [1]]
    assert groups([item(12, places=("tovuz",)), item(13)]) == [[0, 1]]
    # a call and a visit a day apart are two; a visit made and hosted, or a consultation and the call it was, one
    consult = "04 actual"
    assert groups([item(12, consult, kinds=(kind("041"),)), item(13, consult, kinds=(kind("042"),))]) == [[0], [1]]
    assert groups([item(27, consult, kinds=(kind("042"),)), item(28, consult, kinds=(kind("043"),))]) == [[0, 1]]
    assert groups([item(12, consult, kinds=(kind("040"),)), item(13, consult, kinds=(kind("041"),))]) == [[0, 1]]
    # an accusation and the counter-accusation the next day are two; the same accusation told on two days one
    accuse = "11 actual"
    assert groups([item(12, accuse, kinds=("112",), directions=("AZE>ARM",)),
                   item(13, accuse, kinds=("112",), directions=("ARM>AZE",))]) == [[0], [1]]
    assert groups([item(12, accuse, kinds=("112",), directions=("AZE>ARM",)),
                   item(13, accuse, kinds=("112",), directions=("AZE>ARM",))]) == [[0, 1]]
    assert (kind("1123"), kind("190"), kind("0871"), kind("042"), kind("043"), kind("040")) == \
        ("112", "violence", "deal", "visit", "visit", "04")


def _spans(texts: list[str]) -> list[int]:
    return [int(n) for t in texts for n in re.findall(r"over (\d+) days", t)]


def test_the_briefing_does_not_join_the_july_fighting(report_store: Store, tmp_path: Path) -> None:
    # The 14-day briefing to 24 July 2020 showed the fighting of 12-23 July as one development "7 events (77 reports
    # over 12 days)": the 12-22 July fighting and the 23 July shelling joined through adjacent days.
    document = build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], tmp_path, days=14)
    texts = [p.text for s in document.sections if s.heading == "Developments" for p in s.items]
    assert texts and max(_spans(texts), default=1) <= 2, texts
    fights = [t for t in texts if t.startswith("Armenia and Azerbaijan:") and "23 Jul" in t]
    assert fights and not any("12 Jul to 23 Jul" in t for t in fights), fights


def test_the_analysis_timeline_tells_the_tovuz_days_apart(report_store: Store, tmp_path: Path) -> None:
    # The flagship analysis's timeline joined the fighting of 12, 13 and 14 July 2020 into "3 events (68 reports
    # over 3 days)"; now 12-13 July is one item and 14 July (Aghdam village) another.
    document = build_analysis(report_store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1), tmp_path)
    timeline = next(s for s in document.sections if s.heading.startswith("Timeline"))
    texts = [p.text for p in timeline.items]
    assert max(_spans(texts), default=1) <= 2, texts
    fights = [t for t in texts if t.startswith("Armenia and Azerbaijan: fight") and "Jul" in t]
    assert not any("12 Jul to 14 Jul" in t for t in fights), fights
    assert any("12 Jul to 13 Jul" in t for t in fights) and any(", 14 Jul;" in t for t in fights), fights
