"""Modality of a coded action, from the words just before (and around) its verb.

actual (default); negated ("did not interfere", "denied", "refused to", "ruled out sending"); possible, coded
hypothetical, where an act is not ruled out or a denial withheld ("did not rule out sending troops", "refused to rule
out", "would not exclude", "did not deny that ..."); announced or planned
("would host", "will hold", "plans to", "is due to", "is willing to", "pledged to", "announced ... would");
threatened ("threatened to", "warned ... would"); hypothetical ("could", "might", "if"). Cues are looked for in the words
between the previous clause boundary and the verb.

A denial verb that takes the code of the act after it ("Armenia denied shelling Azerbaijani villages": DENY with the
event noun "shelling", 194) reports that act as denied, not done: negated. Its code is the denial itself only in
the roots of statements (016, "deny responsibility") and rejections (12). When the denied act has a verb of its own
later in the sentence ("denied that its forces attacked ..."), that verb carries it, with its own parties. A denial
reaches to the end of its clause ("X denied shelling A, and Y shelled B": Y's act is done) and not through a
negation ("nobody denies that ..."). The clause of a denied claim ends at "; ", "while", "whereas", "but", a comma and
an -ing verb ("..., saying Russian forces shelled Kharkiv") and at "and" with a verbal act of the denier's own
("rejected claims that it had violated the ceasefire and accused Indian troops of ...": the accusation was made).
"""

from __future__ import annotations

import re
from dataclasses import replace

from geodrift.coding.actions import ActionMention
from geodrift.events import Modality

WINDOW = 8
_NEGATED = re.compile(r"\b(?:not|n't|never|no longer|denied|denies|deny|refused to|refuses to|rejected claims)\b", re.I)
_THREAT = re.compile(r"\b(?:threaten(?:s|ed)? to|warn(?:s|ed)? (?:that )?(?:it|they|he|she) would|vow(?:s|ed)? to)\b", re.I)
_PLAN = re.compile(r"\b(?:will|would|shall|plans? to|planned to|planning to|is to|are to|was to|were to|due to|"
                   r"scheduled to|set to|intends? to|agreed to|expected to|to be held|going to|willing to|prepared to|ready to|"
                   r"pledged? to|pledges to|promised? to|promises to|offered to|offers to|"
                   r"(?:project|attempt|bid|effort|ambition|aim|goal|drive|strategy|quest)s? to)\b", re.I)
_HEDGED = re.compile(r"(?:\bnot|n't|\bnever|\b(?:refus|declin)\w* to)\s+(?:\w+\s+)?(?:(?:rule|rules|ruled|ruling)\s+out|"
                     r"exclud(?:e|es|ed|ing))\b", re.I)
"""An act not ruled out ("did not rule out sending", "refused to rule out", "would not exclude"): possible, not denied."""
_RULED_OUT = re.compile(r"\b(?:rule|rules|ruled|ruling)\s+out\b", re.I)
_UNDENIED = re.compile(r"(?:\b(?:did|does|do|would|will|could)\s*(?:not|n't)|\b(?:refus|declin)\w* to)\s+deny\b", re.I)
"""A denial withheld on one occasion ("did not deny that its forces shelled ..."): the act is unconfirmed, possible
(a standing "has never denied", "nobody denies" asserts it)."""
_AGREED_TO = re.compile(r"\b(?:agreed|agree|agrees|decided|pledged|promised)\b(?:\s+[\w'’-]+){0,3}?\s+to\s+$", re.I)
"""An act an agreement or decision is to bring ("agreed with Russia to hold talks"): announced, not yet done."""
_ARRANGED_BY = re.compile(r"\b(?:is|are|am)\s+(?:\w+ly\s+)?$|\w(?:'s|'re)\s+$", re.I)
_ARRANGED_FOR = re.compile(r"\w*ing\b[^;:.,]*?\b(?:(?:on |this |next )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                           r"Saturday|Sunday)|tomorrow|tonight|next (?:week|month)|later this (?:week|month))\b", re.I)
"""A present progressive with a time to come ("is meeting Erdogan on Thursday", "are holding talks on Monday", "is
visiting Berlin next week"): an arrangement, announced (its day is the coming one, coding.dates)."""
_MAYBE = re.compile(r"\b(?:could|might|may|if|unless|whether|should|ought to)\b", re.I)
_DENIAL = re.compile(r"\b(?:denied|denies|deny|refuted|refutes|(?:dismiss|reject|refut)(?:ed|es|s)? (?:[\w'’-]+ ){0,2}?"
                     r"(?:claims?|reports?|allegations?|accusations?|suggestions?|assertions?))\b(?: that)?", re.I)
"""A denial of the act after it: "denied (that)", "rejected (Armenia's) claims that", "dismissed reports that"."""
_NOT_DENYING = re.compile(r"\b(?:nobody|no one|none|never|not|n't)\W+(?:\w+\W+)?$", re.I)
"""A denial that is itself denied ("Nobody denies that ...", "has never denied that ..."): the act stands."""
_COORDINATE = re.compile(r"[;:]|,\s(?:but|while|and|however|whereas)\b")
_CLAIM_END = re.compile(r"[;:]|\b(?:but|while|whereas)\b|\band\s+(?:also\s+)?(?:said|says|added|claimed|insisted|stated)\b|"
                        r",\s+(?:and\s+)?"
                        r"(?!(?:during|including|according|following|regarding|concerning)\b)[a-z]+ing\b", re.I)
"""Where a denied claim's clause ends, between the denial and a later verb: "; ", "while", "but", ", saying ...",
"and said" (the denier's own claim follows; not ", during the night, ...")."""
_AND_BEFORE = re.compile(r"\band(?:\s+(?:then|also))?\s*$", re.I)
REACTION_ROOTS = frozenset({"01", "02", "03", "04", "05", "10", "11", "12", "13", "14", "16", "17"})
"""CAMEO roots of a verb after "and" that is the denier's own reaction, not more of the denied claim ("... and
accused", "... and warned", "... and called for")."""


def _denied(before: str, code: str | None) -> bool:
    """Whether the act after ``before`` is in the clause of a denied claim (see ``_CLAIM_END``); ``code``: its CAMEO
    code when known, a verbal root of which right after "and" is the denier's reaction, outside the claim."""
    denial = _DENIAL.search(" ".join(_COORDINATE.split(before)[-1].split()[-WINDOW - 4:]))
    if not denial or _NOT_DENYING.search(denial.string[:denial.start()]):
        return False
    after = denial.string[denial.end():]
    if _CLAIM_END.search(after):
        return False
    return not (code is not None and code[:2] in REACTION_ROOTS and _AND_BEFORE.search(after)
                and len(after.split()) > 2)


def modality_of(sentence: str, verb_start: int, code: str | None = None) -> Modality:
    """Modality of the action whose verb starts at ``verb_start`` in ``sentence`` (``code``: its CAMEO code, if
    known; see ``_denied``)."""
    before = sentence[:verb_start]
    clause = re.split(r"[;:]|,\s(?:but|while|and|however)\b|\bthat\b|\band\s+(?:also\s+)?(?:said|says|added|claimed)\b",
                      before)[-1]
    if code is not None and code[:2] == "01":
        clause = clause.rsplit(",", 1)[-1]  # "... could spill over, spokeswoman Maria Zakharova said": she said it
    if code is not None and code[:2] in REACTION_ROOTS and _AND_BEFORE.search(clause) and _DENIAL.search(clause):
        clause = re.split(r"\band\b", clause)[-1]  # "denied shelling ... and accused Baku": the accusation is made
    words = clause.split()[-WINDOW:]
    context = " ".join(words)
    if _UNDENIED.search(" ".join(_COORDINATE.split(before)[-1].split()[-WINDOW - 4:])):
        return Modality.HYPOTHETICAL
    if _denied(before, code):
        return Modality.NEGATED
    if _THREAT.search(context):
        return Modality.THREATENED
    if _HEDGED.search(context):
        return Modality.HYPOTHETICAL
    if _NEGATED.search(context) or _RULED_OUT.search(context):
        return Modality.NEGATED
    if _MAYBE.search(context):
        return Modality.HYPOTHETICAL
    if (_PLAN.search(context) or _AGREED_TO.search(before)
            or (_ARRANGED_BY.search(before) and _ARRANGED_FOR.match(sentence, verb_start))):
        return Modality.ANNOUNCED
    return Modality.ACTUAL


DENIAL_ROOTS = frozenset({"01", "12"})
"""CAMEO roots in which a denial verb's code is the denial itself: 016 "deny responsibility", 12 "reject"."""
_DENYING = re.compile(r"den(?:y|ies|ied|ying)\b", re.I)


def denies(action: ActionMention) -> bool:
    """Whether ``action`` is a denial verb coded as the act it denies ("denied shelling" -> 194)."""
    return action.code[:2] not in DENIAL_ROOTS and bool(_DENYING.match(action.text))


def without_denied_twins(actions: list[ActionMention]) -> list[ActionMention]:
    """``actions`` without a denial verb's act when the denied act's own verb, later in the sentence, gives it again
    (same CAMEO root): "Azerbaijan denied that Syrian mercenaries were fighting" is the fighting's, denied."""
    return [a for a in actions if not (denies(a) and any(b.start > a.start and b.code[:2] == a.code[:2] for b in actions))]


_MAYBE_AFTER = re.compile(r"\s+(?:(?!that\b|which\b|who\b)\w+\s+)?(?:could|might|may)\b(?!\s+(?:have|be)\s+\w+ed\b)",
                          re.I)
"""A speculative modal right after an act named as a noun, whose verb it is: "The fighting could spread", "Azerbaijani
shelling may resume" (not "attacks that may have killed ...", which speculates about a done act's toll)."""


def act_modality(sentence: str, action: ActionMention) -> Modality:
    """Modality of a coded action: negated for a denial verb coded as the act it denies; hypothetical for an act
    named as the subject of "could", "might" or "may" ("The fighting could spread to Turkey"); else ``modality_of``."""
    if denies(action):
        return Modality.NEGATED
    found = modality_of(sentence, action.start, action.code)
    if found is Modality.ACTUAL and _MAYBE_AFTER.match(sentence, action.end):
        return Modality.HYPOTHETICAL
    return found


POSTPONING = frozenset({"POSTPONE", "DEFER"})
GENERIC_POSTPONEMENT = "160"
"""The code of "postpone" and "defer" when no pattern names what is put off (codebooks/data/verbs_extra.tsv)."""
DIPLOMATIC_ROOTS = frozenset({"03", "04", "05"})
"""Roots of the acts a postponement puts off without their being done: an agreement, a visit, a meeting, talks."""
_POSTPONED_BY = re.compile(r"\b(?:was|were|been|be|is|are)\s+(?:\w+ly\s+)?$", re.I)
POSTPONED_WINDOW = 12
"""Words between the act put off and a passive postponement after it ("The visit of the Armenian prime minister to
Moscow was postponed")."""
_TALKS = re.compile(r"\b(?:talks|negotiations?|dialogue)\b", re.I)
_MEETING = re.compile(r"\b(?:visits?|trips?|meetings?|summits?|conferences?)\b", re.I)


def _put_off_code(text: str) -> str | None:
    """The code of putting off what ``text`` names: talks halt negotiations (164), a visit or meeting cuts diplomatic
    relations (161); None for anything else."""
    return "164" if _TALKS.search(text) else "161" if _MEETING.search(text) else None


def postponed(sentence: str, actions: list[ActionMention]) -> list[ActionMention]:
    """``actions`` with a postponed visit, meeting or talks coded as its postponement, not as done: "Armenia postponed
    a planned visit to Moscow" is a cut in diplomatic relations (161), not a visit; in "The visit of ... to Moscow was
    postponed" the visit's parties get 161; postponed talks halt negotiations (164, CAMEO's "disruptions of planned
    negotiations")."""
    dropped: set[int] = set()
    recoded: dict[int, str] = {}
    for delay in (a for a in actions if a.lemma in POSTPONING):
        after = " ".join(sentence[delay.end:].split()[:4])
        passive = _POSTPONED_BY.search(sentence, 0, delay.start)
        before = " ".join(sentence[:delay.start].split()[-POSTPONED_WINDOW:]) if passive else ""
        # What is put off is not done ("postponed the vote": no vote), whatever its code.
        dropped |= {id(a) for a in actions if 0 < a.start - delay.end <= len(after) + 1}
        code = _put_off_code(after) or _put_off_code(before)
        if code is None or delay.code != GENERIC_POSTPONEMENT:  # a pattern's own code stands
            continue
        put_off = [a for a in actions if a.code[:2] in DIPLOMATIC_ROOTS and a is not delay and passive
                   and delay.start - len(before) - 1 <= a.start and a.end <= delay.start]
        dropped |= {id(a) for a in put_off}
        recoded[id(delay)] = code
        if passive and put_off:  # the postponed act's parties are the postponement's
            dropped.discard(id(put_off[-1]))
            recoded[id(put_off[-1])] = code
            dropped.add(id(delay))
    return [replace(a, code=recoded[id(a)]) if id(a) in recoded else a for a in actions if id(a) not in dropped]
