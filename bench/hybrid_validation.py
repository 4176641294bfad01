"""Hybrid coder against the dictionary coder, in the same run, on data the model never saw (issue 18).

- caucasus-2020 held-out split: the fifth of the articles (hash of the article id) that tools/build_event_model.py
  leaves out; class of the most confident event per summary (none when no event), accuracy and recall by class;
- PLOVER gold records (CAMEO manual sentences, never trained on): class accuracy, PLOVER category -> class;
- the no-event set's ``test`` split (templates and PETRARCH-2 records never trained on): false-event rate;
- calibration of the model on the caucasus held-out split: expected calibration error (5 bins) and Brier score.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
from tools.build_event_model import held_out

from bench.no_event_validation import false_events
from geodrift.coding.actions import find_actions
from geodrift.coding.coder import Coder, DictionaryCoder, code_text
from geodrift.coding.hybrid import HybridCoder
from geodrift.coding.lexicon import packaged
from geodrift.coding.model import CLASSES, event_class, packaged_model

PLOVER_CLASS = {"AGREE": "verbal_cooperation", "CONSULT": "verbal_cooperation", "SUPPORT": "material_cooperation",
                "COOPERATE": "material_cooperation", "AID": "material_cooperation", "CONCEDE": "material_cooperation",
                "RETREAT": "material_cooperation", "INVESTIGATE": "verbal_conflict", "DEMAND": "verbal_conflict",
                "DISAPPROVE": "verbal_conflict", "REJECT": "verbal_conflict", "THREATEN": "verbal_conflict",
                "PROTEST": "material_conflict", "MOBILIZE": "material_conflict", "SANCTION": "material_conflict",
                "COERCE": "material_conflict", "ASSAULT": "material_conflict", "FIGHT": "material_conflict"}


def top_class(events: list[dict[str, Any]]) -> str:
    """The class of the most confident event (the first on ties), none without events."""
    return event_class(max(events, key=lambda e: e["confidence"])["event_code"]) if events else "none"


def scores(pairs: list[tuple[str, str]]) -> str:
    right = sum(g == p for g, p in pairs)
    recall = {c: (sum(g == p == c for g, p in pairs), sum(g == c for g, _ in pairs)) for c in CLASSES[1:]}
    return (f"accuracy {right / len(pairs):.3f} ({len(pairs)}), no event {sum(p == 'none' for _, p in pairs)}, recall "
            + " / ".join(f"{h / n:.2f}" if n else "-" for h, n in recall.values()))


def main() -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "plover").is_dir():
        sys.exit(f"needs the reference data at {shared}")
    coders: dict[str, Coder] = {"dictionary": DictionaryCoder(), "hybrid": HybridCoder()}
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    summaries = {r["summary"]: r for r in rows if r["language"] == "en" and held_out(r["article_id"])
                 and r["published"] and len(r["published"]) == 10}
    plover = [r for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "event" in r and "text" in r]
    print("recall by class: " + " / ".join(CLASSES[1:]))
    for name, coder in coders.items():
        pairs = [(event_class(r["cameo_code"]), top_class(code_text(s, published=r["published"], coder=coder)))
                 for s, r in summaries.items()]
        print(f"{name:<11}caucasus held-out {scores(pairs)}")
        pairs = [(PLOVER_CLASS[r["event"]], top_class(code_text(r["text"], published=dt.date(2016, 12, 19), coder=coder)))
                 for r in plover]
        print(f"{name:<11}PLOVER gold       {scores(pairs)}")
        (hit, n) = false_events(coder, "test")["all"]
        print(f"{name:<11}no-event test split: false-event rate {hit / n:.3f} ({hit}/{n})")
    model = packaged_model()
    confidence, correct, brier = [], [], []
    for s, r in summaries.items():
        p = model.probabilities(s, [a.code for a in find_actions(s, frozenset(), packaged())])
        gold = event_class(r["cameo_code"])
        best = max(p, key=p.__getitem__)
        confidence.append(p[best])
        correct.append(best == gold)
        brier.append(sum((p[c] - (c == gold)) ** 2 for c in CLASSES))
    conf, hits = np.array(confidence), np.array(correct, dtype=float)
    bins = np.minimum((conf * 5).astype(int), 4)
    ece = sum(abs(conf[bins == b].mean() - hits[bins == b].mean()) * (bins == b).mean() for b in range(5) if (bins == b).any())
    print(f"model alone, caucasus held-out: accuracy {hits.mean():.3f}, mean confidence {conf.mean():.3f}, "
          f"ECE {ece:.3f}, Brier {np.mean(brier):.3f}")
    counts = collections.Counter(event_class(r["cameo_code"]) for r in summaries.values())
    print(f"held-out classes: {dict(counts)}")


if __name__ == "__main__":
    main()
