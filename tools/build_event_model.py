"""Trains the coder's learned layer (coding/model.py) and writes src/geodrift/coding/data/event_model.json.gz.

Training data, all usable here (licences in shared/data/*/PROVENANCE.md):
- caucasus-2020 hand-coded summaries (written for this project), English, only articles in the TRAIN split
  (article id hash mod 5 != 0); the other fifth is the held-out split of bench/hybrid_validation.py;
- PETRARCH-2 unit-test records (MIT): their first coding's class, ``noevents`` as none;
- sentences generated from the packaged CAMEO verb dictionary (PETRARCH-2, MIT): "<A> <verb> <pattern words> <B>.";
- CAMEO code descriptions (GDELT lookup tables, free with citation): "<A> <description> <B>.";
- no-event lines: the ``dev`` split of bench/data/no_event_sentences.tsv (the ``test`` split stays unseen).
Never used: the PLOVER gold records and CAMEO manual examples (kept as an outside test), the held-back sets.
Deterministic: fixed seeds, a sorted vocabulary, liblinear-free lbfgs.

Usage: python tools/build_event_model.py [SHARED_DATA]
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import random
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from geodrift.codebooks import cameo_codes, data_rows
from geodrift.coding.actions import find_actions
from geodrift.coding.lexicon import packaged
from geodrift.coding.model import CLASSES, MODEL_FILE, event_class, grams

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "geodrift" / "coding" / "data" / MODEL_FILE
NAMES = ("Armenia", "Azerbaijan", "Georgia", "Russia", "Turkey", "Iran", "France", "the United States", "China",
         "India", "Ukraine", "the European Union", "Gondor", "Arnor", "Pakistan", "Israel", "Egypt", "Serbia")
VERSION = "2"
C = 4.0
MIN_DF = 2


def held_out(article_id: str) -> bool:
    """The caucasus articles kept for evaluation (one fifth, by a hash of the article id)."""
    return int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 5 == 0


def caucasus(shared: Path) -> list[tuple[str, str, float]]:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    out = {}
    for r in rows:
        if r["language"] == "en" and not held_out(r["article_id"]):
            out[r["summary"]] = (r["summary"], event_class(r["cameo_code"]), 1.0)
    return list(out.values())


def petrarch(shared: Path) -> list[tuple[str, str, float]]:
    root = ET.parse(shared / "petrarch2/text/PETR.UnitTest.records.xml").getroot()
    out = []
    for sentence in root.iter("Sentence"):
        text = " ".join((sentence.findtext("Text") or "").split())
        codings = [c for c in sentence.iter("EventCoding")]
        if not codings or sentence.get("id") == "FINAL-RECORD":
            continue
        code = codings[0].get("eventcode")
        if codings[0].get("noevents") is None and not (code and code[:2].isdigit() and code[:2] <= "20"):
            continue
        out.append((text, event_class(code if codings[0].get("noevents") is None else None), 1.0))
    return out


def verb_sentences(rng: random.Random, limit: int = 4000) -> list[tuple[str, str, float]]:
    known = cameo_codes()
    rows = [r for r in data_rows("verbs.tsv") if r["code"] in known]
    rng.shuffle(rows)
    out = []
    for r in rows[:limit]:
        a, b = rng.sample(NAMES, 2)
        verb = (r["form"] or r["lemma"]).lower()
        if r["pattern"]:
            before, after = (p.split() for p in r["pattern"].split("*", 1))
            words = [w for w in after if not w.startswith(("&", "{", "(", ")", "}"))]
            text = f"{a} {' '.join(w.lower() for w in before if w.isalpha())} {verb} {' '.join(w.lower() for w in words)} {b}."
        else:
            text = f"{a} {verb} {b}."
        out.append((" ".join(text.split()), event_class(r["code"]), 0.3))
    return out


def descriptions(rng: random.Random) -> list[tuple[str, str, float]]:
    out = []
    for code, cameo in sorted(cameo_codes().items()):
        a, b = rng.sample(NAMES, 2)
        text = cameo.description.split(",")[0].lower().replace("not specified below", "").strip()
        out.append((f"{a} {text} {b}.", event_class(code), 0.5))
    return out


def no_events() -> list[tuple[str, str, float]]:
    with (ROOT / "bench" / "data" / "no_event_sentences.tsv").open() as handle:
        return [(r["sentence"], "none", 1.0) for r in csv.DictReader(handle, delimiter="\t") if r["split"] == "dev"]


def training_rows(shared: Path) -> list[tuple[str, str, float]]:
    rng = random.Random(18)
    return caucasus(shared) + petrarch(shared) + verb_sentences(rng) + descriptions(rng) + no_events()


def dictionary_codes(sentence: str) -> list[str]:
    return [a.code for a in find_actions(sentence, frozenset(), packaged())]


def train(rows: list[tuple[str, str, float]]) -> dict[str, object]:
    analysed = [grams(text, dictionary_codes(text)) for text, _, _ in rows]
    vocabularies = []
    for part in (0, 1):
        df = Counter(g for a in analysed for g in set(a[part]))
        vocabularies.append({g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= MIN_DF))})
    offset = len(vocabularies[0])
    n = len(rows)
    df_all = np.zeros(offset + len(vocabularies[1]))
    data, indices, indptr = [], [], [0]
    for a in analysed:
        counts: Counter[int] = Counter()
        for part, shift in ((0, 0), (1, offset)):
            counts.update(shift + vocabularies[part][g] for g in a[part] if g in vocabularies[part])
        for j in counts:
            df_all[j] += 1
        indices += list(counts)
        data += list(counts.values())
        indptr.append(len(indices))
    counts_matrix = sparse.csr_matrix((data, indices, indptr), shape=(n, len(df_all)), dtype=float)
    idf = np.log((1 + n) / (1 + df_all)) + 1
    x = counts_matrix.multiply(idf).tocsr()
    for part in (slice(0, offset), slice(offset, None)):
        block = x[:, part]
        norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1))).ravel()
        norms[norms == 0] = 1
        x[:, part] = sparse.diags(1 / norms) @ block
    y = np.array([CLASSES.index(label) for _, label, _ in rows])
    weights = np.array([w for _, _, w in rows])
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    model.fit(x, y, sample_weight=weights)
    frequent: dict[str, Counter[str]] = {}
    for text, label, weight in rows:
        if weight == 1.0 and label not in ("none", "statement"):
            frequent.setdefault(label, Counter()).update(c for c in dictionary_codes(text) if event_class(c) == label)
    representative = {label: counts.most_common(1)[0][0] for label, counts in sorted(frequent.items()) if counts}
    return {"version": VERSION, "classes": list(CLASSES),
            "representative": {"statement": "010", **representative}, "words": vocabularies[0], "chars": vocabularies[1],
            "idf": np.round(idf, 5).tolist(), "coef": np.round(model.coef_, 5).tolist(),
            "intercept": np.round(model.intercept_, 5).tolist(),
            "training": dict(Counter(label for _, label, _ in rows))}


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    rows = training_rows(shared)
    model = train(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(json.dumps(model, separators=(",", ":")).encode(), mtime=0))
    print(f"{OUT}: {len(rows)} training sentences {model['training']}, "
          f"{len(model['words'])} word and {len(model['chars'])} character features, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
