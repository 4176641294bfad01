"""Speaking with someone is a conversation of both, not a one-way statement.

PETRARCH-2 puts SPEAK and TALK in the CONFER block with the pattern "* WITH" (046), but a pattern of function words
alone matches almost any sentence without a parse and is left out (coding/lexicon.py), so "Lavrov spoke with his
Armenian counterpart" was a statement (010) by Russia alone. "spoke with" or "talked with" right after the verb is
read as consulting (CAMEO 040), which both parties do (coding/parties.py, RECIPROCAL_CODES).
"""

from __future__ import annotations

import re
from dataclasses import replace

from geodrift.coding.actions import ActionMention

SPEAKING = frozenset({"SPEAK", "TALK"})
CONSULT = "040"
NOUNS = frozenset({"talks", "talk", "speech", "speeches"})
"""Forms that are nouns here ("final status talks with the Palestinians": negotiations, coded where they are held)."""
_WITH = re.compile(r"\s+(?:(?:also|again|briefly|separately)\s+)?with\b", re.IGNORECASE)


def conversations(sentence: str, actions: list[ActionMention]) -> list[ActionMention]:
    """``actions`` with a statement verb followed by "with" coded as consulting (040): "spoke with", "talked with"."""
    return [replace(a, code=CONSULT) if (a.lemma in SPEAKING and a.code == "010" and a.text.lower() not in NOUNS
                                         and _WITH.match(sentence, a.end)) else a for a in actions]
