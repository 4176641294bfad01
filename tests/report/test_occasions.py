"""Reader 7's briefing of the week to 12 November 2020 on the curated events: one real event, one development
(the trilateral ceasefire, the battle for Shusha), the Mi-24 shot down with Baku's apology, cut lists that say so,
a timeline over five years that spans them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from geodrift.codebooks import briefing_regions
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing, forecast_items
from geodrift.report.document import Document, Paragraph
from geodrift.report.narrative import TemplateNarrator
from geodrift.store import Store

CEASEFIRE = {"curated:2c943cb10045daaf", "curated:454e7524d63827df", "curated:cfc2d9d853c458e9"}
"""Azerbaijan and Armenia declare the ceasefire; Russia signs with Azerbaijan; Putin, Aliyev and Pashinyan sign. (The
first cluster is cited by People's Daily's report now, an outlet of known country, not a blog's: reader review M7.)"""
SHUSHA = {"curated:1a28de777399190d", "curated:491ad1854c09507c", "curated:1ef12b7573633cb1"}
"""Aliyev's troops take the villages (Shusha, with an unnamed side), the battles for Shusha, the massing to seize it."""
HELICOPTER, APOLOGY = "curated:1308af7687ab41bb", "curated:da762df82fe09e52"


@pytest.fixture(scope="module")
def november(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Document:
    return build_briefing(report_store, dt.date(2020, 11, 12), briefing_regions()["caucasus"],
                          tmp_path_factory.mktemp("november"), days=7)


def _items(document: Document) -> list[Paragraph]:
    return next(s for s in document.sections if s.heading == "Developments").items


def _holding(document: Document, ids: set[str]) -> list[Paragraph]:
    return [p for p in _items(document) if ids & set(p.all_cites())]


def test_the_ceasefire_of_three_parties_is_one_development(november: Document) -> None:
    (item,) = _holding(november, CEASEFIRE)
    assert set(item.all_cites()) >= CEASEFIRE and item.text.startswith("Armenia, Azerbaijan and Russia: "), item.text
    # each pair's part names who acted on whom where its reports agree (Russia's signature, coded as its act)
    assert [re.split(r":| \(", p.text)[0] for p in item.parts] == [
        "Armenia and Azerbaijan", "Russia engaged in diplomatic cooperation with Azerbaijan",
        "Russia engaged in diplomatic cooperation with Armenia"]
    assert APOLOGY not in item.all_cites(), "the apology for the helicopter is no part of the ceasefire"


def test_the_battle_for_shusha_is_one_development(november: Document) -> None:
    (item,) = _holding(november, SHUSHA)
    assert item.text.startswith("Armenia and Azerbaijan: fight (Shusha"), item.text
    assert len(item.parts) == 3 and "exhibit force posture (Shusha)" in item.parts[2].text


def test_the_helicopter_is_told_with_its_apology(november: Document) -> None:
    (item,) = _holding(november, {HELICOPTER, APOLOGY})
    assert "disowned by its actor's apology within 1 day" in item.text, item.text
    assert [p.cites for p in item.parts] == [[HELICOPTER], [APOLOGY]]
    # CAMEO 055 has a phrase of its own (codebooks/data/act_phrases.tsv): no "Azerbaijan → Russia: apologize"
    assert item.parts[1].text.startswith("Azerbaijan apologised to Russia (Baku)"), item.parts[1].text


def test_the_summary_names_the_countries_involved_and_counts_alike(november: Document) -> None:
    summary = november.sections[0].paragraphs[0].text
    # 18, not 19: an event dated only to November 2020 is in no week of it, told apart (report/unplaced.py)
    assert summary.startswith("18 events involving Armenia, Azerbaijan and Russia were stored"), summary
    texts = [p.text for p in _items(november)] + [q.text for p in _items(november) for q in p.parts]
    assert not any("over 2 days" in t for t in texts) and any("(24 reports)" in t for t in texts)


def test_a_cut_list_says_how_many_it_shows(report_store: Store, tmp_path: Path) -> None:
    document = build_briefing(report_store, dt.date(2020, 11, 12), briefing_regions()["caucasus"], tmp_path, days=7,
                              top=5)
    section = next(s for s in document.sections if s.heading == "Developments")
    (table,) = section.tables
    assert len(section.items) == 5 and len(table.rows) > 5
    assert section.paragraphs[0].text == (f"5 of {len(table.rows)} developments are listed here, the most salient; "
                                          "the table below ranks all of them.")


def test_a_timeline_over_five_years_spans_them(report_store: Store, tmp_path: Path) -> None:
    # Reader 7 (M3): the 2020-2024 timeline held 15 items of 2020, dated without the year
    document = build_analysis(report_store, "ARM", "RUS", "USA", dt.date(2020, 1, 1), dt.date(2025, 1, 1), tmp_path)
    timeline = next(s for s in document.sections if s.heading.startswith("Timeline"))
    years = {int(y) for p in timeline.items for y in re.findall(r"\b(20[12]\d)[;.,]", p.text)}
    assert len(timeline.items) == 15 and {2020, 2021, 2022, 2023} <= years, [p.text for p in timeline.items]


def test_what_to_watch_says_a_record_once() -> None:
    rows = [{"task": "escalation", "unit": unit, "as_of": dt.date(2020, 7, 24), "horizon": 7, "horizon_unit": "days",
             "k": 1, "p": p, "model": "climatology", "skill_climatology": 0.0, "skill_persistence": 0.05,
             "backtest_forecasts": 120} for unit, p in (("ARM-AZE", 0.2), ("AZE-RUS", 0.02))]
    rows += [{"task": "alignment RUS-TUR", "unit": "AZE", "as_of": dt.date(2019, 12, 31), "horizon": 1,
              "horizon_unit": "years", "k": None, "p": 0.01, "model": "persistence", "skill_climatology": 0.64,
              "mean": -0.94, "lo": -1.45, "hi": -0.44}]
    texts = [p.text for p in forecast_items(pd.DataFrame(rows), TemplateNarrator())]
    assert "over 120 backtest forecasts" in texts[0] and "backtest" not in texts[1], texts
    assert texts[1] == ("Between Azerbaijan and Russia: probability of at least 1 material-conflict event in the 7 "
                        "days after 24 July 2020: 2%.")
    assert texts[2].startswith("Azerbaijan in 2020 (1 year after its last UN votes, of 2019): position -0.94")
