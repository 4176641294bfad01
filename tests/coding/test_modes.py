"""PLOVER's categories in the hybrid coder: a generic coercive, violent or yielding act takes the code of the mode its
sentence names (a specific code and a sentence without a mode are left alone), a halted consultation reduces
relations; and the confusion bench codes the development split with out-of-fold gates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.coder_confusion import cross_validated_hybrid
from bench.coder_validation import gsr_category

from geodrift.codebooks import cameo_codes
from geodrift.coding.coder import DictionaryCoder, code_text
from geodrift.coding.hybrid import HybridCoder, decided_by
from geodrift.coding.modes import families, halted, modes, refined


def test_every_mode_gives_a_known_code_of_its_category() -> None:
    table = modes()
    assert {m.plover for m in table} == {"COERCE", "ASSAULT", "FIGHT", "RETREAT"}
    for mode in table:
        assert mode.code in cameo_codes(), mode
        assert gsr_category(mode.code) == mode.plover, mode


@pytest.mark.parametrize(("sentence", "code"), [
    ("A camp was attacked by militiamen armed with machetes.", "180"),
    ("Soldiers attacked the village and beat up its elders.", "182"),
    ("Rebels attacked a convoy with a roadside bomb.", "183"),
    ("Bulldozers attacked the quarter and demolished homes.", "1712"),
    ("The junta attacked the opposition, declaring a state of siege.", "1724"),
    ("Tanks attacked the town at dawn.", "194"),
    ("Warplanes attacked the town at dawn.", "195"),
])
def test_a_generic_act_takes_the_mode_its_sentence_names(sentence: str, code: str) -> None:
    assert refined("190", sentence, sentence.index("attacked")) == code


def test_the_mode_nearest_the_act_wins_and_specific_codes_stay() -> None:
    sentence = "Police arrested 12 protesters after tanks attacked the square."
    assert refined("190", sentence, sentence.index("attacked")) == "194"  # "tanks" is nearer than "arrested"
    assert refined("190", sentence, 0) == "173"
    assert refined("194", sentence, 0) == "194"  # the dictionary's own specific code
    assert refined("190", "Troops attacked the town.", 7) == "190"  # no mode named
    assert "190" in families() and "194" not in families() and families()["080"] == {"08"}
    assert refined("190", "He beat his rival.", 3) == "182" and refined("190", "He defeated his rival.", 3) == "190"


def test_a_generic_yielding_is_a_retreat_where_its_sentence_names_one() -> None:
    sentence = "Five hundred rebels yielded and surrendered last week in the eastern town."
    assert refined("080", sentence, sentence.index("yielded")) == "0874"
    assert gsr_category("0874") == "RETREAT" and gsr_category("080") == "CONCEDE"
    assert refined("080", "The government yielded to the strikers and freed 40 prisoners.", 15) == "0841"
    assert refined("080", "The government yielded to the strikers.", 15) == "080"  # a concession: no mode named
    assert refined("190", "The rebels attacked and surrendered.", 11) == "190"  # a retreat's cue is not a fight's


def test_the_hybrid_reads_assaults_and_coercion_apart_from_fighting() -> None:
    dictionary, hybrid = DictionaryCoder(), HybridCoder()
    text = "Azerbaijani soldiers beat up Armenian prisoners of war, a rights group said."
    plain = code_text(text, published="2020-11-20", coder=dictionary)
    assert plain and plain[0]["event_code"] == "190"  # the dictionary's generic code: a fight
    coded = code_text(text, published="2020-11-20", coder=hybrid)
    assert coded[0]["event_code"] == "182" and gsr_category(coded[0]["event_code"]) == "ASSAULT"
    assert coded[0]["event_root_code"] == "18" and coded[0]["quad_class"] == 4
    assert (coded[0]["actor1_code"], coded[0]["actor2_code"]) == (plain[0]["actor1_code"], plain[0]["actor2_code"])
    assert decided_by(coded[0]) == "dictionary"
    assert coded[0]["event_id"] != plain[0]["event_id"]  # another code, another event id


def test_an_announced_coercive_act_is_a_threat_not_an_agreement() -> None:
    text = "Iraq's interim government announced that it is prepared to impose martial law in Baghdad."
    plain = code_text(text, published="2016-12-19", coder=DictionaryCoder())
    assert plain[0]["event_code"][:2] == "03"  # "prepared to": an intent to cooperate
    coded = code_text(text, published="2016-12-19", coder=HybridCoder())
    assert gsr_category(coded[0]["event_code"], coded[0]["modality"]) == "THREATEN"
    talks = code_text("Azerbaijan plans to hold talks with Armenia next week.", published="2020-07-14", coder=HybridCoder())
    assert gsr_category(talks[0]["event_code"], talks[0]["modality"]) in ("AGREE", "CONSULT")


def test_a_halted_consultation_or_cooperation_reduces_relations() -> None:
    visit = "A French minister has cancelled a planned visit to Haiti, the ministry said."
    assert halted("042", visit, visit.index("visit")) == "160"
    talks = "Georgia suspended talks with Russia."
    assert halted("046", talks, talks.index("talks")) == "164"
    assert halted("040", "Turkey called off mediation between them.", 7) == "165"
    assert halted("070", "Japan halted aid to the region.", 13) == "162"
    assert halted("046", "Georgia held talks with Russia.", 13) == "046"  # not halted
    assert halted("046", "Talks ended on Friday.", 0) == "046"  # a round of talks closed, not halted
    assert halted("190", "Rebels halted and fired on the town.", 7) == "190"  # only roots 04-07
    assert gsr_category("164") == gsr_category("160") == gsr_category("163") == "SANCTION"
    coded = code_text(visit, published="2016-12-19", coder=HybridCoder())
    assert coded[0]["event_code"] == "160" and coded[0]["quad_class"] == 4
    assert code_text(visit, published="2016-12-19", coder=DictionaryCoder())[0]["event_code"] == "042"


@pytest.mark.long  # codes the gate's 370 sentences and fits ten gates: ~40 s of wall on the shared machine
def test_the_confusion_bench_codes_each_development_record_by_a_gate_fitted_without_it(shared: Path) -> None:
    records = [r for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "event" in r and "text" in r]
    development = [r for i, r in enumerate(records) if i % 5][:60]
    found = cross_validated_hybrid(shared, development, DictionaryCoder())
    assert len(found) == len(development) and set(found) <= {r["event"] for r in records} | {None}
    right = sum(f == r["event"] for f, r in zip(found, development, strict=True))
    assert right >= 0.6 * len(development)  # 0.743 on the whole split when written
    with pytest.raises(KeyError):  # a hold-out record is in no fold: the bench cannot code it
        cross_validated_hybrid(shared, records[:1], DictionaryCoder())
