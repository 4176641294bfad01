"""Three rules of the CAMEO codebook that need a verb's object or auxiliaries from a dependency parse (issue 18; the
context coder, coding/context.py, applies them): a demand stays a demand (``demanded``, which the dictionary's
pattern matcher, coding/actions.py, also applies to the code its pattern gives), a halted cooperative act reduces
relations (``halted``), a cooperative act its actor will not do is a rejection (``refused``)."""

from __future__ import annotations

from typing import Any

from geodrift.codebooks import cameo_codes
from geodrift.coding.lexicon import Lexicon

HALTING = frozenset({"CANCEL", "CALL OFF", "ABORT", "SUSPEND", "HALT", "DISCONTINUE", "TERMINATE", "FREEZE", "STOP",
                     "CEASE", "POSTPONE", "SCRAP"})
"""Verbs that halt the act named by their object. Not END or CONCLUDE: PETRARCH-2 reads "ended the meeting",
"concluded a visit" as the meeting and the visit (CANCEL block: "* MEETING" 040, "* VISIT" 042)."""
HALTED = {"04": "164", "045": "165", "046": "165", "05": "161", "06": "160", "07": "162", "071": "1621", "072": "1622",
          "073": "1623"}
"""CAMEO 16 (reduce relations) by the halted act: halt negotiations (164) or mediation (165), reduce or break
diplomatic relations (161), reduce or stop aid (162: economic 1621, military 1622, humanitarian 1623); reduce
relations (160) for material cooperation."""


REFUSED = {"03": "120", "04": "125", "045": "126", "046": "126", "05": "120", "06": "121", "061": "1211", "062": "1212",
           "07": "120", "08": "124", "081": "1241", "082": "1242", "083": "123", "084": "1243", "085": "1244",
           "086": "1245", "087": "1246"}
"""CAMEO 12 (reject) by the cooperative act refused: reject a proposal to meet (125) or mediation (126), material
cooperation (121), refuse to yield (124: ease sanctions 1241, release 1243, allow involvement 1245, de-escalate
1246)."""
WILL = frozenset({"WILL", "WOULD", "SHALL", "CAN", "COULD", "WO", "CA"})
"""Auxiliaries that with a negation refuse an act ("would not meet", "won't": spaCy splits it "wo" + "n't")."""
REFUSING = frozenset({"REFUSE", "REFUSED", "REFUSES", "REFUSING", "DECLINE", "DECLINED", "DECLINES", "DECLINING"})


def refused(token: Any, code: str) -> str | None:
    """The CAMEO 12 code of a cooperative act (roots 03-08) its actor says it will not do ("would not meet the
    demands", "refused to release"): PLOVER's REJECT is "all rejections and refusals" (PLOVER_MANUAL.tex); a
    cooperative act negated in the past ("did not meet") stays a negated act. None otherwise."""
    if not "03" <= code[:2] <= "08":
        return None
    words = {child.text.upper() for child in token.children if child.dep_ in ("aux", "neg")}
    will_not = bool(words & WILL) and bool(words & {"NOT", "N'T", "NEVER"})
    if not will_not and not (token.dep_ == "xcomp" and token.head.text.upper() in REFUSING):
        return None
    return REFUSED.get(code[:3]) or REFUSED[code[:2]]


def demanded(own: str, code: str) -> str:
    """A demand verb's pattern code kept a demand: CAMEO's APPEAL (02) and DEMAND (10) codes run in parallel (021
    material cooperation / 101, 0234 peacekeeping / 1034, 0241 leadership change / 1041), told apart by the verb's
    force; PETRARCH-2's DEMAND block codes many of its objects as appeals ("demanded elections" -> 0241), which
    PLOVER drops, so the object's subcode is kept under the verb's own root."""
    if own[:2] != "10" or code[:2] != "02":
        return code
    parallel = "10" + code[2:]
    return parallel if parallel in cameo_codes() else own


def halted(token: Any, code: str, lexicon: Lexicon) -> str | None:
    """The CAMEO 16 code of a cooperative act (roots 04-07) coded at the event noun ``token`` when the parse makes it
    the object of a halting verb ("cancelled a planned visit", "suspended military aid"); None otherwise."""
    if not "04" <= code[:2] <= "07" or token.dep_ not in ("dobj", "nsubjpass"):
        return None
    entry = lexicon.forms.get((token.head.text.upper(),))
    if entry is None or entry[0] not in HALTING:
        return None
    return HALTED.get(code[:3]) or HALTED[code[:2]]
