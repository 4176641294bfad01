"""Reader review M2: a development names who acted on whom where its events agree on the direction ("Azerbaijan fought
Russia", the Mi-24 downed on 9 November 2020), and keeps "X and Y" for a mutual or contested act (the Tovuz fighting,
coded both ways); its row carries actor, target and CAMEO code for the table and the JSON."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from geodrift.analytics.salience import developments
from geodrift.codebooks import briefing_regions, cameo_codes, data_rows
from geodrift.codebooks.acts import directed_act, root_word
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
    assert [r["root"] for r in rows] == roots
    for row in rows:
        assert "{actor}" in row["directed"] and "{target}" in row["directed"], row
    assert directed_act("19", "Azerbaijan", "Russia") == "Azerbaijan fought Russia"
    assert directed_act("99", "Azerbaijan", "Russia") == "Azerbaijan → Russia: CAMEO root 99"
    assert root_word("19") == "fight"


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
