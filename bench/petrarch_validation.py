"""PETRARCH-2's unit-test records, coded with PETRARCH's own validation dictionaries loaded into geodrift's
DictionaryCoder (the records' actors are fictional: Arnor, Gondor, ...; they exist only in those files).

Reported: the share of records coded exactly as expected (the set of (source, target, event) codings,
'noevents' records included), and per-coding precision/recall, strict (full actor codes with agents,
e.g. ARNGOVFRM) and with actors compared on their first three letters (the state or group) and events on
their CAMEO root, as UniversalPetrarch reports its validation. Nothing here is fitted on these records: the
hybrid coder's model never saw them (tools/build_event_model.py leaves them out).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from geodrift.coding.articles import Article
from geodrift.coding.coder import Coder, DictionaryCoder
from geodrift.coding.context import PatternIndex, pattern_index
from geodrift.coding.hybrid import HybridCoder
from geodrift.coding.lexicon import Lexicon
from geodrift.coding.model import EventModel
from geodrift.coding.petrarch import parse_synsets, parse_verbs

Coding = tuple[str, str, str]


def records(path: Path) -> list[tuple[str, dt.date, str, set[Coding], str]]:
    """(id, date, text, expected codings, category) per <Sentence>."""
    root = ET.parse(path).getroot()
    found = []
    for sentence in root.iter("Sentence"):
        expected = {(c.get("sourcecode", ""), c.get("targetcode", ""), c.get("eventcode", ""))
                    for c in sentence.iter("EventCoding") if c.get("noevents") is None and c.get("eventcode")}
        text = " ".join((sentence.findtext("Text") or "").split())
        day = dt.datetime.strptime(sentence.get("date", "20000101")[:8], "%Y%m%d").date()
        found.append((sentence.get("id", ""), day, text, expected, sentence.get("category", "")))
    return found


def evaluate(shared: Path, hybrid: bool = False, model: EventModel | None = None,
             context: Callable[[DictionaryCoder, PatternIndex], Coder] | None = None) -> dict[str, float]:
    """Scores of the dictionary coder (``hybrid``: the hybrid coder over it, with the event model ``model`` if given,
    else the packaged one; ``context``: the coder it makes of the dictionary and the validation verbs' patterns) on
    the unit-test records."""
    folder = shared / "petrarch2"
    dictionaries = folder / "dictionaries"
    lexicon = Lexicon.from_petrarch([dictionaries / "PETR.Validate.actors.txt"], dictionaries / "PETR.Validate.agents.txt",
                                    dictionaries / "PETR.Validate.verbs.txt", event_nouns=False)
    coder: Coder = DictionaryCoder(lexicon)
    if hybrid:
        coder = HybridCoder(coder, model)
    if context is not None:
        verbs = dictionaries / "PETR.Validate.verbs.txt"
        coder = context(DictionaryCoder(lexicon), pattern_index(sorted(parse_verbs(verbs)), parse_synsets(verbs)))
    exact = relaxed_exact = 0
    counts: Counter[str] = Counter()
    tests = records(folder / "text" / "PETR.UnitTest.records.xml")
    for ident, day, text, expected, _ in tests:
        rows = coder.code(Article(id=ident, text=text, published=day, language="en"))
        got = {(r["actor1_code"] or "", r["actor2_code"] or "", r["event_code"]) for r in rows}
        exact += got == expected
        loose = {(s[:3], t[:3], e[:2]) for s, t, e in got}
        wanted = {(s[:3], t[:3], e[:2]) for s, t, e in expected}
        relaxed_exact += loose == wanted
        counts["expected"] += len(expected)
        counts["coded"] += len(got)
        counts["strict_hits"] += len(got & expected)
        counts["loose_hits"] += len(loose & wanted)
        counts["loose_expected"] += len(wanted)
        counts["loose_coded"] += len(loose)
        counts["event_hits"] += len({e for _, _, e in got} & {e for _, _, e in expected})
        counts["actor_hits"] += len({s[:3] for s, _, _ in got} & {s[:3] for s, _, _ in expected})
        counts["actor_expected"] += len({s[:3] for s, _, _ in expected})
    n = len(tests)
    return {
        "records": n, "records coded exactly": exact / n, "records exact (actors 3 letters, CAMEO root)": relaxed_exact / n,
        "codings expected": counts["expected"], "codings produced": counts["coded"],
        "strict precision": counts["strict_hits"] / max(1, counts["coded"]),
        "strict recall": counts["strict_hits"] / max(1, counts["expected"]),
        "loose precision": counts["loose_hits"] / max(1, counts["loose_coded"]),
        "loose recall": counts["loose_hits"] / max(1, counts["loose_expected"]),
        "event codes found (recall)": counts["event_hits"] / max(1, counts["expected"]),
        "source actors found (recall)": counts["actor_hits"] / max(1, counts["actor_expected"]),
    }


def main() -> None:
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "petrarch2").is_dir():
        sys.exit(f"needs the reference data at {shared}")
    print("PETRARCH-2 unit-test records, coded with its validation dictionaries (never trained on): dictionary, hybrid")
    dictionary, hybrid = evaluate(shared), evaluate(shared, hybrid=True)
    for key, value in dictionary.items():
        width = ".3f" if isinstance(value, float) else "d"
        print(f"  {key:<46}{value:8{width}}{hybrid[key]:8{width}}")


if __name__ == "__main__":
    main()
