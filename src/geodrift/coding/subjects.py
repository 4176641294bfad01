"""Who the subject of an act is where the nearest actor before its verb is not (issue 18, a reader's September 2022
article): a speaker whose report an adjunct describes, the victims of a passive, "the two sides", the subject of a
participle after a comma. Used by coding/parties.py."""

from __future__ import annotations

import re

from geodrift.coding.actions import ActionMention
from geodrift.coding.actors import ActorMention

Pair = tuple[ActorMention, ActorMention | None]
"""An event's source and target (None: no target named), as coding/parties.py names it."""
VICTIM_ROOTS = frozenset({"17", "18", "19", "20"})
"""Acts with a victim (coercion, assault, fighting, mass violence): the subject of their passive suffered them ("were
killed", "were arrested"), unlike "was concerned" or "was ready", which describe the subject. With no doer named such
a passive is no event ("at least 105 Armenian servicemen had been killed": the dead did not kill; CAMEO codes an act by
its source, and the attack the toll counts is coded where its doer is named)."""
_PRONOUN = re.compile(r"\s+(?:them|him|her)\b", re.IGNORECASE)
_SAID_THEN = re.compile(r"\b(?:said|says|told\s+\w+|added|stated|reported)"
                        r"(?:\s+(?:(?:late|early)\s+)?(?:on|this|last|yesterday|today|tonight|in\s+an?|at\s+an?)\b[^,;]{0,30})?"
                        r"\s*,\s*(?:in|amid|during|after|following)\b", re.IGNORECASE)
"""A speaker's verb, with its own time or manner ("on Tuesday", "late on Sept. 13", "in a statement"), followed by an
adjunct of the whole report ("..., Armenia's defence ministry said on Tuesday, in the worst fighting between the two
countries since the 2020 war")."""
_FOR_WHOM = re.compile(r"\s*For\s+[^,;]{1,60},")
"""A sentence opening with whom its claim matters to ("For Russia, having allies in the South Caucasus guarantees a
degree of stability"): that actor is the topic, not the subject of the verb after it (review 7)."""
_SIDES_SUBJECT = re.compile(r"\b(?:the two (?:countries|sides|nations|states|leaders|presidents|governments)|both sides)"
                            r"\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
""""The two sides" as the subject of a verb (up to two words before it: "will", "also")."""
_COMMA = re.compile(r",\s*$")
_WHERE = re.compile(r"\b(?:in|at|outside|inside|near)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}$", re.IGNORECASE)
"""A place phrase before an actor ("outside the parliament in Yerevan"): it says where, and is no subject."""


def reachable(actors: list[ActorMention], action: ActionMention, sentence: str) -> list[ActorMention]:
    """``actors`` without those who cannot be parties of ``action`` from before it: a speaker before an adjunct that
    names the act ("..., Armenia's defence ministry said, in the worst fighting ...": the report's setting, not the
    speaker's act; the ministry that reports the shelling does not fight), the topic of an opening "For X," ("For
    Russia, having allies ... guarantees stability": Russia guarantees nothing), and actors across a semicolon
    ("Azerbaijani forces shell towns inside Armenia; ceasefire agreed after two days": Armenia agreed to nothing;
    "shelled Tartar overnight; talks resumed in Moscow": no shelling of Moscow)."""
    cuts = [m.end() for m in _SAID_THEN.finditer(sentence, 0, action.start)]
    cuts += [m.end() for m in [_FOR_WHOM.match(sentence)] if m and m.end() <= action.start]
    cuts += [k + 1 for k in range(action.start) if sentence[k] == ";"]
    stop = sentence.find(";", action.end)
    return [a for a in actors if (not cuts or a.start >= max(cuts) or a.end > action.start)
            and (stop < 0 or a.start < stop)]


def pronoun_objects(previous: list[Pair], action: ActionMention, sentence: str) -> list[ActorMention]:
    """The previous verb's objects when an object pronoun follows ``action`` ("phoned Pashinyan and Aliyev and urged
    them to ..."), else none."""
    if not _PRONOUN.match(sentence, action.end):
        return []
    return [target for _, target in previous if target is not None]


def the_two_sides(pairs: list[Pair], previous: list[Pair], action: ActionMention, sentence: str) -> list[Pair]:
    """``pairs``, or where "the two sides" are the act's subject the parties of the act before, each to the other:
    "Pelosi will visit Yerevan, and the two sides will hold talks" (the United States and Armenia)."""
    if not previous or not _SIDES_SUBJECT.search(sentence, 0, action.start):
        return pairs
    sides = [pair for pair in previous if pair[1] is not None]
    return [*sides, *((b, a) for a, b in sides if b is not None and (b, a) not in sides)] or pairs


def comma_participle(actors: list[ActorMention], action: ActionMention, sentence: str,
                     asides: list[tuple[int, int, bool]]) -> list[Pair] | None:
    """(source, target) of an -ing verb right after a comma, whose subject is its clause's ("Hundreds of protesters
    gathered outside the parliament in Yerevan, demanding Pashinyan's resignation": the protesters demand, not the
    parliament), aimed at the first actor of another country after it; None for any other action or when the
    nearest actor before it is not in a place phrase (then it is the subject, as PETRARCH reads it)."""
    if not action.text.lower().endswith("ing") or not _COMMA.search(sentence, 0, action.start):
        return None
    before = [a for a in actors if a.end <= action.start and (a.country or a.role == "IGO")
              and not any(start <= a.start < end for start, end, _ in asides)]
    if len(before) < 2 or not _WHERE.search(sentence, 0, before[-1].start):
        return None
    subject = before[0]
    target = next((a for a in actors if a.start >= action.end and a.country and a.country != subject.country), None)
    return [(subject, target)]
