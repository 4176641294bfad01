"""Training sentences for the coder's learned layer generated from the PLOVER manual's mode tables (issue 18).

Why: the event model learnt the CAMEO categories from PETRARCH-2's verb patterns and the one-line CAMEO descriptions;
the PLOVER manual (shared/data/plover/PLOVER_MANUAL.tex, CC BY-SA 4.0) names, category by category, the modes an
act takes ("seize: Execute search, confiscate property, raid"; "primitive: fire, edged weapons, rocks") and a few
worked cases under "Potential ambiguities" ("Hostage rescues ... should be coded as AID"). Those are the distinctions
the PLOVER records' event types turn on (coercion, assault and fight; concession and retreat), written by the
ontology's authors, not read from any gold record.

Never used: the CAMEO manual's example sentences (shared/data/cameo/py-gdelt: cameo_codes.json ``examples`` and the
sentences inside its ``usage_notes``) -- the PLOVER gold records, both the hold-out and the development split, ARE
those examples, edited (plover/PROVENANCE.md). ``quoted_cases`` drops any manual case that shares a run of six
words with a gold record, and the tests check that none does.

Each mode row's CAMEO root comes from the manual's own CAMEO2PLOVER-2021 table (the codes filed under that category
and mode); the weapon modes of the manual's ASSAULT table are CAMEO 19 (193-195: PLOVER 0.5's FIGHT, what the gold
records use).
"""

from __future__ import annotations

import collections
import random
import re
from pathlib import Path

CATEGORY_ROOT = {"AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07", "CONCEDE": "08",
                 "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
                 "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17", "ASSAULT": "18", "FIGHT": "19", "DEMAND": "10",
                 "DISAPPROVE": "11", "INVESTIGATE": "09", "RESTRICT": "17"}
"""PLOVER category (the manual's 2021 names and the gold records' 0.5 names) -> the CAMEO root it mostly files."""
WEAPONS = {"firearms": "19", "heavy-weapons": "19", "aerial": "19", "drone": "19"}
"""Weapon modes -> CAMEO 19 (193 small arms, 194 artillery and tanks, 195 aerial weapons), FIGHT in PLOVER 0.5."""
_SECTION = re.compile(r"^\\section\{([A-Z]+)\}", re.MULTILINE)
_ROW = re.compile(r"^([a-z][a-z\-]*)\s*&\s*(.+?)\s*\\\\\s*$", re.MULTILINE)
_QUOTED = re.compile(r"``(.+?)(?:''|\")")
_CODED = re.compile(r"coded (?:as|under) \\plcat\{([A-Z]+)\}")
_LATEX = re.compile(r"\\[a-z]+\{([^}]*)\}|\\[a-z]+|[{}$]")


def plain(text: str) -> str:
    """``text`` without LaTeX commands (their arguments kept) and with single spaces."""
    return " ".join(_LATEX.sub(r"\1", text).replace("\\", "").split())


def mode_roots(conversion: Path) -> dict[tuple[str, str], str]:
    """(category, mode) -> the CAMEO root most of its codes have in CAMEO2PLOVER-2021.txt."""
    counts: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in conversion.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{2,4}):\s*([A-Z]+),\s*([a-z\-]*)", line)
        if match and match.group(3):
            counts[(match.group(2), match.group(3))][match.group(1)[:2]] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items()}


def sections(manual: str) -> dict[str, str]:
    """Each event category's section of the manual (the text up to the next section)."""
    found = list(_SECTION.finditer(manual))
    return {m.group(1): manual[m.end():found[i + 1].start() if i + 1 < len(found) else len(manual)]
            for i, m in enumerate(found) if m.group(1) in CATEGORY_ROOT}


def mode_rows(manual: str, conversion: Path) -> list[tuple[str, str, str, str]]:
    """(category, CAMEO root, mode, content) of every mode table row."""
    roots = mode_roots(conversion)
    out = []
    for category, body in sections(manual).items():
        for match in _ROW.finditer(body):
            name, content = match.group(1), plain(match.group(2))
            if name == "name" or not content:
                continue
            root = WEAPONS.get(name) or roots.get((category, name)) or CATEGORY_ROOT[category]
            out.append((category, root, name, content))
    return out


def past_tense(verb: str) -> str:
    """A regular past tense ("shell" -> "shelled"); irregular verbs come out wrong (IRREGULAR has the common ones)."""
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


IRREGULAR = {"hold": "held", "make": "made", "give": "gave", "take": "took", "seek": "sought", "set": "set",
             "put": "put", "send": "sent", "shut": "shut", "cut": "cut", "beat": "beat", "meet": "met", "fight": "fought",
             "withdraw": "withdrew", "break": "broke", "bring": "brought", "lead": "led", "throw": "threw",
             "find": "found", "withhold": "withheld", "expel": "expelled", "kidnap": "kidnapped", "ban": "banned",
             "stab": "stabbed", "rob": "robbed", "shoot": "shot", "stop": "stopped", "plan": "planned", "sell": "sold",
             "lift": "lifted", "begin": "began", "spread": "spread", "forgive": "forgave", "sign": "signed"}
FRAMES = ("{a} {act} {b}.", "{adj} forces {act} {b} on {day}, officials said.", "Officials said {a} had {act} {b}.",
          "{a} {act} {b} last week, according to a statement.")
OBJECT_VERBS = {"REQUEST": ("demanded", "called for", "asked for"), "REJECT": ("rejected", "refused"),
                "THREATEN": ("threatened", "warned of"), "AGREE": ("agreed to", "promised"),
                "CONCEDE": ("agreed to", "offered")}
"""Categories whose modes name what is asked, refused, threatened or promised ("release of prisoners"), not the act:
their phrases follow these verbs."""
WEAPON_FRAMES = ("{a} attacked {b} with {act}.", "{adj} troops used {act} against {b} on {day}.",
                 "{a} struck {b} with {act}, officials said.")


def phrases(content: str) -> list[str]:
    """A mode's content as short phrases: the parts of its first sentence separated by commas, semicolons and "or",
    lower-cased, with any "e.g." list, "including" tail and parenthesis removed."""
    content = re.sub(r"\([^)]*\)|e\.g\.|i\.e\.|etc\.", "", content).split(". ")[0]
    content = re.sub(r"including.*$|\band similar.*$", "", content).lower()
    parts = (re.sub(r"^(?:and|or|the)\s+", "", p.strip(" .:")) for p in re.split(r",|;|\bor\b|/", content))
    return [p for p in parts if p and not p.endswith("---")]


def generated(manual: Path, conversion: Path, verbs: frozenset[str], names: tuple[str, ...],
              adjectives: tuple[str, ...], days: tuple[str, ...], rng: random.Random,
              weight: float = 0.5) -> list[tuple[str, str, float]]:
    """Sentences from every mode row: a phrase that starts with a verb (one of ``verbs``, lower-case lemmas) is put in
    the past tense in a news-wire frame ("Officials said Armenia had confiscated property Georgia."); a weapon mode's
    phrase names the means of an attack; a short phrase without a verb follows its mode's first verb ("ban, restrict
    access to publications" -> "restricted publications"... "banned publications"), a longer one is left out."""
    out = []
    for category, root, mode, content in mode_rows(manual.read_text(encoding="utf-8"), conversion):
        parts = phrases(content)
        lead = next((p.split()[0] for p in parts if p.split()[0] in verbs), None)
        for part in parts:
            words = part.split()
            if category in OBJECT_VERBS:
                frames, act = FRAMES, f"{rng.choice(OBJECT_VERBS[category])} {part}"
            elif mode in WEAPONS:
                frames, act = WEAPON_FRAMES, part
            elif words[0] in verbs:
                frames, act = FRAMES, " ".join([IRREGULAR.get(words[0], past_tense(words[0])), *words[1:]])
            elif lead and len(words) <= 4:
                frames, act = FRAMES, f"{IRREGULAR.get(lead, past_tense(lead))} {part}"
            else:
                continue  # a phrase that names no act ("some other remote medium") teaches nothing
            for frame in rng.sample(frames, 2):
                a, b = rng.sample(names, 2)
                text = frame.format(a=a, b=b, act=act, adj=rng.choice(adjectives), day=rng.choice(days))
                out.append((text[0].upper() + text[1:], root, weight))
    return out


def quoted_cases(manual: Path, records: list[str], weight: float = 1.0) -> list[tuple[str, str, float]]:
    """The manual's worked cases: a quoted sentence followed, in its item, by "should be coded as CATEGORY" (a case
    sharing six words in a row with a gold record is left out)."""
    text = manual.read_text(encoding="utf-8")
    gold = {" ".join(g) for r in records for g in _runs(r)}
    out = []
    for item in re.split(r"\\item", text)[1:]:
        coded = _CODED.search(item)
        if not coded or coded.group(1) not in CATEGORY_ROOT or "not" in item[max(0, coded.start() - 12):coded.start()]:
            continue
        for quote in _QUOTED.finditer(item[:coded.start()]):
            if coded.start() - quote.end() > 80:  # a quote far from the ruling is an aside, not the case it rules on
                continue
            sentence = plain(quote.group(1)).replace("...", " ").strip(" ,")
            if len(sentence.split()) >= 4 and not {" ".join(g) for g in _runs(sentence)} & gold:
                out.append((sentence[0].upper() + sentence[1:], CATEGORY_ROOT[coded.group(1)], weight))
    return list(dict.fromkeys(out))


def _runs(sentence: str, n: int = 6) -> list[tuple[str, ...]]:
    words = re.findall(r"\w+", sentence.lower())
    return [tuple(words[k:k + n]) for k in range(len(words) - n + 1)]
