"""Reported speech in wire copy (issue 18, statements on real news): a verb in the clause a speaker reports is the
speaker's act only when its subject is the speaker or another party; "according to" attributes a report and is no
act (coding/speech.py, codebooks/data/verbs_extra.tsv)."""

from __future__ import annotations

import pytest

from geodrift.coding.actions import find_actions
from geodrift.coding.coder import DictionaryCoder, code_text
from geodrift.coding.lexicon import packaged
from geodrift.coding.model import event_class
from geodrift.coding.speech import described

DICTIONARY = DictionaryCoder()


def classes(text: str) -> set[str]:
    return {event_class(e["event_code"]) for e in code_text(text, published="2022-05-10", coder=DICTIONARY)}


@pytest.mark.parametrize("text", [
    "Egypt's president said on Sunday that the economy had improved markedly since the spring.",
    "The Sri Lankan president said the country was facing its worst economic crisis since independence.",
    "Japan's foreign minister said he was hopeful relations with Seoul would improve after the summit.",
])
def test_what_a_speaker_describes_is_no_act_of_the_speaker(text: str) -> None:
    # Before: "improved" was Egypt cooperating (060), "facing" Sri Lanka consulting (040).
    assert classes(text) == {"statement"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Baku said on Monday that Armenian troops had shelled the village of Alibeyli.", "material_conflict"),
    ("The Kremlin said it would send more peacekeepers to the region next month.", "verbal_cooperation"),
    ("Officials said the two leaders would discuss trade when they meet in Washington.", "verbal_cooperation"),
])
def test_acts_of_the_speaker_or_another_party_are_kept(text: str, expected: str) -> None:
    # The send is announced: an intent to cooperate (03).
    assert expected in classes(text)


def test_a_described_act_is_dropped_and_a_noun_in_the_object_kept() -> None:
    lexicon = packaged()
    text = "The minister said the situation had improved and that Turkey would reopen its border."
    assert "improved" not in [a.text for a in described(text, find_actions(text, frozenset(), lexicon), [], lexicon)]
    # "links" is a noun in what was announced, no verb with a subject of its own.
    text = "Serbia announced a suspension of air links with Croatia."
    assert "links" in [a.text for a in described(text, find_actions(text, frozenset(), lexicon), [], lexicon)]


def test_according_to_is_no_act() -> None:
    text = "Chinese troops attacked Indian soldiers in the Galwan Valley, according to Indian officials."
    # Before: "according" was a grant (060) beside the attack.
    assert [a.text for a in find_actions(text, frozenset(), packaged())] == ["attacked"]
    assert classes(text) == {"material_conflict"}


@pytest.mark.parametrize("text", [
    "Egypt's finance minister said the economy had grown by four percent.",
    "Chinese state media said the talks had been constructive.",
])
def test_a_title_is_no_act(text: str) -> None:
    # Before: "finance minister" was Egypt financing (061), an act that hid the statement.
    assert classes(text) == {"statement"}


def test_a_named_speakers_statement_is_not_dropped_by_the_model() -> None:
    from geodrift.coding.hybrid import HybridCoder

    text = "The Turkish president said the economy would grow by more than five percent this year."
    # Before: the model put P(none) >= 0.95 on it and the hybrid coded nothing.
    events = code_text(text, published="2022-05-10", coder=HybridCoder(DICTIONARY))
    assert {event_class(e["event_code"]) for e in events} == {"statement"}


@pytest.mark.parametrize(("text", "code"), [
    ("Ukraine demanded that Russia withdraw its troops from the Zaporizhzhia nuclear plant.", "105"),
    ("The opposition leader demanded immediate elections after the court ruling, his party said.", "1041"),
    ("Kyiv demanded the release of the 24 sailors, the foreign ministry said.", "1053"),
])
def test_a_demand_is_a_demand_not_an_appeal(text: str, code: str) -> None:
    # PETRARCH-2's DEMAND block gave its verbs the appeal codes of its patterns (025, 0241, 0253: verbal cooperation).
    assert code in [a.code for a in find_actions(text, frozenset(), packaged())]


@pytest.mark.parametrize("text", [
    "Armenia's foreign ministry said Azerbaijan bore full responsibility for the shelling of Jermuk.",
    "The Kosovo prime minister said on Sunday that Serbia was responsible for the attack on police in the north.",
    "Greece's foreign minister said Turkey was to blame for the rise in tensions in the Aegean.",
])
def test_putting_the_blame_on_another_party_is_an_accusation(text: str) -> None:
    events = code_text(text, published="2022-05-10", coder=DICTIONARY)
    accused = [e for e in events if e["event_code"] == "112"]
    # Before: a bare statement (010), or only the act blamed on the other party.
    assert accused and accused[0]["actor2_country"] in ("AZE", "SRB", "TUR")
    assert max(events, key=lambda e: e["confidence"])["event_code"] == "112"


def test_owning_the_blame_is_no_accusation() -> None:
    text = "The Greek prime minister said the government bore responsibility for the delays."
    assert "112" not in [e["event_code"] for e in code_text(text, published="2022-05-10", coder=DICTIONARY)]


@pytest.mark.parametrize(("text", "code"), [
    ("The International Monetary Fund disbursed $1.2 billion to Pakistan under its bailout programme.", "071"),
    ("Russia cut off gas supplies to Poland and Bulgaria, the Polish state energy company said.", "160"),
    ("Azerbaijani forces cut off the road to Lachin on Monday.", "191"),
])
def test_common_wire_verbs_the_table_lacked(text: str, code: str) -> None:
    events = code_text(text, published="2022-05-10", coder=DICTIONARY)
    assert max(events, key=lambda e: e["confidence"])["event_code"] == code
