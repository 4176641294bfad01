"""Coder defects of issue 18 met on real news, each from a realistic sentence: "armed" read as the verb ARM (062,
military aid) in "armed forces/groups/clashes"; an agent after a comma taken as the role of the actor before it; an
answer to an appeal ("the bloc agreed to send a mission") coded with no target."""

from __future__ import annotations

import datetime as dt

import pytest

from geodrift.coding.actors import find_actors
from geodrift.coding.coder import code_text


def events(text: str, coder: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(e["actor1_code"], e["event_code"], e["actor2_code"])
            for e in code_text(text, published="2020-10-05", coder=coder)]


@pytest.mark.parametrize(("coder", "shelled"), [("dictionary", "190"), ("hybrid", "194")])
def test_armed_before_a_noun_is_an_adjective_not_military_aid(coder: str, shelled: str) -> None:
    # 178 caucasus summaries say "Azerbaijani armed forces": each gave a 062 beside its act, and the role of
    # Phoenix's "ARMED FORCE" stem (UAF, unidentified armed forces) instead of "ARMED FORCES" (MIL). The dictionary
    # codes "shelled" by its block (190), the hybrid by the mode it names (194).
    assert events("Azerbaijani armed forces shelled the town of Martuni on Sunday.", coder) == [
        ("AZEMIL", shelled, None)]
    assert [c for _, c, _ in events("Armenian armed groups fired on Azerbaijani positions near Tovuz.")] == ["190"]
    assert [c for _, c, _ in events("Fresh armed clashes broke out between Armenian and Azerbaijani forces.")] == [
        "190", "190"]
    # Before an object it is still the verb.
    assert ("RUS", "062") in [(a[:3], c) for a, c, _ in events("Russia armed the separatists with heavy weapons.")]
    assert ("TUR", "062", "SYR") in events("Turkey armed Syrian mercenaries and sent them to Azerbaijan.")


def test_an_agent_after_a_comma_is_not_the_role_of_the_actor_before() -> None:
    day = dt.date(2020, 10, 5)
    roles = {a.text: a.role for a in find_actors(
        "Turkey and Russia, Kremlin spokesman Dmitry Peskov said, had discussed the fighting.", day)}
    assert roles["Turkey"] == "GOV" and roles["Russia"] == "GOV"  # not the spokesman's MED
    quoted = find_actors("Azerbaijan and Armenia, foreign ministry spokeswoman Maria Zakharova said, must return to "
                         "talks.", day)
    assert [a.code for a in quoted] == ["AZE", "ARM", "RUSGOV"]  # no Azerbaijani foreign ministry
    assert [a.code for a in find_actors("According to the defence ministry, Armenia shelled Tartar.", day)] == ["ARM"]
    # A list of adjectives sharing their head noun keeps it, with or without a comma before "and".
    for text in ("Armenian, Azerbaijani and Russian forces took part.", "Armenian, Azerbaijani, and Russian forces "
                 "took part."):
        assert [a.code for a in find_actors(text, day)] == ["ARMMIL", "AZEMIL", "RUSMIL"]


def test_an_answer_to_an_appeal_is_aimed_at_the_one_who_asked() -> None:
    text = "Armenia asked the CSTO for help, and the Moscow-led bloc agreed to send a mission to assess the situation."
    assert ("IGOCSTO", "030", "ARM") in events(text)
    assert ("IGOCSTO", "030", None) not in events(text)
    assert ("RUS", "030", "ARM") in events("Armenia urged Russia to intervene, and Russia agreed to send peacekeepers.")
    # No appeal, no one to answer; a named target stays.
    assert events("Russia agreed to send peacekeepers.") == [("RUS", "030", None)]
    assert ("TUR", "050", "AZE") in events("Azerbaijan rejected Armenia's call for talks, and Turkey pledged support to "
                                           "Baku.")
