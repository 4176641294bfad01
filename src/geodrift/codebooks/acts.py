"""How a report names an act: CAMEO's root word where the parties act on each other or the direction is contested
("Armenia and Azerbaijan: fight"), and a clause with its actor and target where the events agree on who acted on whom
("Azerbaijan fought Russia"), from ``data/act_phrases.tsv`` (one row per CAMEO root) rather than strings in code."""

from __future__ import annotations

from functools import cache

from geodrift.codebooks import cameo_codes, data_rows


@cache
def _directed() -> dict[str, str]:
    return {r["root"]: r["directed"] for r in data_rows("act_phrases.tsv")}


def root_word(root: str) -> str:
    """CAMEO's name of a root, lower case ('fight'), or 'CAMEO root 99' for a root it does not list."""
    known = cameo_codes().get(str(root))
    return known.description.lower() if known else f"CAMEO root {root}"


def directed_act(root: str, actor: str, target: str) -> str:
    """'Azerbaijan fought Russia': the act of one side on the other, named with both (country names as given);
    a root without a phrase reads 'Azerbaijan → Russia: fight'."""
    phrase = _directed().get(str(root))
    return phrase.format(actor=actor, target=target) if phrase else f"{actor} → {target}: {root_word(root)}"
