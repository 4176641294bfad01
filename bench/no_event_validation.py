"""False events: the share of sentences that report no act (bench/data/no_event_sentences.tsv, built by
tools/build_no_event_set.py) on which a coder still codes an event, by split and kind. The ``test`` split's
templates were never looked at while writing the coder's rules."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import sys
from pathlib import Path

from geodrift.coding.coder import Coder, DictionaryCoder, code_text

SET = Path(__file__).resolve().parent / "data" / "no_event_sentences.tsv"
DAY = dt.date(2020, 10, 15)


def false_events(coder: Coder, split: str | None = None) -> dict[str, tuple[int, int]]:
    """kind -> (sentences with an event, sentences); 'all' sums them."""
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    with SET.open() as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if split and row["split"] != split:
                continue
            hit = bool(code_text(row["sentence"], published=DAY, coder=coder))
            for key in (row["kind"], "all"):
                counts[key][0] += hit
                counts[key][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(counts.items())}


def main(coders: dict[str, Coder] | None = None) -> None:
    for name, coder in (coders or {"dictionary": DictionaryCoder()}).items():
        for split in ("dev", "test"):
            found = false_events(coder, split)
            rates = ", ".join(f"{k} {h / n:.3f} ({h}/{n})" for k, (h, n) in found.items())
            print(f"{name:<11}{split:<5} false-event rate {rates}")
    if "--show" in sys.argv:
        with SET.open() as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["split"] == "dev":
                    rows = code_text(row["sentence"], published=DAY)
                    if rows:
                        print(row["sentence"], [(r["actor1_code"], r["event_code"], r["actor2_code"]) for r in rows])


if __name__ == "__main__":
    main()
