"""Report-level grouping (report/grouping.py): one happening told on two days is one item; a run of days, two
places, two kinds of act or an accusation and its counter-accusation are not."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from geodrift.codebooks import briefing_regions
from geodrift.query import EventFilter
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.grouping import Key, groups, kind
from geodrift.report.occasions import occasions
from geodrift.store import Store

ARM_AZE = frozenset({"ARM", "AZE"})
FIGHT = r"Armenia and Azerbaijan: fight|Armenia fought Azerbaijan|Azerbaijan fought Armenia"
"""Fighting between the two, mutual or (where its events agree on who attacked) directed."""


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
    """The days each development spans, from its dates ("12 Jul to 13 Jul" is 2)."""
    ranges = [re.search(r", (\d\d \w{3}) to (\d\d \w{3})[;.]", t) for t in texts]
    return [(pd.Timestamp(f"{m[2]} 2020") - pd.Timestamp(f"{m[1]} 2020")).days + 1 for m in ranges if m]


def test_the_briefing_does_not_join_the_july_fighting(report_store: Store, tmp_path: Path) -> None:
    # The 14-day briefing to 24 July 2020 showed the fighting of 12-23 July as one development "7 events (77 reports
    # over 12 days)": the 12-22 July fighting and the 23 July shelling joined through adjacent days.
    region = briefing_regions()["caucasus"]
    document = build_briefing(report_store, dt.date(2020, 7, 24), region, tmp_path, days=14)
    texts = [p.text for s in document.sections if s.heading == "Developments" for p in s.items]
    # a development merged of several (``days`` > 1) spans at most two days; one of salience's spans the window
    merged = occasions(report_store, region.countries, dt.date(2020, 7, 11), dt.date(2020, 7, 25),
                       members=region.members, baseline_days=90, where=EventFilter())
    assert texts and merged.days.max() <= 2, merged
    # (named "Armenia and Azerbaijan: ..." or with who acted on whom, "Azerbaijan fought Armenia")
    fights = [t for t in texts if re.match(r"(Armenia|Azerbaijan)\b[^(:]*\b(Armenia|Azerbaijan)\b", t) and "23 Jul" in t]
    assert fights and not any("12 Jul to 23 Jul" in t for t in fights), fights


def test_the_analysis_timeline_tells_the_tovuz_days_apart(report_store: Store, tmp_path: Path) -> None:
    # The flagship analysis's timeline joined the fighting of 12, 13 and 14 July 2020 into "3 events (68 reports
    # over 3 days)"; now 12-13 July is one item and 14 July (Aghdam village) another.
    document = build_analysis(report_store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1), tmp_path)
    timeline = next(s for s in document.sections if s.heading.startswith("Timeline"))
    texts = [p.text for p in timeline.items]
    assert max(_spans(texts), default=1) <= 2, texts
    fights = [t for t in texts if re.match(FIGHT, t) and "Jul" in t]
    assert not any("12 Jul to 14 Jul" in t for t in fights), fights
    assert any("12 Jul to 13 Jul" in t for t in fights) and any(", 14 Jul;" in t for t in fights), fights


def test_one_occasion_across_pairs_is_one_item() -> None:
    # the ceasefire of three parties, coded once per pair, and one battle told per pair and with an unnamed side
    arm_rus, aze_rus, aze = frozenset({"ARM", "RUS"}), frozenset({"AZE", "RUS"}), frozenset({"AZE"})
    deal = [item(9, "08 actual", kinds=("deal", "087")), item(9, "05 actual", kinds=("deal",), countries=aze_rus),
            item(10, "05 actual", kinds=("deal",), countries=arm_rus)]
    assert groups(deal) == [[0, 1, 2]]
    battle = [item(7, places=("shusha", "lachin"), countries=aze), item(8, places=("shusha",)),
              item(7, "15 actual", places=("shusha",), countries=aze)]
    assert groups(battle) == [[0, 1, 2]]


def test_pairs_of_one_party_stay_apart_unless_one_occasion() -> None:
    aze_rus, arm_rus = frozenset({"AZE", "RUS"}), frozenset({"ARM", "RUS"})
    # a helicopter shot down at the Nakhchivan border and a battle at Shusha the day before: two places, two items
    assert groups([item(9, places=("armenia-nakhchivan border",), countries=aze_rus),
                   item(8, places=("shusha",))]) == [[0], [1]]
    # fighting of two pairs where neither names a place is not known to be one battle
    assert groups([item(9, countries=aze_rus), item(9)]) == [[0], [1]]
    # a deal of one pair and another pair's talks the same day; a deal of pairs that share no party
    assert groups([item(9, "05 actual", kinds=("deal",), countries=aze_rus),
                   item(9, "04 actual", kinds=("041",), countries=arm_rus)]) == [[0], [1]]
    assert groups([item(9, "05 actual", kinds=("deal",), countries=frozenset({"GEO", "TUR"})),
                   item(9, "05 actual", kinds=("deal",))]) == [[0], [1]]
    # violence and a force posture at one place, days apart: two
    assert groups([item(7, "15 actual", places=("shusha",)), item(12, places=("shusha",))]) == [[0], [1]]


def test_the_analysis_timeline_tells_the_first_day_of_the_war_once(report_store: Store, tmp_path: Path) -> None:
    # Reader 7 (H1): the timeline listed the 27 September 2020 fighting as "Azerbaijan: fight" and "Armenia and
    # Azerbaijan: fight" (the one told with an unnamed side); one battle on the line of contact is one item.
    document = build_analysis(report_store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1), tmp_path)
    timeline = next(s for s in document.sections if s.heading.startswith("Timeline"))
    first_day = [p.text for p in timeline.items if ", 27 Sep;" in p.text and ": fight" in p.text]
    assert len(first_day) == 1 and first_day[0].startswith("Armenia and Azerbaijan: fight"), first_day
