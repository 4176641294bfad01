"""Print every wrongly clustered pair of the development samples, with both reports, for error analysis (issue 15).

The development samples are the first sample (tests/data/cluster_pairs.tsv) and parts A, B and C; the held-out parts
(D to H) are measured once per rule change with tests/test_clustering_pairs.py and are not listed here, so reading
their wrong pairs does not tune the next rule (docs/methods.md, "How the samples were used"). Ingests the three real
sources with today's rule, then prints each part's counts and each wrong pair: FN (labelled same, kept apart) or FP
(labelled different, joined), the label's reason and one readable line per report.

    PYTHONPATH=src python tools/cluster_pair_errors.py
"""

from __future__ import annotations

from pathlib import Path

from draw_cluster_pairs import FILES, SHARED, describe

from geodrift.ingest import ingest_files
from geodrift.store import Store

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def development() -> dict[str, list[dict[str, str]]]:
    """The development pairs by part, in the held-out files' columns (the first sample is all curated)."""
    parts = {"first": [{"source": "curated", "key_a": r["event_a"], "key_b": r["event_b"], "label": r["label"],
                        "reason": "", "stratum": "-"} for r in _rows("cluster_pairs.tsv")]}
    for row in _rows("cluster_pairs_holdout.tsv"):
        parts.setdefault(row["part"], []).append(row)
    parts["C"] = _rows("cluster_pairs_c.tsv")
    return parts


def main() -> None:
    store = Store(":memory:")
    ingest_files(store, [SHARED / f for files in FILES.values() for f in files])
    found = {(s, k): c for s, k, c in store.con.execute(
        "SELECT e.source, e.source_event_id, c.cluster_id FROM clusters AS c JOIN events AS e USING (event_id)"
    ).fetchall()}
    for part, rows in development().items():
        counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
        for row in rows:
            if row["label"] == "unclear":
                continue
            joined = found[(row["source"], row["key_a"])] == found[(row["source"], row["key_b"])]
            truth = row["label"] == "same"
            counts[("t" if joined == truth else "f") + ("p" if joined else "n")] += 1
            if joined != truth:
                print(f"{part} {'FP' if joined else 'FN'} {row['source']} {row['stratum']} | {row['reason']}")
                for key in ("key_a", "key_b"):
                    print(f"    {found[(row['source'], row[key])]} {describe(store, row['source'], row[key])}")
        print(f"{part}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
