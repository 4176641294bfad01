"""Office and outlet titles are no acts: "finance minister", "trade ministry", "state media" (issue 18).

PETRARCH-2's verb table has the bare forms FINANCE (061), TRADE (060), STATE (010), AID (070), so the dictionary read
"Egypt's finance minister said ..." as Egypt financing something, an act that outranked the statement the sentence
reports. A verb's bare form (its lemma, not a past, -s or -ing form) right before a title word is part of the title.
"""

from __future__ import annotations

import re

from geodrift.coding.actions import ActionMention

_TITLE_AFTER = re.compile(
    r"\s+(?:ministers?|ministry|ministries|secretary|secretaries|department|committee|commission|council|media|"
    r"television|broadcaster|news\b|agency|agencies|officials?|chief|envoy|representative|spokes(?:man|woman|person))\b",
    re.I)


def in_title(sentence: str, action: ActionMention) -> bool:
    """Whether ``action`` is a bare verb form opening an office or outlet title ("finance minister")."""
    return action.text.upper() == action.lemma and bool(_TITLE_AFTER.match(sentence, action.end))
