"""What an appeal asks for is asked, not done (CAMEO 02, "make an appeal or request").

"Blinken urged them to end hostilities" was a ceasefire (0871) the addressees declared, with modality actual. An act
named after an appeal verb and its addressee ("urged Armenia and Azerbaijan to end hostilities", "called on Baku to
withdraw its troops") is the appeal's content: it is no event of its own, and where the appeal's code is the block's
bare 020 it tells which appeal it is, after the CAMEO manual's pairing of the appeals with the acts they ask for:
025x "appeal to yield" for the 08 acts of yielding (0256 "appeal for de-escalation of military engagement" for a
ceasefire or a withdrawal, 087x), 026 "appeal to meet or negotiate" for the 04 acts.

An appeal for aid (07: "asked Russia to help defend its borders") is asked too, 023 "appeal for aid", not
aid given. Only those kinds are taken as asked (``ASKED_ROOTS``). PLOVER's gold records code an appeal for support or
cooperation by the act asked for ("urged the European Community to support the PLO" is SUPPORT), and the development
split lost that record when every asked act was dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geodrift.coding.actions import ActionMention
from geodrift.coding.actors import ActorMention

Event = tuple[ActionMention, ActorMention, ActorMention | None]
"""An act with its source and target (None: no target named), as coding.parties gives them."""

APPEAL = "020"
ASKED_ROOTS = frozenset({"04", "07", "08"})
"""Roots of the acts an appeal asks for rather than reports: meeting or negotiating, aid, and yielding."""
_ASKED = re.compile(r"^\s+(?:[\w.'’-]+,?\s+){0,8}?to\s+(?:\w+ly\s+)?$")
"""Between an appeal verb and the act it asks for: its addressee (up to eight words, "them", "Armenia and Azerbaijan",
"the two sides") and "to"; no clause boundary (";", ".", "that")."""
_FOLLOWS = re.compile(r"^\s+(?:to\s+)?$")
"""Between an asked act and a verb that completes it ("help defend", "help to rebuild"): that verb is asked too."""
_BY_ROOT = {"04": "026", "07": "023", "08": "025"}
_BY_CODE = {"081": "0251", "082": "0252", "083": "024", "084": "0253", "0841": "0253", "085": "0254", "086": "0255",
            "087": "0256", "0871": "0256", "0872": "0256", "0873": "0256", "0874": "0256"}


def appeal_for(code: str) -> str:
    """The appeal (CAMEO 02x) for the act ``code`` it asks for; the bare 020 for an act no appeal code names."""
    return _BY_CODE.get(code) or _BY_CODE.get(code[:3]) or _BY_ROOT.get(code[:2], APPEAL)


def requested(sentence: str, actions: list[ActionMention]) -> list[ActionMention]:
    """``actions`` without the acts an appeal before them asks for, each bare appeal (020) coded as the appeal for the
    first of them: "urged them to end hostilities" is an appeal for de-escalation (0256), no truce."""
    asked: set[int] = set()
    recoded: dict[int, str] = {}
    for appeal in (a for a in actions if a.code[:2] == "02"):
        wanted = [a for a in actions if a.start > appeal.end and a.code[:2] in ASKED_ROOTS
                  and _ASKED.match(sentence[appeal.end:a.start])]
        if not wanted:
            continue
        asked.add(id(wanted[0]))
        last = wanted[0]
        for act in (a for a in actions if a.start > last.end):  # "to help defend its borders": both asked
            if not _FOLLOWS.match(sentence[last.end:act.start]):
                break
            asked.add(id(act))
            last = act
        if appeal.code == APPEAL:
            recoded[id(appeal)] = appeal_for(wanted[0].code)
    return [replace(a, code=recoded[id(a)]) if id(a) in recoded else a for a in actions if id(a) not in asked]


ANSWERING_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
"""Cooperative acts (intent to cooperate, consult, diplomatic and material cooperation, aid, yielding) that answer an
appeal when its addressee does them."""


def _who(actor: ActorMention) -> str:
    return actor.country or actor.code


def answered(events: list[Event], appeals: list[tuple[ActorMention, ActorMention]]) -> list[Event]:
    """``events`` with a cooperative act that names no target aimed at the maker of an earlier appeal of the sentence
    to its doer (``appeals``: (maker, addressee)): "Armenia asked the CSTO for help, and the Moscow-led bloc agreed to
    send a mission" is the CSTO's intent to cooperate with Armenia (030 ARM), not an intent aimed at no one; the
    CAMEO manual codes a response to a request toward the requester."""
    out: list[Event] = []
    for act, source, target in events:
        if target is None and act.code[:2] in ANSWERING_ROOTS:
            target = next((maker for maker, asked in reversed(appeals)
                           if _who(asked) == _who(source) and _who(maker) != _who(source)), None)
        out.append((act, source, target))
    return out
