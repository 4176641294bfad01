"""Actions from the packaged verb dictionary: PETRARCH-2 patterns apply to their whole synonym block, pattern
words belong to the nearest verb, and verb forms used as nouns or adjectives are not actions."""

from __future__ import annotations

from pathlib import Path

from geodrift.coding.actions import find_actions
from geodrift.coding.petrarch import parse_synsets, parse_verbs


def _codes(sentence: str) -> list[tuple[str, str]]:
    return [(a.text, a.code) for a in find_actions(sentence)]


def test_block_patterns_apply_to_every_verb_of_the_block(shared: Path) -> None:
    rows = parse_verbs(shared / "petrarch2" / "dictionaries" / "CAMEO.2.0.txt")
    cancel = {r[0] for r in rows if r[4] == "CANCEL" and r[0]}
    assert {"HALTED", "SUSPENDED", "CALLED OFF", "SHUTS DOWN"} <= cancel  # "+CALL_OFF", "{+SHUTS_DOWN ...}"
    patterns = {r[3] for r in rows if r[4] == "CANCEL" and r[3]}
    assert "* FLIGHTS" in patterns and "WORK *" in patterns  # a pattern with a word before the verb
    synsets = dict.fromkeys(phrase for name, phrase in parse_synsets(shared / "petrarch2" / "dictionaries" / "CAMEO.2.0.txt")
                            if name == "&MILITARY")
    assert {"TROOPS", "ARMED FORCES"} <= set(synsets)


def test_pattern_codes_and_multi_word_verbs() -> None:
    assert ("halted", "160") in _codes("Turkey halted flights to Iraq on Monday.")
    assert _codes("Armenia called off the talks.")[0] == ("called off", "160")
    assert ("suspended", "160") not in _codes("Georgia suspended the search.")  # "* SEARCH [---]": no event


def test_pattern_words_belong_to_the_nearest_verb() -> None:
    """"said ... it had halted economic aid": the aid belongs to "halted" (SAY's own "aid" pattern must not fire)."""
    codes = dict(_codes("Japan said on Tuesday it had halted economic aid to Serbia."))
    assert codes["said"] == "010"
    assert codes["halted"][:2] == "16"


def test_verb_forms_used_as_nouns_or_adjectives() -> None:
    assert [t for t, _ in _codes("Serb forces killed three villagers.")] == ["killed"]
    assert [t for t, _ in _codes("Vietnamese-led forces have retaken the village.")] == []
    assert "Ousted" not in [t for t, _ in _codes("Ousted President Askar Akayev agreed to resign.")]
    assert ("attacked", "190") in _codes("Russia attacked Georgia.")  # a participle before a name is still a verb
    assert ("forces", "170") in _codes("The law forces Ukraine to pay.")
