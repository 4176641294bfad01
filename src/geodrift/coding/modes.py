"""PLOVER's modes (issue 18): a generic coercive or violent act ("attacked" -> 190, "forced" -> 170) or a generic
yielding (080) is refined to the CAMEO code of the mode its sentence names ("with machetes" -> 180, an assault;
"demolished homes" -> 1712, coercion; "tanks fired" -> 194, a fight; "surrendered" -> 0874, a retreat).

Why: the dictionary codes many violent verbs by their block's generic code, 190 (conventional military force), so on
the PLOVER records coercion and assault were read as fights, the largest confusions of the event type. PLOVER tells
the three apart by their modes (PLOVER_MANUAL.tex, the COERCE and ASSAULT mode tables: seize, restrict, censor,
curfew, martial law, arrest, deport, withhold, cyber; abduct, beat, torture, sexual, targeted, primitive weapons,
explosives, suicide attacks; and, in the gold records' PLOVER 0.5, FIGHT for firearms, heavy and aerial weapons).
Likewise a generic yielding (080, a concession) is a RETREAT where the sentence names one of that category's modes
with a CAMEO code of its own: withdraw, release, disarm, access (resign has none; a declared ceasefire is a
concession). The cue words of each mode are data (coding/data/plover_modes.tsv), written from those tables'
descriptions. Only the generic codes are refined: a specific code ("shelled" -> 194) is the dictionary's own
decision.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

MODES_FILE = "plover_modes.tsv"


@dataclass(frozen=True)
class Mode:
    """One mode: its name, its PLOVER 0.5 category, the generic codes it refines, the CAMEO code it gives and its cue
    words."""

    name: str
    plover: str
    generic: frozenset[str]
    code: str
    cue: re.Pattern[str]


@cache
def modes() -> tuple[Mode, ...]:
    """The packaged mode table, in its file's order (coercion, assault, fight: the first wins a tie)."""
    text = resources.files("geodrift.coding").joinpath("data", MODES_FILE).read_text(encoding="utf-8")
    return tuple(Mode(r["mode"], r["plover"], frozenset(r["generic"].split()), r["code"],
                      re.compile(rf"\b(?:{r['cue']})\b", re.IGNORECASE))
                 for r in csv.DictReader(text.splitlines(), delimiter="\t"))


@cache
def families() -> dict[str, frozenset[str]]:
    """Generic code -> the CAMEO roots of its modes ("190" -> 17, 18, 19: a specific code of these already names a
    mode)."""
    out: dict[str, set[str]] = {}
    for mode in modes():
        for code in mode.generic:
            out.setdefault(code, set()).update({code[:2], mode.code[:2]})
    return {code: frozenset(roots) for code, roots in out.items()}


def refined(code: str, sentence: str, at: int) -> str:
    """``code``, or for a generic code of the mode table the code of the mode named nearest to its act (which starts
    at offset ``at`` of ``sentence``); unchanged when the sentence names none."""
    if code not in families():
        return code
    found = [(abs(match.start() - at), order, mode.code) for order, mode in enumerate(modes()) if code in mode.generic
             for match in mode.cue.finditer(sentence)]
    return min(found)[2] if found else code


_HALT = r"cancel(?:l?ed|l?ing|s)?|called off|halted|suspended|suspension of|broke off|froze|frozen|pulled out of"
_HALTED_BEFORE = re.compile(rf"\b(?:{_HALT})\b(?:\W+\w+){{0,3}}\W*$", re.IGNORECASE)
_HALTED_AT = re.compile(rf"(?:{_HALT})\b", re.IGNORECASE)
HALTED = {"040": "164", "041": "164", "044": "164", "045": "165", "046": "164", "07": "162"}
"""The CAMEO 16 code (reduce relations) a halted act becomes, by code or root: talks halt negotiations (164),
mediation halts mediation (165), aid is reduced or stopped (162); anything else (a visit, cooperation) reduces
relations (160)."""


def halted(code: str, sentence: str, at: int) -> str:
    """``code``, or for a consultation or cooperation (roots 04-07) that the sentence says was halted ("cancelled a
    planned visit", "ended mediation efforts", "a suspension of air links") the CAMEO 16 code of reducing relations:
    CAMEO files halting a cooperative act there (164 halt negotiations, 165 halt mediation), as PLOVER does under
    SANCTION, where the dictionary reads the act itself. The halting verb is at the act or at most three words
    before it; "ended" is not one ("ended talks" mostly closes a round of them)."""
    if not "04" <= code[:2] <= "07" or not (_HALTED_AT.match(sentence, at) or _HALTED_BEFORE.search(sentence[:at])):
        return code
    if code[:2] == "04" and "mediat" in sentence[at:at + 40].lower():
        return "165"
    return HALTED.get(code[:3]) or HALTED.get(code[:2], "160")
