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
import sys
from pathlib import Path

from geodrift.coding.petrarch import parse_verbs

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data") / "petrarch2" / "dictionaries" / "CAMEO.2.0.txt"
OUT = Path(__file__).resolve().parents[1] / "src" / "geodrift" / "codebooks" / "data" / "verbs.tsv"


def main() -> None:
    rows = parse_verbs(SOURCE)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["form", "lemma", "code", "object"])
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows):,} verb forms and patterns to {OUT}")


if __name__ == "__main__":
    main()
