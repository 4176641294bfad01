"""Readers for PETRARCH-2 / TABARI dictionaries (MIT, Open Event Data Alliance).

Actors: a phrase line ("ILHAM_ALIYEV_", words joined by "_"), "+" synonym lines, then indented
"[CODE YYMMDD-YYMMDD]" lines ("<date" = until, ">date" = from, none = always); or "PHRASE_ [CODE]" on
one line. Six-digit dates are YYMMDD with years < 30 in the 2000s.
Agents: "PHRASE [~CODE]" with !MACRO! lists; a phrase without a trailing "_" matches as a stem.
Verbs: "--- LEMMA [code] ---" blocks of synonyms (a "+" line is a multi-word verb such as CALL_OFF); a verb
inherits its block's code unless it carries its own; "---" means no event. Irregular forms come from "{...}",
regular ones (-s, -ed, -ing) are generated. Pattern lines ("- BEFORE * AFTER [code]") apply to every verb of
their block; their parse markers are flattened to words in order (a tree is not needed to find them near
the verb), "&SET" words name the dictionary's synonym sets.

tools/build_*_dictionary.py write the packaged TSVs with these readers; coding/lexicon.py reads other
dictionaries (such as PETRARCH's validation set) at run time.
"""

from __future__ import annotations

import re
from pathlib import Path

VOWELS = "AEIOU"


def _day(text: str) -> str:
    text = text.strip()
    if len(text) == 10 and text.startswith("19") and text[2:4] in ("19", "20") and text.isdigit():
        text = text[2:]  # "1920030320": a stray "19" before an eight-digit day (Phoenix's Iraq 2003-2006)
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if len(text) == 6 and text.isdigit():
        year = int(text[:2])
        return f"{2000 + year if year < 30 else 1900 + year}-{text[2:4]}-{text[4:]}"
    return ""


def _span(spec: str) -> tuple[str, str] | None:
    """(first, last) day of a date restriction; None when it cannot be read."""
    spec = spec.strip()
    if not spec:
        return "", ""
    if spec.startswith("<"):  # "< 130701" and "<130701" alike
        day = _day(spec[1:])
        return ("", day) if day else None
    if spec.startswith(">"):
        day = _day(spec[1:])
        return (day, "") if day else None
    if "-" in spec:
        first, last = (_day(p) for p in spec.split("-", 1))
        return (first, last) if first and last else None
    return None


def _phrase(raw: str) -> str:
    words = raw.strip().rstrip("_").replace("_", " ").upper().split()
    return " ".join(words)


def parse_actors(path: Path, unreadable: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    """(phrase, code, first day, last day) rows; date restrictions that cannot be read (a day of 7 or 9 digits)
    are left out and, when ``unreadable`` is given, appended to it as "file:line: [CODE spec]"."""
    rows: list[tuple[str, str, str, str]] = []
    phrases: list[str] = []
    head_codes: list[tuple[str, str, str]] = []  # codes given on the head line ("TURKEY_ [TUR]"): synonyms share them
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if text[0] in " \t":
            for code, spec in re.findall(r"\[(\S+)\s*([^\]]*)\]", text):
                span = _span(spec)
                if span is None and unreadable is not None:
                    unreadable.append(f"{path.name}:{number}: [{code} {spec}]")
                if span is not None and code.isupper():
                    rows += [(p, code, *span) for p in phrases]
            continue
        same_line = re.match(r"^([^\[]+?)\s*\[(\S+)\s*([^\]]*)\]", text)
        if text.startswith("+"):
            phrases.append(_phrase(text[1:]))
            rows += [(phrases[-1], code, first, last) for code, first, last in head_codes]
        elif same_line:
            phrases = [_phrase(same_line.group(1))]
            span = _span(same_line.group(3))
            head_codes = [(same_line.group(2), *span)] if span is not None else []
            rows += [(phrases[0], code, first, last) for code, first, last in head_codes]
        else:
            phrases = [_phrase(text)]
            head_codes = []
    return [r for r in rows if r[0] and not re.search(r"[^A-Z0-9 .'\-]", r[0])]


GENERIC_NAMES = frozenset({"ORGANIZATION", "YOUTH", "ZERO", "TIGERS", "FALCON", "MAVERICKS", "BOOGEYMEN", "HOTARU",
                           "ALEPH", "CAMO", "AMAL", "HISBA", "SHAHIN", "YAHWEH", "VENCEREMOS"})
"""One-word group names in the non-state dictionary that are ordinary words or names in news text."""


def parse_non_state_actors(path: Path) -> list[tuple[str, str, str, str]]:
    """Actor rows of Phoenix.MilNonState.actors.txt without one-word names that are numbers or ordinary words."""
    return [row for row in parse_actors(path)
            if " " in row[0] or not (row[0].isdigit() or row[0] in GENERIC_NAMES)]


def parse_agents(path: Path) -> list[tuple[str, str, str]]:
    """(phrase, role, stem) rows; stem "1" when the last word is a prefix (TABARI: no trailing "_")."""
    macros: dict[str, list[str]] = {}
    rows: list[tuple[str, str, str]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        macro = re.match(r"^(!\w+!)\s*=\s*(.+)$", text)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",")]
            continue
        entry = re.match(r"^(.+?)\s*(?:\{[^}]*\})?\s*\[~(\w+)\]", text)
        if not entry:
            continue
        phrase, role = entry.group(1), entry.group(2)
        expansions = [phrase]
        for name, words in macros.items():
            if name in phrase:
                expansions = [e.replace(name, w) for e in expansions for w in words]
        rows += [(_phrase(e), role, "" if e.rstrip().endswith("_") else "1") for e in expansions]
    return [r for r in rows if r[0] and "!" not in r[0]]


def regular_forms(verb: str) -> set[str]:
    """-s, -ed and -ing forms of an upper-case verb (e-drop, y -> ie, final consonant doubling)."""
    forms = {verb}
    if verb.endswith(("S", "SH", "CH", "X", "Z")):
        forms.add(verb + "ES")
    elif verb.endswith("Y") and len(verb) > 1 and verb[-2] not in VOWELS:
        forms |= {verb[:-1] + "IES", verb[:-1] + "IED"}
    else:
        forms.add(verb + "S")
    if verb.endswith("E"):
        forms |= {verb + "D", verb[:-1] + "ING"}
    elif not (verb.endswith("Y") and verb[-2:-1] not in VOWELS):
        forms |= {verb + "ED", verb + "ING"}
        if len(verb) >= 3 and verb[-1] not in VOWELS + "WXY" and verb[-2] in VOWELS and verb[-3] not in VOWELS:
            forms |= {verb + verb[-1] + "ED", verb + verb[-1] + "ING"}
    else:
        forms.add(verb + "ING")
    return forms



def _pattern(words: list[str]) -> str | None:
    """A pattern's words as "BEFORE * AFTER" with PETRARCH-2's parse markers flattened: "(...)" phrases and
    "{...}" nouns become their words, "_" joins become spaces, &SETS stay, actor slots ($ + % ^) go."""
    flat: list[str] = []
    for word in words:
        for part in word.strip("(){}").replace("_", " ").split():
            part = part.strip("(){}")
            if part in ("$", "+", "%", "^") or not part:
                continue
            if not re.fullmatch(r"\*|&[A-Z_]+|[A-Z][A-Z'\-]*", part):
                return None
            flat.append(part)
    if flat.count("*") != 1 or len(flat) == 1:
        return None
    return " ".join(flat)


def parse_synsets(path: Path) -> list[tuple[str, str]]:
    """(set, phrase) rows of a verb dictionary's synonym sets ("&MILITARY" with "+TROOPS", "+ARMED_FORCES")."""
    rows: list[tuple[str, str]] = []
    name = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0].strip()
        if text.startswith("&"):
            name = text.rstrip("_").rstrip()
        elif text.startswith("+") and name:
            phrase = _phrase(text[1:])
            if phrase and re.fullmatch(r"[A-Z][A-Z '\-]*", phrase):
                rows.append((name, phrase))
        elif text:
            name = ""
    return rows


def parse_verbs(path: Path) -> set[tuple[str, str, str, str, str]]:
    """(form, lemma, code, pattern, block) rows of a PETRARCH-2 verb dictionary (see the module docstring).

    A pattern row ("", block, code, "BEFORE * AFTER", block) belongs to its block: as in PETRARCH-2, every
    verb of the block ("--- CANCEL [---] ---": CALL OFF, HALT, STOP, SUSPEND, ...) takes it.
    """
    rows: set[tuple[str, str, str, str, str]] = set()
    block_code = "---"
    block = ""
    in_synset = False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if text.startswith("&"):
            in_synset = True
            continue
        head = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", text)
        if head:
            block_code = head.group(2).split(":")[0] or "---"
            block = head.group(1).replace("_", " ")
            in_synset = False
            continue
        if in_synset or not block:
            continue
        if text.startswith("-"):
            pattern = re.match(r"^-\s+(.*?)\s*\[([^\]]*)\]", text)
            code = pattern.group(2).split(":")[0].strip() if pattern else ""
            flat = _pattern(pattern.group(1).split()) if pattern else None
            if flat and re.fullmatch(r"\d{2,4}|---", code):
                rows.add(("", block, code, flat, block))
            continue
        verb = re.match(r"^\+?([A-Z][A-Z_'\-]*)\s*(\{[^}]*\})?\s*(?:\[([^\]]*)\])?", text)
        if not verb:
            continue
        lemma = verb.group(1).replace("_", " ")
        code = (verb.group(3) or block_code).split(":")[0] or "---"
        if not re.fullmatch(r"\d{2,4}|---", code):
            continue
        words = lemma.split()
        irregular = {f.lstrip("+").replace("_", " ") for f in verb.group(2).strip("{}").split()} if verb.group(2) else set()
        regular = {" ".join([form, *words[1:]]) for form in regular_forms(words[0])}
        for form in irregular | regular:
            rows.add((form, lemma, code, "", block))
    return rows
