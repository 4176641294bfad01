"""The coder's evaluation in one run (issue 18, item 6): the dictionary coder alone against the hybrid coder and the
context coder (coding/context.py: verb sense from a dependency parse), on data none was built from, plus throughput
and start-up.

- PLOVER gold records (CAMEO manual sentences): the hold-out split (every fifth record; never used to build, train
  or tune) and the development split (used while writing the dictionary rules, to choose HybridCoder's thresholds
  and to fit its gate, version 6; the event model never trained on it): PLOVER event-type accuracy and macro-F1,
  five-class accuracy, actor country, per-category precision/recall; on the development split, the per-type confusion
  of both coders with the hybrid's gate out of fold (bench/coder_confusion.py);
- PETRARCH-2 unit-test records, with PETRARCH-2's validation dictionaries (never trained on);
- caucasus-2020 summaries: the held-out fifth (article id hash), the tuning fifth (the event model never trained on
  it; HybridCoder's thresholds were chosen and its gate fitted on it and on the PLOVER development split) and, apart,
  the training split the model learnt from: five-class accuracy of the most confident event, recall by class, actor1 country;
- wire-style sentences (bench/data/wire_sentences.tsv; development data, bench/wire_validation.py): five-class
  accuracy of the most confident event, recall by class;
- the no-event set (bench/data/no_event_sentences.tsv): share of sentences given an event, test and dev splits;
- calibration of the model's P(none) on the no-event test split and the caucasus held-out fifth;
- which part decided the hybrid's events; throughput; ``geodrift code`` start-up.

Usage: python bench/coder_report.py [--baseline-model NPZ] (or ``make bench`` / ``python bench/run.py --only coder``).
``--baseline-model`` adds a third coder, the hybrid with an earlier model file (e.g. the TF-IDF-only model of
version 3, ``git show 57fc915:src/geodrift/coding/data/event_model.npz``), measured in the same run.
"""

from __future__ import annotations

import collections
import csv
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from tools.build_event_model import PLOVER_CLASS, held_out, tuning

from bench.coder_bench import run as throughput
from bench.coder_bench import startup
from bench.coder_confusion import confusion
from bench.coder_validation import plover
from bench.no_event_validation import SET, false_events
from bench.petrarch_validation import evaluate as petrarch
from bench.wire_validation import scores as wire
from geodrift.coding.coder import Coder, DictionaryCoder, code_text
from geodrift.coding.context import ContextCoder, PatternIndex
from geodrift.coding.hybrid import HybridCoder, decided_by
from geodrift.coding.model import CLASSES, EventModel, event_class, packaged_model


def top_class(events: list[dict[str, Any]]) -> str:
    """The class of the most confident event (the first on ties), none without events."""
    return event_class(max(events, key=lambda e: e["confidence"])["event_code"]) if events else "none"


def five_class(pairs: list[tuple[str, str]]) -> str:
    """Accuracy, events missed and recall by class of (gold, predicted) class pairs."""
    right = sum(g == p for g, p in pairs)
    recall = {c: (sum(g == p == c for g, p in pairs), sum(g == c for g, _ in pairs)) for c in CLASSES[1:]}
    return (f"5-class accuracy {right / len(pairs):.3f} ({len(pairs)}), no event {sum(p == 'none' for _, p in pairs)}, "
            "recall " + " / ".join(f"{h / n:.2f}" if n else "-" for h, n in recall.values()))


def plover_report(shared: Path, coders: dict[str, Coder]) -> None:
    records = [r for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "event" in r and "text" in r]
    splits = {"hold-out": records[::5], "development": [r for i, r in enumerate(records) if i % 5]}
    for split, rows in splits.items():
        print(f"PLOVER gold, {split} ({len(rows)} records)")
        for name, coder in coders.items():
            scores = plover(shared, coder, split)[split]
            pairs = [(PLOVER_CLASS[r["event"]], top_class(code_text(r["text"], published="2016-12-19", coder=coder)))
                     for r in rows]
            print(f"  {name:<11}event type {scores['event_type_accuracy']:.3f}, macro-F1 {scores['macro_f1']:.3f}, "
                  f"actor country {scores['actor_country_accuracy']:.3f}, {five_class(pairs)}")
            print("  " + " " * 11 + "per category (precision, recall): " + ", ".join(
                f"{c} ({p:.2f}, {r:.2f})" for c, (p, r) in scores["per_category"].items()))


def caucasus_report(shared: Path, coders: dict[str, Coder]) -> None:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["language"] == "en" and r["published"] and len(r["published"]) == 10]
    splits = (("held-out fifth", held_out),
              ("tuning fifth (thresholds and gate fitted here; the model never trained on it)", tuning),
              ("training split (the model learnt from it)", lambda a: not held_out(a) and not tuning(a)))
    for split, keep in splits:
        summaries = {r["summary"]: r for r in rows if keep(r["article_id"])}
        print(f"caucasus-2020 summaries, {split}; recall by class: " + " / ".join(CLASSES[1:]))
        for name, coder in coders.items():
            coded = {s: code_text(s, published=r["published"], coder=coder) for s, r in summaries.items()}
            pairs = [(event_class(r["cameo_code"]), top_class(coded[s])) for s, r in summaries.items()]
            actor = sum(any(e["actor1_country"] == r["actor1"]["iso3"] for e in coded[s]) for s, r in summaries.items()
                        if r["actor1"]["iso3"]) / sum(1 for r in summaries.values() if r["actor1"]["iso3"])
            print(f"  {name:<11}{five_class(pairs)}, actor1 country {actor:.3f}")


def calibration() -> None:
    """Expected calibration error (10 bins) and Brier score of the model's P(none) on never-trained sentences."""
    model = packaged_model()
    texts: list[tuple[str, bool]] = []
    with SET.open() as handle:
        texts += [(r["sentence"], True) for r in csv.DictReader(handle, delimiter="\t") if r["split"] == "test"]
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    texts += [(s, False) for s in {r["summary"] for r in rows if r["language"] == "en" and held_out(r["article_id"])}]
    coder = DictionaryCoder()
    p = np.array([model.roots(s, [e["event_code"] for e in code_text(s, published="2020-10-15", coder=coder)])["none"]
                  for s, _ in texts])
    y = np.array([none for _, none in texts], dtype=float)
    bins = np.minimum((p * 10).astype(int), 9)
    ece = sum(abs(p[bins == b].mean() - y[bins == b].mean()) * (bins == b).mean() for b in range(10) if (bins == b).any())
    print(f"model P(none), calibrated (Platt), on {int(y.sum())} no-event test sentences and {int(len(y) - y.sum())} "
          f"caucasus held-out summaries: ECE {ece:.3f}, Brier {np.mean((p - y) ** 2):.3f}, "
          f"share >= 0.5: no-event {np.mean(p[y == 1] >= 0.5):.3f}, events {np.mean(p[y == 0] >= 0.5):.3f}")


def decided(shared: Path, hybrid: Coder) -> None:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    counts = collections.Counter(decided_by(e) for r in rows if r["language"] == "en" and len(r["published"] or "") == 10
                                 for e in code_text(r["summary"], published=r["published"], coder=hybrid))
    total = sum(counts.values())
    print("hybrid events on all caucasus summaries decided by: "
          + ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in sorted(counts.items())))


def _validation_context(coder: Coder) -> Callable[[DictionaryCoder, PatternIndex], Coder] | None:
    """How ``coder`` is rebuilt over PETRARCH-2's validation dictionaries when it reads the parse (the context coder,
    or the hybrid over it), with the validation verbs' own patterns; None for the others."""
    if isinstance(coder, ContextCoder):
        return lambda d, p: ContextCoder(d, patterns=p)
    if isinstance(coder, HybridCoder) and isinstance(coder.dictionary, ContextCoder):
        return lambda d, p: HybridCoder(ContextCoder(d, patterns=p), coder.model)
    return None


def main() -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "plover").is_dir() or not (shared / "petrarch2").is_dir():
        sys.exit(f"needs the reference data at {shared} (or GEODRIFT_DATA)")
    dictionary = DictionaryCoder()
    # The context coder keeps no parses between batches: the throughput text repeats, real news does not.
    context = ContextCoder(dictionary, parses_kept=0)
    coders: dict[str, Coder] = {"dictionary": dictionary, "hybrid": HybridCoder(dictionary), "context": context,
                                "hybrid-context": HybridCoder(context)}
    if "--baseline-model" in sys.argv:
        path = Path(sys.argv[sys.argv.index("--baseline-model") + 1])
        with path.open("rb") as handle:
            earlier = EventModel.from_arrays(np.load(handle, allow_pickle=False))
        coders[f"hybrid ({path.stem})"] = HybridCoder(dictionary, earlier)
    plover_report(shared, coders)
    confusion(shared, dictionary)
    print("PETRARCH-2 unit-test records (its validation dictionaries): " + " | ".join(coders))
    scores = [petrarch(shared, hybrid=isinstance(coder, HybridCoder), model=getattr(coder, "model", None),
                       context=_validation_context(coder)) for coder in coders.values()]
    for key in ("records coded exactly", "strict precision", "strict recall", "event codes found (recall)"):
        print(f"  {key:<30}" + " | ".join(f"{s[key]:.3f}" for s in scores))
    caucasus_report(shared, coders)
    print("wire-style sentences (bench/data/wire_sentences.tsv, development data written and labelled in the project); "
          "recall by class: " + " / ".join(CLASSES[1:]))
    for name, coder in coders.items():
        s = wire(coder)
        print(f"  {name:<11}5-class {s['accuracy']:.3f} (events only {s['events']:.3f}), recall "
              + " / ".join(f"{s[c]:.2f}" for c in CLASSES[1:]) + f", background given an event {s['none']:.2f}")
    for name, coder in coders.items():
        for split in ("test", "dev"):
            found = false_events(coder, split)
            hit, n = found.pop("all")
            print(f"no-event sentences, {split} split: {name:<11}false events {hit / n:.3f} ({hit}/{n}); "
                  + ", ".join(f"{k} {h}/{m}" for k, (h, m) in found.items()))
    calibration()
    decided(shared, coders["hybrid"])
    throughput(coders=coders)
    startup()


if __name__ == "__main__":
    main()
