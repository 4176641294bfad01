"""Write geodrift's actor and agent dictionaries from PETRARCH-2's Phoenix dictionaries (MIT).

Outputs (committed; the references are not):
- src/geodrift/codebooks/data/actors.tsv: phrase, CAMEO actor code, first and last day it applies
  (empty = open). Phrases are upper-case words joined by spaces, from Phoenix.Countries.actors.txt
  (countries, demonyms, capitals, office holders with their dated codes) and
  Phoenix.International.actors.txt (IGOs and other international actors) and Phoenix.MilNonState.actors.txt
  (rebel, militant and other non-state armed groups with their country: HAMAS -> PSEREBHMS; one-word names
  that are numbers or ordinary words are left out).
- src/geodrift/codebooks/data/agents.tsv: phrase, role code (GOV, MIL, ...), stem flag, from
  Phoenix.agents.txt, with its !MACRO! lists expanded. A stem phrase's last word matches as a prefix
  ("DEFENCE MINIST" matches "defence ministry"; "TROOP" matches "troops").

TABARI format: a phrase line ("ILHAM_ALIYEV_", words joined by "_"), "+" synonym lines, then
indented "[CODE YYMMDD-YYMMDD]" lines ("<date" = until, ">date" = from, none = always); or
"PHRASE_ [CODE]" on one line. Six-digit dates are YYMMDD with years < 30 in the 2000s.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from geodrift.coding.petrarch import parse_actors, parse_agents, parse_non_state_actors

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data") / "petrarch2" / "dictionaries"
OUT = Path(__file__).resolve().parents[1] / "src" / "geodrift" / "codebooks" / "data"


def main() -> None:
    unreadable: list[str] = []
    actors = (parse_actors(SHARED / "Phoenix.Countries.actors.txt", unreadable)
              + parse_actors(SHARED / "Phoenix.International.actors.txt", unreadable)
              + parse_non_state_actors(SHARED / "Phoenix.MilNonState.actors.txt"))
    for entry in unreadable:
        print(f"left out (date restriction not readable): {entry}")
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
