"""PLOVER's modes of material conflict (issue 18): a generic coercive or violent act ("attacked" -> 190, "forced"
-> 170) is refined to the CAMEO code of the mode its sentence names ("with machetes" -> 180, an assault;
"demolished homes" -> 1712, coercion; "tanks fired" -> 194, a fight).

Why: the dictionary codes many violent verbs by their block's generic code, 190 (conventional military force), so on
the PLOVER records coercion and assault were read as fights, the largest confusions of the event type. PLOVER tells
the three apart by their modes (PLOVER_MANUAL.tex, the COERCE and ASSAULT mode tables: seize, restrict, censor,
curfew, martial law, arrest, deport, withhold, cyber; abduct, beat, torture, sexual, targeted, primitive weapons,
explosives, suicide attacks; and, in the gold records' PLOVER 0.5, FIGHT for firearms, heavy and aerial weapons).
The cue words of each mode are data (coding/data/conflict_modes.tsv), written from those tables' descriptions. Only
the generic codes are refined: a specific code ("shelled" -> 194) is the dictionary's own decision.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

GENERIC = frozenset({"170", "180", "190"})
"""The root codes ("not specified below") of coercion, assault and conventional force."""
MODES_FILE = "conflict_modes.tsv"


@dataclass(frozen=True)
class Mode:
    """One mode: its name, its PLOVER 0.5 category, the CAMEO code it gives and its cue words."""

    name: str
    plover: str
    code: str
    cue: re.Pattern[str]


@cache
def modes() -> tuple[Mode, ...]:
    """The packaged mode table, in its file's order (coercion, assault, fight: the first wins a tie)."""
    text = resources.files("geodrift.coding").joinpath("data", MODES_FILE).read_text(encoding="utf-8")
    return tuple(Mode(r["mode"], r["plover"], r["code"], re.compile(rf"\b(?:{r['cue']})\b", re.IGNORECASE))
                 for r in csv.DictReader(text.splitlines(), delimiter="\t"))


def refined(code: str, sentence: str, at: int) -> str:
    """``code``, or for a generic material-conflict code the code of the mode named nearest to its act (which starts
    at offset ``at`` of ``sentence``); unchanged when the sentence names none."""
    if code not in GENERIC:
        return code
    found = [(abs(match.start() - at), order, mode.code) for order, mode in enumerate(modes())
             for match in mode.cue.finditer(sentence)]
    return min(found)[2] if found else code
