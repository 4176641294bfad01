"""Precision and recall of the clustering on hand-labelled pairs of real reports: the held-out sample's parts A and B
(tests/data/cluster_pairs_holdout.tsv) and the later parts C to F (tests/data/cluster_pairs_c.tsv, _d.tsv, _e.tsv, _f.tsv);
docs/methods.md, "How the samples were used", says which part tuned which rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodrift.ingest import ingest_files
from geodrift.store import Store

DATA = Path(__file__).parent / "data"
GEORGIA = "gdelt-v1-georgia-2011-2013"
HOLDOUT_FILES = {"curated": ["caucasus-2020-events/events.jsonl"], "icews": ["icews/events.2018.sample.tab"],
                 "gdelt1": [f"{GEORGIA}/{m}.csv.gz" for m in ("july2012", "aug2012", "oct2012", "nov2012")]}
Found = dict[tuple[str, str], str]


def labelled(name: str) -> list[dict[str, str]]:
    """The rows of a labelled pair file (comment lines skipped), as dicts of its header's columns."""
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@pytest.fixture(scope="module")
def found(shared: Path) -> Found:
    """(source, source_event_id) -> cluster id over the three real sources the pairs were drawn from."""
    store = Store(":memory:")
    ingest_files(store, [shared / f for files in HOLDOUT_FILES.values() for f in files])
    return {(s, k): c for s, k, c in store.con.execute(
        "SELECT e.source, e.source_event_id, c.cluster_id FROM clusters AS c JOIN events AS e USING (event_id)"
    ).fetchall()}


def pair_scores(rows: list[dict[str, str]], found: Found) -> dict[str, float]:
    """Precision and recall over the scored pairs, raw and weighted by each stratum's share of the population."""
    tp = fp = fn = 0
    weighted = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
    strata: dict[tuple[str, str], list[tuple[bool, bool]]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for row in rows:
        if row["label"] == "unclear":
            continue
        joined = found[(row["source"], row["key_a"])] == found[(row["source"], row["key_b"])]
        truth = row["label"] == "same"
        tp, fp, fn = tp + (joined and truth), fp + (joined and not truth), fn + (truth and not joined)
        strata.setdefault((row["source"], row["stratum"]), []).append((joined, truth))
        sizes[(row["source"], row["stratum"])] = int(row["stratum_size"])
    for key, pairs in strata.items():
        share = sizes[key] / len(pairs)
        weighted["tp"] += share * sum(j and t for j, t in pairs)
        weighted["fp"] += share * sum(j and not t for j, t in pairs)
        weighted["fn"] += share * sum(t and not j for j, t in pairs)
    tn = sum(not j and not t for p in strata.values() for j, t in p)
    return {"pairs": tp + fp + fn + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp), "recall": tp / (tp + fn),
            "weighted_precision": weighted["tp"] / (weighted["tp"] + weighted["fp"]),
            "weighted_recall": weighted["tp"] / (weighted["tp"] + weighted["fn"])}


def test_the_samples_share_no_pair_and_every_key_is_stored(found: Found) -> None:
    """Part C was drawn leaving out every earlier pair; a key that no longer matches a stored report would be a pair
    silently dropped from the score."""
    first = {frozenset(line.split("\t")[:2]) for line in (DATA / "cluster_pairs.tsv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("#")}
    earlier = {frozenset((r["key_a"], r["key_b"])) for r in labelled("cluster_pairs_holdout.tsv")}
    part_c = [frozenset((r["key_a"], r["key_b"])) for r in labelled("cluster_pairs_c.tsv")]
    assert len(part_c) == len(set(part_c)) == 102
    assert not set(part_c) & (first | earlier)
    rows = labelled("cluster_pairs_holdout.tsv") + labelled("cluster_pairs_c.tsv")
    assert all((r["source"], r[k]) in found for r in rows for k in ("key_a", "key_b"))


def test_part_d_shares_no_pair_with_the_earlier_samples(found: Found) -> None:
    """Part D was drawn leaving out every pair of the first sample and parts A, B and C."""
    first = {frozenset(line.split("\t")[:2]) for line in (DATA / "cluster_pairs.tsv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("#")}
    earlier = {frozenset((r["key_a"], r["key_b"])) for name in ("cluster_pairs_holdout.tsv", "cluster_pairs_c.tsv")
               for r in labelled(name)}
    rows = labelled("cluster_pairs_d.tsv")
    part_d = [frozenset((r["key_a"], r["key_b"])) for r in rows]
    assert len(part_d) == len(set(part_d)) == 102
    assert not set(part_d) & (first | earlier)
    assert all((r["source"], r[k]) in found for r in rows for k in ("key_a", "key_b"))


def test_part_e_shares_no_pair_with_the_earlier_samples(found: Found) -> None:
    """Part E was drawn leaving out every pair of the first sample and parts A to D."""
    first = {frozenset(line.split("\t")[:2]) for line in (DATA / "cluster_pairs.tsv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("#")}
    earlier = {frozenset((r["key_a"], r["key_b"])) for name in ("cluster_pairs_holdout.tsv", "cluster_pairs_c.tsv",
                                                                "cluster_pairs_d.tsv") for r in labelled(name)}
    rows = labelled("cluster_pairs_e.tsv")
    part_e = [frozenset((r["key_a"], r["key_b"])) for r in rows]
    assert len(part_e) == len(set(part_e)) == 102 and {r["part"] for r in rows} == {"E"}
    assert not set(part_e) & (first | earlier)
    assert all((r["source"], r[k]) in found for r in rows for k in ("key_a", "key_b"))


def test_precision_and_recall_on_the_held_out_pairs(found: Found) -> None:
    """Parts A and B (200 pairs, drawn after the first rule): part A tuned the second rule, part B measured it once
    (precision 0.88, recall 0.81); both, with the first sample, then tuned the third rule (A 1.00 / 0.96, B 0.97 /
    0.92), the fourth (A 1.00 / 0.93, tp 42, fp 0, fn 3; B 1.00 / 0.89, tp 32, fp 0, fn 4) and the fifth: A 1.00 / 0.98
    (tp 44, fp 0, fn 1), B 1.00 / 0.97 (tp 35, fp 0, fn 1)."""
    rows = labelled("cluster_pairs_holdout.tsv")
    assert len(rows) == 200 and {r["label"] for r in rows} == {"same", "different", "unclear"}
    scores = pair_scores(rows, found)
    print({k: round(v, 3) for k, v in scores.items()})
    parts = {part: pair_scores([r for r in rows if r["part"] == part], found) for part in "AB"}
    for part, part_scores in parts.items():
        print(part, {k: round(v, 3) for k, v in part_scores.items()})
    assert scores["pairs"] == 166
    # The fifth rule's misses: Kelly's and Pompeo's rows of one White House meeting (A), the overnight 12-13 July
    # retaliation near Tovuz told on both days (B).
    assert all(s["precision"] >= 0.97 and s["recall"] >= 0.97 for s in parts.values())


def test_precision_and_recall_on_part_c(found: Found) -> None:
    """Part C (102 pairs, 80 scored), labelled before the third rule was written and measured once after it: the
    second rule scored precision 0.86, recall 0.74 (tp 31, fp 5, fn 11, tn 33), the third 0.89, 0.79 (tp 33, fp 4,
    fn 9, tn 34); weighted by stratum size 0.69 / 0.57. Part C then tuned the fourth rule (with the first sample and
    parts A and B): 1.00 / 0.93 (tp 39, fp 0, fn 3, tn 38), weighted 1.00 / 0.62; the fifth rule, 1.00 / 0.95 (tp 40,
    fp 0, fn 2, tn 38), weighted 1.00 / 0.62. The floor guards what was reached."""
    rows = labelled("cluster_pairs_c.tsv")
    assert {r["part"] for r in rows} == {"C"} and {r["label"] for r in rows} == {"same", "different", "unclear"}
    scores = pair_scores(rows, found)
    print({k: round(v, 3) for k, v in scores.items()})
    assert scores["pairs"] == 80
    assert scores["precision"] >= 0.97 and scores["recall"] >= 0.95


def test_precision_and_recall_on_part_d(found: Found) -> None:
    """Part D (102 pairs, 80 scored), labelled and committed before the fourth rule was written; the third rule scored
    precision 0.97, recall 0.84 on it (tp 38, fp 1, fn 7, tn 34; weighted by stratum size 0.92 / 0.50), the fourth,
    measured once, 0.95 / 0.84 (tp 38, fp 2, fn 7, tn 33; weighted 0.91 / 0.50): issue 15's 0.9 recall is missed on
    the held-out part (docs/methods.md). Part D then tuned the fifth rule (with the first sample and parts A to C):
    0.95 / 0.93 (tp 42, fp 2, fn 3, tn 33), weighted 0.91 / 0.54. The floor guards against a change that loses what was
    reached."""
    rows = labelled("cluster_pairs_d.tsv")
    assert {r["part"] for r in rows} == {"D"} and {r["label"] for r in rows} == {"same", "different", "unclear"}
    scores = pair_scores(rows, found)
    print({k: round(v, 3) for k, v in scores.items()})
    assert scores["pairs"] == 80
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.93


def test_precision_and_recall_on_part_e(found: Found) -> None:
    """Part E (102 pairs, 75 scored), labelled and committed before the fifth rule was written and measured once after
    it: precision 1.00, recall 0.89 (tp 34, fp 0, fn 4, tn 37; weighted by stratum size 1.00 / 0.94); the fourth rule,
    measured on it after the fifth was final, scored 1.00 / 0.87 (tp 33, fp 0, fn 5). Issue 15's 0.9 recall is missed
    on the held-out part by one pair (docs/methods.md). Part E then tuned the sixth rule (with the first sample and
    parts A to D), whose changes answer three of its four misses (a join of one claim dated a day apart by its sentences'
    names was dropped: it leaked knowledge time): 1.00 / 0.97 (tp 37, fp 0, fn 1, tn 37). The floor guards against a
    change that loses what was reached."""
    rows = labelled("cluster_pairs_e.tsv")
    assert {r["label"] for r in rows} == {"same", "different", "unclear"}
    scores = pair_scores(rows, found)
    print({k: round(v, 3) for k, v in scores.items()})
    assert (scores["pairs"], scores["tp"], scores["fp"]) == (75, 37, 0)
    assert scores["precision"] >= 0.97 and scores["recall"] >= 0.97


def test_part_f_shares_no_pair_with_the_earlier_samples(found: Found) -> None:
    """Part F was drawn leaving out every pair of the first sample and parts A to E."""
    first = {frozenset(line.split("\t")[:2]) for line in (DATA / "cluster_pairs.tsv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("#")}
    earlier = {frozenset((r["key_a"], r["key_b"])) for name in ("cluster_pairs_holdout.tsv", "cluster_pairs_c.tsv",
                                                                "cluster_pairs_d.tsv", "cluster_pairs_e.tsv")
               for r in labelled(name)}
    rows = labelled("cluster_pairs_f.tsv")
    part_f = [frozenset((r["key_a"], r["key_b"])) for r in rows]
    assert len(part_f) == len(set(part_f)) == 148 and {r["part"] for r in rows} == {"F"}
    assert not set(part_f) & (first | earlier)
    assert all((r["source"], r[k]) in found for r in rows for k in ("key_a", "key_b"))


def test_precision_and_recall_on_part_f(found: Found) -> None:
    """Part F (148 pairs, 104 scored), labelled and committed before the sixth rule was written and measured once
    after it: precision 0.98, recall 0.89 (tp 49, fp 1, fn 6, tn 48; weighted by stratum size 0.95 / 0.64). The fifth
    rule, measured on it after the sixth was final, scores the same: the sixth rule's changes touch none of part F's
    pairs. Issue 15's 0.9 recall is missed on the held-out part by one pair (docs/methods.md). The floor guards against
    a change that loses what was measured."""
    rows = labelled("cluster_pairs_f.tsv")
    assert {r["label"] for r in rows} == {"same", "different", "unclear"}
    scores = pair_scores(rows, found)
    print({k: round(v, 3) for k, v in scores.items()})
    assert (scores["pairs"], scores["tp"], scores["fp"]) == (104, 49, 1)
    assert scores["precision"] >= 0.98 and scores["recall"] >= 0.89


def test_part_g_shares_no_pair_with_the_earlier_samples(found: Found) -> None:
    """Part G was drawn leaving out every pair of the first sample and parts A to F."""
    first = {frozenset(line.split("\t")[:2]) for line in (DATA / "cluster_pairs.tsv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("#")}
    earlier = {frozenset((r["key_a"], r["key_b"])) for name in ("cluster_pairs_holdout.tsv", "cluster_pairs_c.tsv",
                                                                "cluster_pairs_d.tsv", "cluster_pairs_e.tsv",
                                                                "cluster_pairs_f.tsv") for r in labelled(name)}
    rows = labelled("cluster_pairs_g.tsv")
    part_g = [frozenset((r["key_a"], r["key_b"])) for r in rows]
    assert len(part_g) == len(set(part_g)) == 148 and {r["part"] for r in rows} == {"G"}
    assert not set(part_g) & (first | earlier)
    assert all((r["source"], r[k]) in found for r in rows for k in ("key_a", "key_b"))


def test_precision_and_recall_on_part_g(found: Found) -> None:
    """Part G (148 pairs, 97 scored), labelled and committed before any rule change and measured once, with the
    sixth rule and a candidate seventh in the same step: precision 0.92, recall 0.94 under both (tp 47, fp 4, fn 3,
    tn 43; weighted by stratum size 0.87 / 0.63). The seventh was not merged (a memory check at 10 million
    reports is owed, docs/methods.md). Issue 15's 0.9 is met on the held-out part
    unweighted, not weighted. The floor guards against a change that loses what was measured."""
    rows = labelled("cluster_pairs_g.tsv")
    assert {r["label"] for r in rows} == {"same", "different", "unclear"}
    scores = pair_scores(rows, found)
    print({k: round(v, 3) for k, v in scores.items()})
    assert (scores["pairs"], scores["tp"], scores["fp"]) == (97, 47, 4)
    assert scores["precision"] >= 0.92 and scores["recall"] >= 0.94


def test_part_h_shares_no_pair_with_the_earlier_samples(found: Found) -> None:
    """Part H was drawn leaving out every pair of the first sample and parts A to G."""
    first = {frozenset(line.split("\t")[:2]) for line in (DATA / "cluster_pairs.tsv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("#")}
    earlier = {frozenset((r["key_a"], r["key_b"])) for name in ("cluster_pairs_holdout.tsv", "cluster_pairs_c.tsv",
                                                                "cluster_pairs_d.tsv", "cluster_pairs_e.tsv",
                                                                "cluster_pairs_f.tsv", "cluster_pairs_g.tsv")
               for r in labelled(name)}
    rows = labelled("cluster_pairs_h.tsv")
    part_h = [frozenset((r["key_a"], r["key_b"])) for r in rows]
    assert len(part_h) == len(set(part_h)) == 148 and {r["part"] for r in rows} == {"H"}
    assert not set(part_h) & (first | earlier)
    assert all((r["source"], r[k]) in found for r in rows for k in ("key_a", "key_b"))


def test_precision_and_recall_on_part_h(found: Found) -> None:
    """Part H (148 pairs, 110 scored), labelled blind and committed before any rule change (session 9), measured once
    with the sixth rule: precision 0.89, recall 0.89 (tp 48, fp 6, fn 6, tn 50; weighted by stratum size 0.91 /
    0.57). Issue 15's 0.9 is missed here by one pair each way. The candidate seventh rule measured the same on H
    (branch cluster7) and was not merged this session. The floor guards against a change that loses what was
    measured."""
    rows = labelled("cluster_pairs_h.tsv")
    assert {r["label"] for r in rows} == {"same", "different", "unclear"}
    scores = pair_scores(rows, found)
    print({k: round(v, 3) for k, v in scores.items()})
    assert (scores["pairs"], scores["tp"], scores["fp"]) == (110, 48, 6)
    assert scores["precision"] >= 0.88 and scores["recall"] >= 0.88
