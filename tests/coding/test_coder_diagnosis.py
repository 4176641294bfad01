"""bench/coder_diagnosis.py puts each wrong PLOVER record under the cause its events and event words show."""

from __future__ import annotations

from bench.coder_diagnosis import cause, word_types


def event(code: str, modality: str = "actual") -> dict[str, str]:
    return {"event_code": code, "modality": modality}


def test_word_types_read_the_packaged_dictionary() -> None:
    types = word_types(["shelled", "demanded", "qwertyzz"])
    assert "FIGHT" in types["shelled"] and "DEMAND" in types["demanded"] and types["qwertyzz"] == set()


def test_each_cause() -> None:
    assert cause("FIGHT", [], ["fired"]) == "no act"
    # "Israeli tanks fired four shell bombs": the fight (190) was found, an assault (183) was scored.
    assert cause("FIGHT", [event("183"), event("190")], ["tanks", "fired"]) == "main event"
    # The act was found, but announced: an intent to retreat reads as a concession, not the retreat.
    assert cause("RETREAT", [event("0874", "announced")], ["withdraw"]) == "announced"
    assert cause("PROTEST", [event("010")], ["qwertyzz"]) == "vocabulary"
    assert cause("RETREAT", [event("083")], ["resigned"]) == "verb sense"
    # "pushing hard for ... support": PUSH has a DEMAND reading the sentence did not get.
    assert cause("DEMAND", [event("060")], ["pushing", "support"]) == "verb sense, another reading"
