"""Why the dictionary coder misses the PLOVER event type (issue 18): each wrong record of the PLOVER development
split (never the hold-out) put under one cause, from the gold record's own event words (``eventText``):

- ``no act``: the coder found no event at all;
- ``vocabulary``: no event word of the record is a verb form or event noun of the dictionary;
- ``verb sense``: the dictionary knows an event word but codes it (its block's code, or a pattern's) to another type;
  ``verb sense, another reading``: one of the record's event words has the gold type in another of its forms or
  patterns, but not in the reading the sentence got;
- ``main event``: the gold type is among the sentence's events but another was taken as the main one (the first with
  both actors: an actor decision);
- ``announced``: the gold type's act was found but its modality made it another type (an intent or threat read as
  the act, or the reverse).

Usage: python bench/coder_diagnosis.py [--show] [--context]  (``--show`` prints each wrong record's text and events;
``--context`` diagnoses the context coder, coding/context.py, instead of the dictionary alone)
"""

from __future__ import annotations

import collections
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.coder_validation import gsr_category, main_event
from geodrift.codebooks import cameo_codes
from geodrift.coding.coder import DictionaryCoder, code_text
from geodrift.coding.context import ContextCoder
from geodrift.coding.lexicon import packaged


def word_types(words: list[str]) -> dict[str, set[str]]:
    """Each event word's PLOVER types by the dictionary's verb forms and nouns (empty: unknown to it)."""
    lexicon = packaged()
    out: dict[str, set[str]] = {}
    for word in words:
        found = {lexicon.forms[k][1] for k in lexicon.forms if k and k[0] == word.upper()}
        found |= {code for k, code in lexicon.nouns.items() if k and k[0] == word.upper()}
        out[word] = {gsr_category(c) or "none" for c in found if c in cameo_codes()} | ({"none"} if "---" in found else set())
    return out


def cause(gold: str, events: list[dict[str, str]], event_words: list[str]) -> str:
    """The cause of one wrong record (see the module's docstring)."""
    if not events:
        return "no act"
    if any(gsr_category(e["event_code"]) == gold for e in events):
        found = [e for e in events if gsr_category(e["event_code"]) == gold]
        return "main event" if any(gsr_category(e["event_code"], e["modality"]) == gold for e in found) else "announced"
    if any(gsr_category(e["event_code"], e["modality"]) == gold for e in events):
        return "main event"
    types = word_types(event_words)
    if any(gold in found for found in types.values()):
        return "verb sense, another reading"
    return "verb sense" if any(types.values()) else "vocabulary"


def main() -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "plover").is_dir():
        sys.exit(f"needs the reference data at {shared} (or GEODRIFT_DATA)")
    records = [r for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "event" in r and "text" in r]
    development = [r for i, r in enumerate(records) if i % 5]  # every fifth record is the hold-out: never read here
    coder = ContextCoder() if "--context" in sys.argv else DictionaryCoder()
    causes: collections.Counter[str] = collections.Counter()
    by_type: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for r in development:
        events = code_text(r["text"], published="2016-12-19", coder=coder)
        chosen = main_event(events)
        predicted = gsr_category(chosen["event_code"], chosen["modality"]) if chosen else None
        if predicted == r["event"]:
            continue
        words = [w.strip(".,'\"") for w in str(r.get("eventText") or "").split()]
        why = cause(r["event"], events, words)
        causes[why] += 1
        by_type[r["event"]][why] += 1
        if "--show" in sys.argv:
            print(f"[{why}] {r['event']} as {predicted}: {r['text']}\n    event words {words}: {word_types(words)}\n    "
                  + "; ".join(f"{e['event_code']} {e['modality']} {e['actor1_code']}->{e['actor2_code']}" for e in events))
    wrong = sum(causes.values())
    print(f"PLOVER development ({len(development)} records): {coder.name} wrong on {wrong}; by cause: "
          + ", ".join(f"{k} {v}" for k, v in causes.most_common()))
    for gold, counts in sorted(by_type.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {gold:<12}" + ", ".join(f"{k} {v}" for k, v in counts.most_common()))


if __name__ == "__main__":
    main()
