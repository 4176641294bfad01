"""Write geodrift's verb dictionary from PETRARCH-2's CAMEO.2.0.txt (MIT).

Output: src/geodrift/codebooks/data/verbs.tsv: form, lemma, code, object. A verb inherits its block's
code ("---  BLAME   [112]  ---") unless it carries its own ("CONDEMN [111]"); "---" codes (no event)
are kept as "---" so such verbs are recognised and not coded. Irregular forms come from "{...}";
regular ones (-s, -ed, -ing) are generated. Pattern lines ("- * WORDS [code]") whose words after
the verb are plain words (no &sets, $, +, ^ or parentheses) are kept as (lemma, object words, code):
the verb then takes that code when those words follow it. Other patterns need a parse and are left out.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data") / "petrarch2" / "dictionaries" / "CAMEO.2.0.txt"
OUT = Path(__file__).resolve().parents[1] / "src" / "geodrift" / "codebooks" / "data" / "verbs.tsv"
VOWELS = "AEIOU"


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


def main() -> None:
    rows: set[tuple[str, str, str, str]] = set()
    block_code = "---"
    lemma = ""
    for line in SOURCE.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0].rstrip()
        if not text.strip() or text.startswith(("&", "+")):
            continue
        head = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", text)
        if head:
            block_code = head.group(2).split(":")[0] or "---"
            continue
        if text.startswith("-"):
            pattern = re.match(r"^-\s+(.*?)\s*\[([^\]]*)\]", text)
            if not pattern or not lemma:
                continue
            words = pattern.group(1).split()
            code = pattern.group(2).split(":")[0]
            if "*" not in words or not re.fullmatch(r"\d{2,4}|---", code):
                continue
            after = words[words.index("*") + 1:]
            before = words[:words.index("*")]
            if before or not after or any(not re.fullmatch(r"[A-Z][A-Z'\-]*", w) for w in after):
                continue
            rows.add(("", lemma, code, " ".join(after)))
            continue
        verb = re.match(r"^([A-Z][A-Z_'\-]*)\s*(\{[^}]*\})?\s*(?:\[([^\]]*)\])?", text)
        if not verb:
            continue
        lemma = verb.group(1).replace("_", " ")
        code = (verb.group(3) or block_code).split(":")[0] or "---"
        if not re.fullmatch(r"\d{2,4}|---", code):
            continue
        forms = set(verb.group(2).strip("{}").split()) if verb.group(2) else set()
        words = lemma.split()
        for form in forms | regular_forms(words[0]):
            rows.add((" ".join([form, *words[1:]]), lemma, code, ""))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["form", "lemma", "code", "object"])
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows):,} verb forms and patterns to {OUT}")


if __name__ == "__main__":
    main()
