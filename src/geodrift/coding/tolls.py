"""Mass killing (CAMEO 202) only where the report says so, not for every killing of a civilian.

PETRARCH-2's verb dictionary codes "kill ... civilian" as 202 ("engage in mass killings"), so "shelled Stepanakert,
killing one civilian" was a mass killing. The CAMEO manual (1.1b3, 202) asks for "a substantial number of people"
and relies "primarily on the specific terminology used by reporters": a 202 from a killing verb stands when the
sentence speaks of a massacre, mass killing or genocide, or gives a toll of at least ``MASS_TOLL``; otherwise the
killing is conventional military force (190), which the attack it belongs to usually is already.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geodrift.coding.actions import ActionMention

MASS_KILLING = "202"
FORCE = "190"
MASS_TOLL = 10
"""Deaths from which a killing of civilians is a mass killing: the manual gives no number; ten is where news
language turns to "dozens" or "scores" and reports become massacres."""
_MASS_WORDS = re.compile(r"\b(?:mass(?:acre[sd]?|[\s-]+(?:killings?|murders?|graves?|executions?))|genocid\w*|"
                         r"slaughter\w*|extermin\w*|ethnic cleansing)\b", re.IGNORECASE)
_NUMBERS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "fifteen": 15, "twenty": 20, "dozens": 24,
            "scores": 40, "fifty": 50, "hundred": 100, "hundreds": 200, "thousand": 1000, "thousands": 2000}
_TOLL = re.compile(r"\d[\d,]*|[a-z]+")
TOLL_WINDOW = 4
"""Words after a killing verb (or before a passive one) searched for its toll ("killing at least 12 civilians")."""


def toll(sentence: str, action: ActionMention) -> int | None:
    """The number of people a killing verb says were killed: the first number within ``TOLL_WINDOW`` words after
    it ("killing one civilian", "killed dozens of civilians"), else before it ("12 civilians were killed"); None when
    none is given."""
    after = sentence[action.end:].split()[:TOLL_WINDOW]
    before = sentence[:action.start].split()[-TOLL_WINDOW:]
    for words in (after, before):
        for word in words:
            match = _TOLL.fullmatch(word.strip(",.;:").lower())
            if match is None:
                continue
            number = match.group(0).replace(",", "")
            if number.isdigit():
                return int(number)
            if number in _NUMBERS:
                return _NUMBERS[number]
    return None


def graded(sentence: str, actions: list[ActionMention]) -> list[ActionMention]:
    """``actions`` with a mass killing (202) read as conventional force (190) unless the sentence names a mass
    killing or a toll of at least ``MASS_TOLL``."""
    if not any(a.code == MASS_KILLING for a in actions) or _MASS_WORDS.search(sentence):
        return actions
    graded_actions = []
    for action in actions:
        count = toll(sentence, action) if action.code == MASS_KILLING else None
        if action.code == MASS_KILLING and (count is None or count < MASS_TOLL):
            action = replace(action, code=FORCE)
        graded_actions.append(action)
    return graded_actions
