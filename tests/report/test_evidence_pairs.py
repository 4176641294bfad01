"""The attacker review's cases: an apology disowns only its own actor's act toward the same party within a day, and
a compound sentence's unrelated acts are not grouped into one item."""

from __future__ import annotations

import pandas as pd

from geodrift.report.evidence import items
from geodrift.report.grouping import groups


def _cluster(cid: str, a1: str, a2: str, code: str, goldstein: float, day: str, weight: float) -> dict[str, object]:
    return {"cluster_id": cid, "event_id": cid, "pole": "A", "event_date": pd.Timestamp(day), "actor1_country": a1,
            "actor2_country": a2, "event_code": code, "goldstein": goldstein, "weight": weight}


def _weights(rows: list[dict[str, object]]) -> dict[str, float]:
    return {str(r.cluster_id): w for r, _, w in items(pd.DataFrame(rows))}


def test_an_apology_the_same_day_by_the_actor_disowns_its_act() -> None:
    """The Mi-24 case: Azerbaijan shoots down a Russian helicopter and apologises to Russia that day."""
    weights = _weights([_cluster("downing", "AZE", "RUS", "190", -10, "2020-11-09", -1.58),
                        _cluster("apology", "AZE", "RUS", "055", 3.5, "2020-11-09", 0.90)])
    assert weights == {"downing": 0.0}


def test_the_other_sides_apology_does_not_disown_an_air_strike() -> None:
    weights = _weights([_cluster("strike", "AZE", "ARM", "195", -10, "2020-11-08", -5.0),
                        _cluster("apology", "ARM", "AZE", "055", 3.5, "2020-11-09", 0.5)])
    assert weights["strike"] != 0.0


def test_an_apology_days_later_reverses_but_does_not_disown_an_offensive() -> None:
    weights = _weights([_cluster("offensive", "AZE", "ARM", "190", -10, "2020-09-27", -5.0),
                        _cluster("apology", "AZE", "ARM", "055", 3.5, "2020-09-30", 0.5)])
    assert weights["offensive"] == -4.5


def _key(countries: set[str], family: str, day: str, sentence: str) -> tuple:
    return (frozenset(countries), family, pd.Timestamp(day), pd.Timestamp(day), frozenset([sentence]))


def test_a_compound_sentence_keeps_its_unrelated_acts_apart() -> None:
    """'Turkey rebuked France, while Greece and Cyprus pledged to cooperate': a rebuke and a pledge, one sentence."""
    said = "turkey rebuked france, while greece and cyprus pledged to cooperate"
    keys = [_key({"TUR", "FRA"}, "11 actual", "2020-08-20", said), _key({"GRC", "CYP"}, "03 actual", "2020-08-20", said)]
    assert groups(keys) == [[0], [1]]


def test_an_actual_and_a_denied_shelling_in_one_sentence_stay_apart() -> None:
    said = "russia denied shelling kharkiv, and ukraine said russian artillery shelled kherson"
    keys = [_key({"RUS", "UKR"}, "violence actual", "2022-05-02", said),
            _key({"RUS", "UKR"}, "violence negated", "2022-05-02", said)]
    assert groups(keys) == [[0], [1]]


def test_one_statement_to_two_parties_is_one_item() -> None:
    said = "peskov urged armenia and azerbaijan to show restraint"
    keys = [_key({"ARM", "RUS"}, "02 actual", "2020-07-14", said), _key({"AZE", "RUS"}, "02 actual", "2020-07-14", said)]
    assert groups(keys) == [[0, 1]]
