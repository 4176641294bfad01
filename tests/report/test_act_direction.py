"""Reader review M2: a development names who acted on whom where its events agree on the direction ("Azerbaijan fought
Russia", the Mi-24 downed on 9 November 2020), and keeps "X and Y" for a mutual or contested act (the Tovuz fighting,
coded both ways); its row carries actor, target and CAMEO code for the table and the JSON."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from geodrift.analytics.salience import developments
from geodrift.codebooks import briefing_regions, cameo_codes, data_rows
from geodrift.codebooks.acts import directed_act, root_word, worded_as
from geodrift.query import EventFilter
from geodrift.report.briefing import build_briefing, development_text
from geodrift.report.narrative import TemplateNarrator
from geodrift.report.render import render_markdown
from geodrift.store import Store

CAUCASUS = briefing_regions()["caucasus"]


def _found(store: Store, start: dt.date, end: dt.date):
    return developments(store, CAUCASUS.countries, start, end, members=CAUCASUS.members, baseline_days=90,
                        where=EventFilter())


def test_every_cameo_root_has_a_phrase_naming_actor_and_target() -> None:
    rows = data_rows("act_phrases.tsv")
    roots = sorted(c for c in cameo_codes() if len(c) == 2)
    assert [r["code"] for r in rows if len(r["code"]) == 2] == roots
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    for row in rows:
        assert row["code"] in cameo_codes(), row
        assert "{actor}" in row["directed"] and "{target}" in row["directed"], row
    assert directed_act("19", "Azerbaijan", "Russia") == "Azerbaijan fought Russia"
    assert directed_act("99", "Azerbaijan", "Russia") == "Azerbaijan → Russia: CAMEO root 99"
    assert root_word("19") == "fight"


MEANING_OF_ITS_OWN = {
    "011": "declined", "014": "considered", "015": "acknowledged responsibility", "016": "denied responsibility",
    "017": "symbolic", "018": "sympathy", "019": "accord", "055": "apologised", "056": "forgave", "115": "lawsuit",
    "116": "guilty", "191": "blockade", "192": "occupied",
}
"""CAMEO codes (cameo_events.tsv's descriptions) that their root's generic phrase would misstate, with the word their
own phrase must say: a denial (016) is no "public statement on" its target, an apology (055) no "diplomatic
cooperation", a lawsuit (115) no criticism, a blockade (191) or an occupation (192) no fighting."""


def test_a_code_with_a_meaning_of_its_own_is_not_worded_as_its_root() -> None:
    rows = {r["code"]: r["directed"] for r in data_rows("act_phrases.tsv")}
    for code, word in MEANING_OF_ITS_OWN.items():
        said = directed_act(code, "Armenia", "Azerbaijan")
        assert said != directed_act(code[:2], "Armenia", "Azerbaijan") and word in said, (code, said)
    for code, phrase in rows.items():  # a child's own row says something its root's does not
        assert len(code) == 2 or phrase != rows[code[:2]], code
    for code in cameo_codes():  # every code is worded by itself or the nearest code above it with a row
        assert worded_as(code) == next(c for c in (code, code[:3], code[:2]) if c in rows), code
    assert directed_act("016", "Russia", "Azerbaijan") == "Russia denied responsibility for an act against Azerbaijan"
    assert directed_act("0874", "Armenia", "Azerbaijan") == directed_act("08", "Armenia", "Azerbaijan")


def test_a_denial_reads_as_a_denial_in_a_development() -> None:
    """A CAMEO 016 development read "Azerbaijan made a public statement on Armenia" (the root's phrase)."""
    row = SimpleNamespace(a="ARM", b="AZE", root="01", code="016", actor="AZE", target="ARM", parties=None,
                          modality="actual", places=[], events=1, reports=1, outlets=["en.trend.az"], sources=1,
                          datasets=["curated"], first_date=dt.date(2020, 7, 22), last_date=dt.date(2020, 7, 22),
                          first_month_only=False, last_month_only=False, baseline=0)
    assert development_text(row, TemplateNarrator()).startswith(
        "Azerbaijan denied responsibility for an act against Armenia: 1 event")
    # with no agreed direction the root's word names the act, as a battle coded 192 (occupy territory) reads "fight"
    mutual = SimpleNamespace(**{**vars(row), "actor": None, "target": None})
    assert development_text(mutual, TemplateNarrator()).startswith("Armenia and Azerbaijan: make public statement")
    other = SimpleNamespace(**{**vars(row), "code": "190"})  # a code outside its root names nothing: the root's phrase
    assert development_text(other, TemplateNarrator()).startswith("Azerbaijan made a public statement on Armenia: ")


def test_the_downed_helicopter_says_who_fired(report_store: Store) -> None:
    found = _found(report_store, dt.date(2020, 11, 9), dt.date(2020, 11, 10))
    mi24 = found[(found.a == "AZE") & (found.b == "RUS") & (found.root == "19")]
    assert len(mi24) == 1, found[["a", "b", "root"]]
    row = next(mi24.itertuples())
    assert (row.actor, row.target, row.code) == ("AZE", "RUS", "190")
    assert development_text(row, TemplateNarrator()).startswith("Azerbaijan fought Russia (")


def test_fighting_coded_both_ways_stays_mutual(report_store: Store) -> None:
    found = _found(report_store, dt.date(2020, 7, 12), dt.date(2020, 7, 13))
    tovuz = next(found[(found.a == "ARM") & (found.b == "AZE") & (found.root == "19")].itertuples())
    assert pd.isna(tovuz.actor) and pd.isna(tovuz.target)
    assert development_text(tovuz, TemplateNarrator()).startswith("Armenia and Azerbaijan: fight (")


def test_the_ranking_table_shows_direction_and_code(report_store: Store,
                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    document = build_briefing(report_store, dt.date(2020, 11, 10), CAUCASUS, tmp_path_factory.mktemp("b"), days=2)
    table = document.sections[1].tables[0]
    assert table.columns[1:4] == ["countries", "CAMEO root", "CAMEO code"]
    assert ["AZE → RUS", "19", "190"] in [row[1:4] for row in table.rows]
    text = render_markdown(document)
    assert re.search(r"^\d+\. Azerbaijan fought Russia \(", text, re.MULTILINE), text
