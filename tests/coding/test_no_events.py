"""Lines that report no act give no event; a dateline's place is no actor (issue 18, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from geodrift.coding.coder import code_text
from geodrift.coding.reports import dateline_end, is_month, reports_nothing

DAY = dt.date(2021, 3, 3)


@pytest.mark.parametrize("line", ["Tbilisi, 3 March 2021.", "Gyumri (news.am), 8 March 2020", "BAKU, May 4 (Reuters)",
                                  "Top stories of the week: Armenia, Azerbaijan and Georgia.",
                                  "Analysts say the relationship between Armenia and Georgia has a long history."])
def test_non_reports_give_no_event(line: str) -> None:
    assert code_text(line, published=DAY) == []


def test_dateline_place_is_not_the_actor() -> None:
    events = code_text("TBILISI, March 3 (Reuters) - Armenian forces shelled Tovuz.", published=DAY)
    assert [(e["actor1_country"], e["event_root_code"]) for e in events] == [("ARM", "19")]
    assert dateline_end("BAKU -- Azerbaijan said it shot down a drone.") == len("BAKU -- ")
    assert dateline_end("Armenia: troops fire on the border.") == 0  # a plain country name and a colon is a headline
    assert not reports_nothing("Armenia said on Monday it shot down a drone.")


def test_months_are_not_marches() -> None:
    sentence = "Protesters will march on parliament in March, the opposition said."
    assert is_month(sentence, sentence.index("March"), sentence.index("March") + 5)
    assert not is_month("March on Baku, they said.", 0, 5)


def test_inverted_speaker_still_counts() -> None:
    events = code_text("Talks must resume, said Russian Foreign Minister Sergei Lavrov.", published=DAY)
    assert any(e["actor1_country"] == "RUS" for e in events)
