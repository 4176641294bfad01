"""Modality of a coded action, from the words just before (and around) its verb.

actual (default); negated ("did not interfere", "denied", "refused to"); announced or planned
("would host", "will hold", "plans to", "is due to", "is willing to", "pledged to", "announced ... would");
threatened ("threatened to", "warned ... would"); hypothetical ("could", "might", "if"). Cues are looked for in the words
between the previous clause boundary and the verb.
"""

from __future__ import annotations

import re

from geodrift.events import Modality

WINDOW = 8
_NEGATED = re.compile(r"\b(?:not|n't|never|no longer|denied|denies|deny|refused to|refuses to|rejected claims)\b", re.I)
_THREAT = re.compile(r"\b(?:threaten(?:s|ed)? to|warn(?:s|ed)? (?:that )?(?:it|they|he|she) would|vow(?:s|ed)? to)\b", re.I)
_PLAN = re.compile(r"\b(?:will|would|shall|plans? to|planned to|planning to|is to|are to|was to|were to|due to|"
                   r"scheduled to|set to|intends? to|agreed to|expected to|to be held|going to|willing to|prepared to|ready to|"
                   r"pledged? to|pledges to|promised? to|promises to|offered to|offers to)\b", re.I)
_MAYBE = re.compile(r"\b(?:could|might|may|if|unless|whether)\b", re.I)
_DENIAL = re.compile(r"\b(?:denied|denies|deny|dismissed reports|rejected reports)\b(?: that| claims that| reports that)?", re.I)


def modality_of(sentence: str, verb_start: int) -> Modality:
    """Modality of the action whose verb starts at ``verb_start`` in ``sentence``."""
    before = sentence[:verb_start]
    clause = re.split(r"[;:]|,\s(?:but|while|and|however)\b|\bthat\b", before)[-1]
    words = clause.split()[-WINDOW:]
    context = " ".join(words)
    if _DENIAL.search(" ".join(before.split()[-WINDOW - 4:])):
        return Modality.NEGATED
    if _THREAT.search(context):
        return Modality.THREATENED
    if _NEGATED.search(context):
        return Modality.NEGATED
    if _MAYBE.search(context):
        return Modality.HYPOTHETICAL
    if _PLAN.search(context):
        return Modality.ANNOUNCED
    return Modality.ACTUAL
