"""Write geodrift's verb dictionary from PETRARCH-2's CAMEO.2.0.txt (MIT).

Outputs:
- src/geodrift/codebooks/data/verbs.tsv: form, lemma, code, pattern, block. A verb inherits its block's
  code ("---  BLAME   [112]  ---") unless it carries its own ("CONDEMN [111]"); "---" codes (no event)
  are kept as "---" so such verbs are recognised and not coded. Irregular forms come from "{...}";
  regular ones (-s, -ed, -ing) are generated. Pattern lines ("- BEFORE * AFTER [code]") are kept with their
  parse markers flattened (rows with an empty form): every verb of the block takes the pattern's code
  when its words occur in order around it.
- src/geodrift/codebooks/data/verb_synsets.tsv: set, phrase — the &SETS the patterns name.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from geodrift.coding.petrarch import parse_synsets, parse_verbs

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data") / "petrarch2" / "dictionaries" / "CAMEO.2.0.txt"
OUT = Path(__file__).resolve().parents[1] / "src" / "geodrift" / "codebooks" / "data"


def _write(name: str, header: list[str], rows: list[tuple[str, ...]]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {len(rows):,} rows to {OUT / name}")


def main() -> None:
    _write("verbs.tsv", ["form", "lemma", "code", "pattern", "block"], sorted(parse_verbs(SOURCE)))
    _write("verb_synsets.tsv", ["set", "phrase"], parse_synsets(SOURCE))


if __name__ == "__main__":
    main()
