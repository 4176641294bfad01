"""Actors named by their role alone (coding/bare.py): a sentence that names no country but reports an act gets its
event from the hybrid coder, its actors coded as PETRARCH-2 codes them ("---COP"); the dictionary coder and every
sentence that names a country are left as they were."""

from __future__ import annotations

from geodrift.coding.bare import bare_agents
from geodrift.coding.coder import DictionaryCoder, code_text
from geodrift.coding.hybrid import HybridCoder, decided_by
from geodrift.coding.lexicon import packaged
from geodrift.coding.model import event_class

DICTIONARY = DictionaryCoder()
HYBRID = HybridCoder(DICTIONARY)


def coded(text: str) -> list[dict]:  # type: ignore[type-arg]
    return code_text(text, published="2021-03-03", coder=HYBRID)


def test_agents_without_a_country() -> None:
    found = bare_agents("Police fired tear gas at protesters in the capital on Saturday.", packaged())
    assert [(a.text, a.code, a.country, a.role) for a in found] == [
        ("Police", "---COP", None, "COP"), ("protesters", "---OPP", None, "OPP")]
    # After a dateline only: "TBILISI, March 3 (Reuters) -" files the story.
    assert bare_agents("Tbilisi, 3 March 2021.", packaged()) == []


def test_an_act_between_agents_is_coded_by_the_hybrid() -> None:
    text = "Police fired tear gas at protesters in the capital on Saturday."
    assert code_text(text, published="2021-03-03", coder=DICTIONARY) == []  # the default coder needs a country
    events = coded(text)
    assert events and all(e["actor1_code"] == "---COP" and e["actor2_code"] == "---OPP" for e in events)
    assert {event_class(e["event_code"]) for e in events} == {"material_conflict"}
    assert all(e["actor1_country"] is None and decided_by(e) == "dictionary" for e in events)
    clash = coded("Protesters clashed with police outside parliament.")
    assert [(e["actor1_code"], e["actor2_code"], e["event_root_code"]) for e in clash] == [("---OPP", "---COP", "19")]


def test_one_agent_and_a_statement() -> None:
    events = coded("The ministry accused the opposition of inciting violence.")
    assert [(e["actor1_code"], e["event_root_code"]) for e in events] == [("---GOV", "11")]


def test_a_named_country_keeps_the_dictionary_reading() -> None:
    text = "Armenian police detained dozens of protesters in Yerevan on Saturday."
    assert coded(text) == [dict(e, source_event_id=e["source_event_id"] + "|dictionary", event_id=coded(text)[k]["event_id"])
                           for k, e in enumerate(code_text(text, published="2021-03-03", coder=DICTIONARY))]
    assert all(not e["actor1_code"].startswith("---") for e in coded(text))


def test_no_agent_no_event() -> None:
    assert coded("The weather was cold and the streets were quiet.") == []
    assert coded("Tbilisi, 3 March 2021.") == []


def test_a_passive_is_turned_round_or_has_no_doer() -> None:
    beaten = coded("Several journalists were detained by security forces during the rally.")
    assert [(e["actor1_code"], e["actor2_code"]) for e in beaten] == [("---COP", "---MED")]
    # No doer named: the dead, the fined did nothing (as the dictionary reads "105 servicemen had been killed").
    assert coded("It was not clear how many people had been killed.") == []
    assert coded("The company was fined for violating sanctions.") == []
