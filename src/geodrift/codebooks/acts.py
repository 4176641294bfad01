"""How a report names an act: CAMEO's root word where the parties act on each other or the direction is contested
("Armenia and Azerbaijan: fight", also for a battle whose reports code 192, occupy territory), and a clause with its
actor and target where the events agree on who acted on whom ("Azerbaijan fought Russia"), from
``data/act_phrases.tsv`` rather than strings in code.

The table has a row per CAMEO root and one per code whose meaning the root's generic phrase would misstate: a denial
(016) is no "public statement on" its target, an apology (055) no "diplomatic cooperation", a blockade (191) no
fighting. A code without a row of its own is worded as the nearest code above it that has one."""

from __future__ import annotations

from functools import cache
from typing import Any

from geodrift.codebooks import cameo_codes, data_rows


@cache
def _directed() -> dict[str, str]:
    return {r["code"]: r["directed"] for r in data_rows("act_phrases.tsv")}


def worded_as(code: str) -> str:
    """The code whose phrase names ``code``'s act: the code itself, else its base code, else its root ('0874' ->
    '08'; '016' -> '016', which has a phrase of its own)."""
    code = str(code)
    return next((c for c in (code, code[:3], code[:2]) if c in _directed()), code[:2])


def worded_code(row: Any) -> str:
    """The CAMEO code a development or an event is named by where its direction is agreed: its own (``code``, the
    code most of its reports tell) where it lies under its root, as a denial (016) is no "public statement"; else its
    root."""
    code, root = getattr(row, "code", None), str(row.root)
    return code if isinstance(code, str) and code.startswith(root) else root


def root_word(root: str) -> str:
    """CAMEO's name of a root, lower case ('fight'), or 'CAMEO root 99' for a root it does not list."""
    known = cameo_codes().get(str(root))
    return known.description.lower() if known else f"CAMEO root {root}"


def directed_act(code: str, actor: str, target: str) -> str:
    """'Azerbaijan fought Russia', 'Russia denied responsibility for an act against Azerbaijan' (016): the act of one
    side on the other, named with both (country names as given); a root without a phrase reads 'Azerbaijan → Russia:
    fight'. ``code``: a CAMEO root or any code below one."""
    phrase = _directed().get(worded_as(code))
    return phrase.format(actor=actor, target=target) if phrase else f"{actor} → {target}: {root_word(str(code)[:2])}"
