"""Actors named in a sentence: country (ISO3) and role, from the Phoenix dictionaries plus office holders.

A phrase in the actor dictionary ("Azerbaijani", "Baku", "the Kremlin", "Ilham Aliyev") gives a CAMEO
code valid on the article's date: office holders map to a country only while in office. An agent
phrase ("defence ministry", "troops", "foreign minister") next to it gives the role; a role in the
code itself (AZEGOV, RUSMIL) comes first; a bare state name defaults to GOV. IGO codes give role IGO
and no country.
Dictionaries: codebooks/data/actors.tsv and agents.tsv (from PETRARCH-2's Phoenix files, MIT, written by
tools/build_actor_dictionary.py) and actors_extra.tsv (office holders since 2014, written here).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from geodrift.codebooks import data_rows, to_iso3

MAX_WORDS = 8
AGENT_WINDOW = 3
"""Words between a country word and its agent ("Azerbaijani defence ministry", "the army of Armenia")."""
ROLE_CODES = ("GOV", "MIL", "REB", "OPP", "CVL", "BUS", "MED", "LEG", "JUD", "COP", "SPY", "ELI", "INS", "SEP", "UAF",
              "CRM", "EDU", "HLH", "LAB", "REF", "REL", "NGO", "IGO", "PKO")
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z\-]|\.(?=[A-Za-z]))*(?:'(?!s\b)[A-Za-z]+)*")


@dataclass(frozen=True)
class ActorMention:
    """An actor found in a sentence."""

    country: str | None
    role: str | None
    code: str
    text: str
    start: int
    end: int


@cache
def _actor_index() -> dict[tuple[str, ...], list[tuple[str, str, str]]]:
    index: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
    for row in data_rows("actors.tsv") + data_rows("actors_extra.tsv"):
        # Sentence words lose a final period ("U.S." -> "U.S"), so dictionary words do too.
        words = tuple(w.rstrip(".") for w in row["phrase"].split())
        index.setdefault(words, []).append((row["code"], row["first"], row["last"]))
    return index


@cache
def _agent_index() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], list[tuple[str, str]]]]:
    """Exact agent phrases, and stems keyed by all but their last word (which matches as a prefix).

    Compound agent codes keep their military part: GOVMIL (a defence ministry) counts as MIL, as in the
    hand-coded data; otherwise the first role (GOVBUS -> GOV).
    """
    exact: dict[tuple[str, ...], str] = {}
    stems: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for row in data_rows("agents.tsv"):
        role = "MIL" if "MIL" in row["role"] else row["role"][:3]
        words = tuple(row["phrase"].split())
        if row["stem"]:
            stems.setdefault(words[:-1], []).append((words[-1], role))
        else:
            exact[words] = role
    exact.setdefault(("FORCES",), "MIL")
    return exact, stems


def _agent(tokens: list[str]) -> str | None:
    exact, stems = _agent_index()
    if tuple(tokens) in exact:
        return exact[tuple(tokens)]
    for stem, role in stems.get(tuple(tokens[:-1]), []):
        if tokens[-1].startswith(stem):
            return role
    return None


def code_on(entries: list[tuple[str, str, str]], day: dt.date) -> str | None:
    """The code an actor phrase has on ``day``: a dated code covering it, else an undated one."""
    text = day.isoformat()
    dated = [c for c, first, last in entries if (first or last) and (not first or first <= text)
             and (not last or text <= last)]
    if dated:
        return dated[-1]
    undated = [c for c, first, last in entries if not first and not last]
    return undated[0] if undated else None


def split_code(code: str) -> tuple[str | None, str | None]:
    """(ISO3 country, role) of a CAMEO actor code: AZEGOV -> (AZE, GOV); IGOUNO -> (None, IGO)."""
    if code.startswith("IGO"):
        return None, "IGO"
    country = to_iso3(code[:3]) if len(code) >= 3 else None
    rest = code[3:] if country else code
    role = next((rest[i:i + 3] for i in range(0, len(rest), 3) if rest[i:i + 3] in ROLE_CODES), None)
    return country, role


def find_actors(sentence: str, day: dt.date) -> list[ActorMention]:
    """Actors named in ``sentence`` as of ``day``, in order, with roles from codes or nearby agents."""
    words = [(m.group(0).upper().rstrip("."), m.start(), m.end()) for m in _WORD.finditer(sentence)]
    tokens = [w for w, _, _ in words]
    actors = _actor_index()
    agent_at: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + MAX_WORDS), i, -1):
            role = _agent(tokens[i:j])
            if role:
                agent_at[i] = (j, role)
                i = j - 1
                break
        i += 1
    found: list[ActorMention] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + MAX_WORDS), i, -1):
            entries = actors.get(tuple(tokens[i:j]))
            code = code_on(entries, day) if entries else None
            if code is None:
                continue
            country, role = split_code(code)
            if role is None or role == "ELI":
                near = [r for k, (end, r) in agent_at.items() if j <= k <= j + AGENT_WINDOW or i - AGENT_WINDOW <= end - 1 < i]
                role = near[0] if near else role
            if role is None and country is not None and len(code) == 3:
                role = "GOV"  # a state named as such acts through its government ("Azerbaijan accused ...")
            found.append(ActorMention(country, role, code, sentence[words[i][1]:words[j - 1][2]], words[i][1],
                                      words[j - 1][2]))
            i = j - 1
            break
        i += 1
    return found
