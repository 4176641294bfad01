"""Compares event-model files for the hybrid coder without looking at the PLOVER hold-out (issue 18): what a change
of the learned layer is judged on before the one final run of bench/coder_report.py.

For each model file: PLOVER development event type with the hybrid's gate cross-validated (10 folds, as
bench/coder_confusion.py), PETRARCH-2 unit-test records (its validation dictionaries), the caucasus summaries' held-out
fifth (five-class accuracy of the most confident event, actor1 country) and the no-event set's dev split (share given
an event); the dictionary coder alone beside them.

Usage: python bench/coder_candidate.py NPZ [NPZ ...]  (``packaged`` names the shipped model)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from tools.build_event_model import held_out

from bench.coder_confusion import cross_validated_hybrid, predicted
from bench.coder_report import top_class
from bench.no_event_validation import false_events
from bench.petrarch_validation import evaluate as petrarch
from geodrift.coding.coder import Coder, DictionaryCoder, code_text
from geodrift.coding.hybrid import HybridCoder
from geodrift.coding.model import EventModel, event_class, packaged_model


def load(path: str) -> EventModel:
    """The packaged model for ``packaged``, else the model file at ``path``."""
    if path == "packaged":
        return packaged_model()
    with Path(path).open("rb") as handle:
        return EventModel.from_arrays(np.load(handle, allow_pickle=False))


def caucasus_held(shared: Path, coder: Coder) -> tuple[float, float]:
    """Five-class accuracy and actor1 country on the caucasus summaries' held-out fifth."""
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    summaries = {r["summary"]: r for r in rows if r["language"] == "en" and len(r["published"] or "") == 10
                 and held_out(r["article_id"])}
    coded = {s: code_text(s, published=r["published"], coder=coder) for s, r in summaries.items()}
    right = sum(event_class(r["cameo_code"]) == top_class(coded[s]) for s, r in summaries.items())
    with_actor = [(s, r) for s, r in summaries.items() if r["actor1"]["iso3"]]
    actor = sum(any(e["actor1_country"] == r["actor1"]["iso3"] for e in coded[s]) for s, r in with_actor)
    return right / len(summaries), actor / len(with_actor)


def main() -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "plover").is_dir() or len(sys.argv) < 2:
        sys.exit(f"usage: coder_candidate.py NPZ [NPZ ...]; needs the reference data at {shared} (or GEODRIFT_DATA)")
    records = [r for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "event" in r and "text" in r]
    development = [r for i, r in enumerate(records) if i % 5]  # every fifth record is the hold-out: never read here
    gold = [r["event"] for r in development]
    dictionary = DictionaryCoder()
    alone = predicted(development, dictionary)
    print(f"dictionary: PLOVER development {np.mean([g == p for g, p in zip(gold, alone, strict=True)]):.3f}, "
          f"PETRARCH-2 exact {petrarch(shared)['records coded exactly']:.3f}, "
          "caucasus held fifth 5-class / actor1 {:.3f} / {:.3f}".format(*caucasus_held(shared, dictionary))
          + f", no-event dev false events {false_events(dictionary, 'dev')['all'][0]}")
    for path in sys.argv[1:]:
        model = load(path)
        found = cross_validated_hybrid(shared, development, dictionary, model)
        scores = petrarch(shared, hybrid=True, model=model)
        hybrid = HybridCoder(dictionary, model)
        hit, n = false_events(hybrid, "dev")["all"]
        print(f"{path}: PLOVER development (gate out of fold) {np.mean([g == p for g, p in zip(gold, found, strict=True)]):.3f}, "
              f"PETRARCH-2 exact {scores['records coded exactly']:.3f} strict P/R {scores['strict precision']:.3f} / "
              f"{scores['strict recall']:.3f}, caucasus held fifth 5-class / actor1 "
              "{:.3f} / {:.3f}".format(*caucasus_held(shared, hybrid)) + f", no-event dev false events {hit}/{n}")


if __name__ == "__main__":
    main()
