"""The two parties of a mutual act named in an earlier sentence: "Pashinyan and Aliyev met in Brussels. The two sides
agreed to resume talks." The second sentence names no actor, yet reports an agreement by both (issue 18, item 3:
agreements name both parties). Within one sentence coding/subjects.py's ``the_two_sides`` does this; here the pair
comes from the article's last sentence with an event between two countries.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geodrift.coding.actors import ActorMention

Sides = tuple[ActorMention, ActorMention]
"""The source and target of the last event between two countries in an article."""
_SIDES = re.compile(r"^\W*(?:(?:on|in|at|after|later)\b[^,]{0,40},\s*)?(the two (?:countries|sides|nations|states|"
                    r"neighbou?rs|leaders|presidents|governments|ministers)|both (?:sides|countries|leaders|"
                    r"governments))\b", re.IGNORECASE)
""""The two sides" or "both sides" opening a sentence, perhaps after a short phrase of time or place ("On Friday, the
two sides ...")."""


def earlier_sides(sentence: str, actors: list[ActorMention], sides: Sides | None) -> list[ActorMention]:
    """``actors`` plus the two ``sides`` of an earlier sentence where "the two sides" is this sentence's subject and
    no actor comes before it: each side as a mention of half the phrase, so that the two are coordinated as "Armenia
    and Azerbaijan" are (coding/parties.py) and a mutual act is coded for each, aimed at the other."""
    match = _SIDES.match(sentence)
    if sides is None or match is None or any(a.start < match.end() for a in actors):
        return actors
    start, end = match.span(1)
    middle = sentence.index(" ", start) if " " in sentence[start:end] else (start + end) // 2
    first, second = sides
    return [replace(first, start=start, end=middle), replace(second, start=middle, end=end), *actors]


def sides_of(pairs: list[tuple[ActorMention, ActorMention | None]]) -> Sides | None:
    """The first of a sentence's (source, target) pairs between two countries, as the sides a later sentence's
    "the two sides" names; None when it has none."""
    return next(((source, target) for source, target in pairs
                 if target is not None and source.country and target.country and source.country != target.country),
                None)
