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
