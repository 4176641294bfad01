"""Pair-level conflict forecasts on the real UCDP and COW data: coalition features, the blend model that beats
persistence, calibration per decile, and risk drivers that say what decided each row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodrift.forecast.conflict_backtest import backtest_conflict, conflict_models, max_decile_error
from geodrift.forecast.conflict_blend import ConflictBlend
from geodrift.forecast.conflict_data import ConflictHistory
from geodrift.forecast.conflict_features import panel
from geodrift.forecast.conflict_risk import conflict_risk
from geodrift.store import Store


def test_coalition_members_and_principals(history: ConflictHistory) -> None:
    pairs = history.pairs.set_index(["unit", "year"])
    assert pairs.loc[("IRQ-KWT", 1991), "primary"] == 1, "Iraq and Kuwait were the Gulf War's principals"
    assert pairs.loc[("IRQ-USA", 1991), "primary"] == 0 and pairs.loc[("IRQ-USA", 1991), "coalition"] > 25
    assert pairs.loc[("RUS-UKR", 2022), "primary"] == 1 and np.isnan(pairs.loc[("RUS-UKR", 2029), "primary"])
    rows = panel(history, "pair", "war", 1, [2001, 2024]).set_index(["unit", "year"])
    kosovo, ukraine = rows.loc[("SRB-USA", 2001)], rows.loc[("RUS-UKR", 2024)]
    assert kosovo.coalition_last > np.log1p(15) and kosovo.primary_last == 0, "NATO's 1999 war, read from 1999"
    assert ukraine.conflict_spell == pytest.approx(np.log1p(9)), "in conflict every year 2014-2022"
    assert ukraine.war_spell == pytest.approx(np.log1p(1)), "at war in 2022 only, by 2022"


def test_blend_pools_persistence_with_the_pairs_record(history: ConflictHistory) -> None:
    rows = panel(history, "pair", "war", 1, list(range(1950, 2002)))
    train, test = rows[(rows.year <= 1999) & rows.y.notna()], rows[rows.year == 2001]
    blend = ConflictBlend().fit(train, train.y.to_numpy())
    persistence = conflict_models()["persistence"].fit(train, train.y.to_numpy())
    active = test[test.recent > 0].set_index("unit")
    p = pd.Series(blend.predict(active.reset_index()), index=active.index)
    assert (p < persistence.predict(active.reset_index())).all(), "a pair's own record pulls the rate down"
    assert p["SRB-USA"] < 0.35, "NATO members had no war with Serbia before 1999"
    quiet = test[test.recent == 0]
    assert np.allclose(blend.predict(quiet), blend.onset_.predict(quiet)), "onsets: the transition's choice"


@pytest.mark.long  # two full pair backtests: about a minute of CPU
def test_blend_beats_persistence_on_pair_conflict_and_war(history: ConflictHistory) -> None:
    chosen = {k: v for k, v in conflict_models().items() if k in ("climatology", "persistence", "blend")}
    for outcome in ("conflict", "war"):
        table = backtest_conflict(history, level="pair", outcome=outcome, horizon=1, models=chosen).scores
        blend = table.set_index("model").loc["blend"]
        assert blend.skill_vs_persistence > 0.01 and blend.skill_vs_climatology > 0.2, (outcome, blend.to_dict())


def test_max_decile_error_counts_only_full_bins() -> None:
    from geodrift.forecast.scores import reliability

    p = np.r_[np.full(200, 0.05), np.full(60, 0.55), np.full(20, 0.95)]
    y = np.r_[np.zeros(190), np.ones(10), np.ones(30), np.zeros(30), np.zeros(20)]
    table = reliability(p, y)
    result = max_decile_error(table)
    assert result["deciles_scored"] == 2, "the 0.9 bin holds 20 forecasts: too few to count"
    assert result["max_decile_error"] == pytest.approx(0.05) and result["worst_decile"] == pytest.approx(0.55)
    assert np.isnan(max_decile_error(table, min_n=1000)["max_decile_error"])


def test_backtest_scores_carry_the_decile_error(history: ConflictHistory) -> None:
    result = backtest_conflict(history, level="pair", outcome="conflict", horizon=1, origins=range(2015, 2019),
                               models={k: v for k, v in conflict_models().items() if k in ("climatology", "persistence")})
    table = result.scores.set_index("model")
    for name, rel in result.reliability.items():
        full = rel[rel.n >= 50]
        assert table.max_decile_error[name] == pytest.approx((full.forecast - full.observed).abs().max())


def test_risk_drivers_say_what_decided(conflict_db: Path) -> None:
    with Store(conflict_db, read_only=True) as store:
        blend = conflict_risk(store, 2021, top=15, level="pair", model="blend", record=False).set_index("unit")
        persistence = conflict_risk(store, 2021, top=5, level="pair", model="persistence", record=False)
        boosted = conflict_risk(store, 2021, top=5, level="country", model="boosted", record=False)
    assert (blend.p_war <= blend.p_conflict).all(), "a war is an armed conflict (reader M1: Bahrain-Yemen)"
    active = blend[blend.in_conflict_last_known == 1]
    assert len(active) >= 3
    assert active.drivers.str.startswith("persistence: active in 2019, pooled with the pair's own record").all()
    quiet = blend[blend.in_conflict_last_known == 0]
    assert not quiet.drivers.str.contains("persistence: active").any() and quiet.drivers.ne("").all()
    assert persistence.drivers.str.match(r"persistence: (not )?active in 2019$").all()
    assert boosted.drivers.str.len().gt(3).all() and not boosted.drivers.str.contains("persistence").any()


def test_pair_battle_deaths_beat_both_baselines(history: ConflictHistory, tmp_path: Path) -> None:
    from geodrift.forecast.conflict_deaths import backtest_deaths, deaths_panel
    from geodrift.report.conflict_backtest import conflict_sections

    rows = deaths_panel(history, "pair").set_index(["unit", "year"])
    assert rows.deaths[("ERI-ETH", 2000)] == 50000 and rows.deaths[("IND-PAK", 2019)] == 164
    assert rows.deaths_last[("ERI-ETH", 2001)] == pytest.approx(np.log1p(47192)), "1999's deaths, read in 2001"
    hits = history.pairs[history.pairs.deaths > 0]
    known = hits[[history.first_history[u] <= y - 2 for u, y in zip(hits.unit, hits.year, strict=True)]]
    assert len(hits) == 39 and (rows.deaths > 0).sum() == len(known) == 36, \
        "every BRD state-against-state dyad-year of a pair with a shared history by Y-2 (not Panama-USA 1989)"
    result = backtest_deaths(history, level="pair")
    table = result.scores.set_index("model")
    assert table.skill_vs_climatology["hurdle"] > 0.1 and table.skill_vs_persistence["hurdle"] > 0.1
    section = conflict_sections([], result, tmp_path)[0]
    assert section.heading == "conflict — battle deaths per pair, next year"
    assert "pair-years with deaths" in section.paragraphs[0].text
