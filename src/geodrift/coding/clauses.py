"""Where a sentence's clauses begin and end (issue 18; split from coding/parties.py): a clause joined by "while",
"whereas", ", and", ", but" or ";" that has a subject and a verb of its own is a clause of its own, whose actors are
not the other clause's parties; a list ("urged Armenia, Georgia, and Azerbaijan to ...") is not, having no verb."""

from __future__ import annotations

import re

from geodrift.coding.actions import DENIED_RESPONSIBILITY, ActionMention
from geodrift.coding.actors import ActorMention

AND_VERB = re.compile(r"\b(?:and|then)\s+(?:\w+ly\s+)?(?:then\s+|also\s+)?$", re.IGNORECASE)
"""A verb right after "and" or "then" ("denied ..., and rejected ...", "met ... and then signed ...")."""
_JOIN = re.compile(r",\s*(?:and|but|while|whereas|although|though|yet)\b|\s(?:while|whereas)\b|;", re.IGNORECASE)
"""Where a coordinated clause may begin ("..., while Armenia protested", "... whereas Baku ...", "...; Moscow ...")."""
_NOT_FINITE = re.compile(r"\b(?:to|that|who|which|whose|of|for|with)\b|,", re.IGNORECASE)
"""Words between an actor and the verb after it that make the verb not that actor's own: "urged Armenia, and
Azerbaijan to talk", "Russia, Turkey, and Iran, which signed ..."."""
_FINITE = re.compile(r"\b(?:has|have|had|is|are|was|were|will|would|can|could|may|might|must|should|did|does|do)\b",
                     re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_THAT = re.compile(r"\bthat\b", re.IGNORECASE)
SUBJECT_GAP = 2
"""Words between a clause's conjunction and its subject ("while the Armenian side ...")."""
VERB_GAP = 3
"""Words between a clause's subject and its verb ("Armenia's defence ministry said", "Baku has also ...")."""


def verb_starts(sentence: str, actions: list[ActionMention], verb_words: frozenset[str]) -> list[int]:
    """Offsets where a verb may begin: coded actions, past and -ing verb forms (coded or not: "held"), auxiliaries."""
    words = {m.start() for m in _WORD.finditer(sentence) if m.group(0).upper() in verb_words}
    return sorted(words | {a.start for a in actions} | {m.start() for m in _FINITE.finditer(sentence)})


def clause_starts(sentence: str, actors: list[ActorMention], verbs: list[int]) -> list[int]:
    """Offsets where a coordinated clause with its own subject and verb begins: "Turkey and Azerbaijan held joint
    exercises near Baku, while Armenia protested" is two clauses, whose actors are not each other's parties; "while
    visiting Baku, Erdogan ..." (no subject) and "urged Armenia, and Azerbaijan to ..." (no verb of its own) are not."""
    starts = []
    for join in _JOIN.finditer(sentence):
        subject = [a for a in actors if a.start >= join.end()]
        if not subject or len(sentence[join.end():subject[0].start].split()) > SUBJECT_GAP:
            continue
        verb = next((v for v in verbs if v >= subject[0].end and not any(a.start <= v < a.end for a in actors)), None)
        if verb is None:
            continue
        gap = sentence[max(a.end for a in subject if a.end <= verb):verb]
        if len(gap.split()) <= VERB_GAP and not _NOT_FINITE.search(gap):
            starts.append(join.start())
    return starts


def joined_verbs(sentence: str, actions: list[ActionMention]) -> list[int]:
    """Starts of the actions coordinated with the verb before them ("denied ..., and rejected claims that ..."): the
    actors after such a verb are its own objects, not the previous verb's."""
    return [a.start for a in actions if AND_VERB.search(sentence, 0, a.start)]


def clause_at(starts: list[int], offset: int, sentence: str) -> tuple[int, int]:
    """(start, end) of the clause of ``sentence`` holding ``offset``, given where its clauses begin (``clause_starts``)."""
    return (max([0, *(s for s in starts if s <= offset)]), min([len(sentence), *(s for s in starts if s > offset)]))


def act_clause(starts: list[int], action: ActionMention, sentence: str) -> tuple[int, int]:
    """(start, end) of the clause holding ``action``; a denial of responsibility ends at its "that" ("rejected claims
    by Baku that its forces shelled Armenian villages": the villages are the shelling's, not the denial's)."""
    start, end = clause_at(starts, action.start, sentence)
    if action.code == DENIED_RESPONSIBILITY:
        that = _THAT.search(sentence, action.end, end)
        end = that.start() if that else end
    return start, end
