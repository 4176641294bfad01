"""Write geodrift's actor and agent dictionaries from PETRARCH-2's Phoenix dictionaries (MIT).

Outputs (committed; the references are not):
- src/geodrift/codebooks/data/actors.tsv: phrase, CAMEO actor code, first and last day it applies
  (empty = open). Phrases are upper-case words joined by spaces, from Phoenix.Countries.actors.txt
  (countries, demonyms, capitals, office holders with their dated codes) and
  Phoenix.International.actors.txt (IGOs and other international actors).
- src/geodrift/codebooks/data/agents.tsv: phrase, role code (GOV, MIL, ...), stem flag, from
  Phoenix.agents.txt, with its !MACRO! lists expanded. A stem phrase's last word matches as a prefix
  ("DEFENCE MINIST" matches "defence ministry"; "TROOP" matches "troops").

TABARI format: a phrase line ("ILHAM_ALIYEV_", words joined by "_"), "+" synonym lines, then
indented "[CODE YYMMDD-YYMMDD]" lines ("<date" = until, ">date" = from, none = always); or
"PHRASE_ [CODE]" on one line. Six-digit dates are YYMMDD with years < 30 in the 2000s.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data") / "petrarch2" / "dictionaries"
OUT = Path(__file__).resolve().parents[1] / "src" / "geodrift" / "codebooks" / "data"


def _day(text: str) -> str:
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
    if spec.startswith("<"):
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


def parse_actors(path: Path) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    phrases: list[str] = []
    head_codes: list[tuple[str, str, str]] = []  # codes given on the head line ("TURKEY_ [TUR]"): synonyms share them
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if text[0] in " \t":
            for code, spec in re.findall(r"\[(\S+)\s*([^\]]*)\]", text):
                span = _span(spec)
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


def main() -> None:
    actors = parse_actors(SHARED / "Phoenix.Countries.actors.txt") + parse_actors(SHARED / "Phoenix.International.actors.txt")
    with (OUT / "actors.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["phrase", "code", "first", "last"])
        writer.writerows(sorted(set(actors)))
    agents = parse_agents(SHARED / "Phoenix.agents.txt")
    with (OUT / "agents.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["phrase", "role", "stem"])
        writer.writerows(sorted(set(agents)))
    print(f"wrote {len(set(actors)):,} actor phrases and {len(set(agents)):,} agent phrases to {OUT}")


if __name__ == "__main__":
    main()
