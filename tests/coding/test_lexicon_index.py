"""The lexicon's look-up indexes (issue 18, throughput) give what testing every entry gave: the longest agent stem
a word starts with, and every verb pattern a sentence holding its words may match, in the dictionary's order."""

from __future__ import annotations

import datetime as dt

from geodrift.coding.actions import _candidates, find_actions
from geodrift.coding.actors import agent_code, find_actors
from geodrift.coding.lexicon import packaged


def _longest_stem(tokens: list[str]) -> str | None:
    """The agent code as it was found before the index: every stem of the phrase tested, the longest kept."""
    lexicon = packaged()
    if tuple(tokens) in lexicon.agents:
        return lexicon.agents[tuple(tokens)]
    stems = [(len(stem), code) for stem, code in lexicon.agent_stems.get(tuple(tokens[:-1]), [])
             if tokens[-1].startswith(stem)]
    return max(stems, key=lambda s: s[0])[1] if stems else None


def test_agent_stems_by_prefix_agree_with_testing_every_stem() -> None:
    lexicon = packaged()
    tails = ("", "S", "ES", "MEN")
    words = sorted({stem + tail for entries in lexicon.agent_stems.values() for stem, _ in entries for tail in tails})
    phrases = [[word] for word in words]  # every one-word stem (612) against every stem of every phrase, extended
    phrases += [[*head, stem[:cut] + tail] for head, entries in lexicon.agent_stems.items() if head
                for stem, _ in entries for cut in (None, -1) for tail in tails]
    phrases += [[w] for w in ("FORCES", "ARMED", "TROOPS", "MINISTRY", "SPOKESMAN", "GOVERNMENT", "TOVUZ", "THE")]
    assert sum(agent_code(p, lexicon) is not None for p in phrases) > 1000
    assert all(agent_code(p, lexicon) == _longest_stem(p) for p in phrases)
    assert agent_code(["ARMED", "FORCES"], lexicon) == "MIL"


def test_every_pattern_is_a_candidate_where_its_words_are() -> None:
    lexicon = packaged()
    for key, patterns in lexicon.patterns.items():
        for pattern in patterns:
            if not all((*pattern.before, *pattern.after)):
                continue  # a slot from an empty synonym set: the pattern matches nothing, tried or not
            present = {min(slot) for slot in (*pattern.before, *pattern.after)}
            candidates = _candidates(lexicon, key, present)
            assert pattern in candidates, (key, pattern)
            assert candidates == [p for p in patterns if p in candidates]  # the dictionary's order kept


def test_patterns_without_their_first_word_are_not_tried() -> None:
    lexicon = packaged()
    assert _candidates(lexicon, "=HALT", set()) == []
    assert _candidates(lexicon, "no such block", {"AID"}) == []


def test_patterns_still_decide_codes() -> None:
    """A pattern's words after the verb make the event ("halted aid" -> 162, "sent troops" -> 062); without them the
    verb's own code stands ("halted the talks" -> 160)."""
    assert next((a.text, a.code) for a in find_actions("Washington halted aid to Baku.")) == ("halted", "162")
    assert [(a.text, a.code) for a in find_actions("Turkey sent troops to Azerbaijan.")] == [("sent", "062")]
    assert [(a.text, a.code) for a in find_actions("Russia halted the talks.")] == [("halted", "160")]
    assert [(a.text, a.role) for a in find_actors("The Armenian armed forces shelled Tovuz.", dt.date(2020, 7, 24))] == [
        ("Armenian", "MIL")]
