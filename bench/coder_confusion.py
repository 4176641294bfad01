"""Where the coders get the PLOVER event type wrong (issue 18): per-type confusion of the dictionary coder and the
hybrid coder on the PLOVER development split, never the hold-out.

The hybrid's gate (coding/gate.py) is fitted on the development split itself, so its figure there would flatter it:
here it is cross-validated, each record coded by a gate refitted without the tenth of the gate's sentences that
holds it (tools/build_event_model.py's folds). The dictionary's rules were also written while reading this split,
so its figure is optimistic too (hold-out 0.569 against development 0.693 at the start of the round).

Usage: python bench/coder_confusion.py [--top N]
"""

from __future__ import annotations

import collections
import dataclasses
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.build_event_model import gate_data, gate_folds, gate_weights

from bench.coder_validation import gsr_category, main_event
from geodrift.coding.coder import Coder, DictionaryCoder, code_text
from geodrift.coding.hybrid import HybridCoder
from geodrift.coding.model import EventModel, packaged_model


def predicted(records: list[dict[str, str]], coder: Coder) -> list[str | None]:
    """The PLOVER type of each record's main event by ``coder`` (None: no event)."""
    out = []
    for r in records:
        chosen = main_event(code_text(r["text"], published="2016-12-19", coder=coder))
        out.append(gsr_category(chosen["event_code"], chosen["modality"]) if chosen else None)
    return out


def cross_validated_hybrid(shared: Path, records: list[dict[str, str]], dictionary: DictionaryCoder,
                           model: EventModel | None = None) -> list[str | None]:
    """The hybrid's PLOVER type of each development record, by a gate fitted without the record's fold (the packaged
    event model's unless ``model`` is given)."""
    model = model or packaged_model()
    rows, xs, ys, _ = gate_data(model, shared)
    folds = gate_folds(len(ys))
    fold_of = {text: int(k) for (text, _, _, name), k in zip(rows, folds, strict=True) if name == "PLOVER development"}
    out: list[str | None] = [None] * len(records)
    for k in range(10):
        coder = HybridCoder(dictionary, dataclasses.replace(model, gate=gate_weights(xs[folds != k], ys[folds != k])))
        chosen = [i for i, r in enumerate(records) if fold_of[r["text"]] == k]
        for i, category in zip(chosen, predicted([records[i] for i in chosen], coder), strict=True):
            out[i] = category
    return out


def report(gold: list[str], found: list[str | None], top: int) -> None:
    right = sum(g == p for g, p in zip(gold, found, strict=True))
    print(f"  event type {right / len(gold):.3f} ({right}/{len(gold)})")
    confusions = collections.Counter((g, p or "no event") for g, p in zip(gold, found, strict=True) if g != p)
    print("  largest confusions (gold as predicted): "
          + ", ".join(f"{g} as {p} {n}" for (g, p), n in confusions.most_common(top)))
    recall = {t: (sum(g == p == t for g, p in zip(gold, found, strict=True)), gold.count(t)) for t in sorted(set(gold))}
    print("  recall by type: " + ", ".join(f"{t} {h}/{n}" for t, (h, n) in recall.items()))


def main() -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "plover").is_dir():
        sys.exit(f"needs the reference data at {shared} (or GEODRIFT_DATA)")
    confusion(shared, DictionaryCoder(), int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 12)


def confusion(shared: Path, dictionary: DictionaryCoder, top: int = 12) -> None:
    """Prints both coders' per-type confusion on the PLOVER development split."""
    records = [r for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "event" in r and "text" in r]
    development = [r for i, r in enumerate(records) if i % 5]  # every fifth record is the hold-out: never read here
    gold = [r["event"] for r in development]
    print(f"PLOVER development split ({len(development)} records), dictionary coder")
    report(gold, predicted(development, dictionary), top)
    print("hybrid coder, its gate cross-validated (10 folds)")
    report(gold, cross_validated_hybrid(shared, development, dictionary), top)


if __name__ == "__main__":
    main()
