"""Draw the held-out sample of report pairs for the clustering's precision and recall (issue 15).

Ingests the three real sources (the curated caucasus set, the ICEWS 2018 sample, the Georgia GDELT 1.0 extract)
with today's clustering rule, then draws pairs from six strata, per source: *joined* (two reports the rule puts in
one cluster) and *near-miss* (two reports of the same unordered country pair, dates at most a day apart, that the
rule keeps apart: half with the same CAMEO root, half with another root). Pairs already in the tuning sample
(tests/data/cluster_pairs.tsv) are left out. Writes a draft TSV with the pairs' stable keys, their stratum, the
stratum's size in the population and the part (A or B, alternating) plus a readable line per report for labelling;
the labels and reasons are then written by hand (tests/data/cluster_pairs_holdout.tsv, docs/methods.md).

A later draw takes a new seed, leaves out every pair of the earlier samples (``--exclude``, each TSV's first two key
columns after the source, or the tuning sample's two) and names its part: part C (tests/data/cluster_pairs_c.tsv)
was drawn with ``--seed 2026 --part C --scale 0.5`` before the third rule was written, part D
(tests/data/cluster_pairs_d.tsv) with ``--seed 2027 --part D --scale 0.5`` and both earlier files excluded before the
fourth, part E (tests/data/cluster_pairs_e.tsv) with ``--seed 2028 --part E --scale 0.5`` and all three excluded
before the fifth, part F (tests/data/cluster_pairs_f.tsv) with ``--seed 2029 --part F --scale 0.75`` and all four
excluded before the sixth, part G (tests/data/cluster_pairs_g.tsv) with ``--seed 2030 --part G --scale 0.75`` and all
five excluded before the seventh, part H (tests/data/cluster_pairs_h.tsv) with ``--seed 2031 --part H --scale 0.75``
and all six excluded before the seventh was tried again. The draft's ``clustered`` column and stratum show what the
rule did; label from a copy without them, in a random order (parts F to H also in a random side).

    PYTHONPATH=src python tools/draw_cluster_pairs.py > /tmp/draft.tsv
    PYTHONPATH=src python tools/draw_cluster_pairs.py --seed 2026 --part C --scale 0.5 \
        --exclude tests/data/cluster_pairs_holdout.tsv > /tmp/draft_c.tsv
    PYTHONPATH=src python tools/draw_cluster_pairs.py --seed 2027 --part D --scale 0.5 \
        --exclude tests/data/cluster_pairs_holdout.tsv tests/data/cluster_pairs_c.tsv > /tmp/draft_d.tsv
    PYTHONPATH=src python tools/draw_cluster_pairs.py --seed 2028 --part E --scale 0.5 --exclude \
        tests/data/cluster_pairs_holdout.tsv tests/data/cluster_pairs_c.tsv tests/data/cluster_pairs_d.tsv > /tmp/draft_e.tsv
    PYTHONPATH=src python tools/draw_cluster_pairs.py --seed 2029 --part F --scale 0.75 --exclude \
        tests/data/cluster_pairs_holdout.tsv tests/data/cluster_pairs_c.tsv tests/data/cluster_pairs_d.tsv \
        tests/data/cluster_pairs_e.tsv > /tmp/draft_f.tsv
    PYTHONPATH=src python tools/draw_cluster_pairs.py --seed 2030 --part G --scale 0.75 --exclude \
        tests/data/cluster_pairs_holdout.tsv tests/data/cluster_pairs_c.tsv tests/data/cluster_pairs_d.tsv \
        tests/data/cluster_pairs_e.tsv tests/data/cluster_pairs_f.tsv > /tmp/draft_g.tsv
    PYTHONPATH=src python tools/draw_cluster_pairs.py --seed 2031 --part H --scale 0.75 --exclude \
        tests/data/cluster_pairs_holdout.tsv tests/data/cluster_pairs_c.tsv tests/data/cluster_pairs_d.tsv \
        tests/data/cluster_pairs_e.tsv tests/data/cluster_pairs_f.tsv tests/data/cluster_pairs_g.tsv > /tmp/draft_h.tsv
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from geodrift.ingest import ingest_files
from geodrift.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TUNED = Path(__file__).resolve().parents[1] / "tests" / "data" / "cluster_pairs.tsv"
FILES = {"curated": ["caucasus-2020-events/events.jsonl"], "icews": ["icews/events.2018.sample.tab"],
         "gdelt1": [f"gdelt-v1-georgia-2011-2013/{m}.csv.gz" for m in ("july2012", "aug2012", "oct2012", "nov2012")]}
SIZES = {"curated": (40, 20, 20), "icews": (30, 15, 15), "gdelt1": (30, 15, 15)}
SEED = 2015

PAIRS_SQL = """
    WITH r AS (
        SELECT e.*, c.cluster_id, least(actor1_country, actor2_country) AS lo,
               greatest(actor1_country, actor2_country) AS hi
        FROM events AS e JOIN clusters AS c USING (event_id)
        WHERE e.source = ? AND actor1_country IS NOT NULL AND actor2_country IS NOT NULL)
    SELECT a.source_event_id AS a, b.source_event_id AS b,
           CASE WHEN a.cluster_id = b.cluster_id THEN 'joined'
                WHEN a.event_root_code = b.event_root_code THEN 'near-miss-same-root'
                ELSE 'near-miss-other-root' END AS stratum
    FROM r AS a JOIN r AS b ON a.lo = b.lo AND a.hi = b.hi AND a.event_id < b.event_id
        AND abs(a.event_date - b.event_date) <= 1
        AND (a.source <> 'curated' OR a.source_url || coalesce(a.evidence_sentence, '')
             IS DISTINCT FROM b.source_url || coalesce(b.evidence_sentence, ''))"""
"""Candidate pairs of one source. Curated pairs from one sentence of one page are left out (trivially one event)."""

DESCRIBE_SQL = """
    SELECT source_event_id, event_date, actor1_name, actor1_country, actor1_role, actor2_name, actor2_country,
           actor2_role, event_code, modality, action_geo_name, action_geo_adm1, outlet, num_articles, avg_tone,
           coalesce(evidence_sentence, '') AS text, evidence_article_id
    FROM events WHERE source = ? AND source_event_id = ?"""


def describe(store: Store, source: str, key: str) -> str:
    """One readable line of a report, for labelling by hand."""
    row = store.con.execute(DESCRIBE_SQL, [source, key]).fetchall()[0]
    (_, day, n1, c1, r1, n2, c2, r2, code, modality, place, adm1, outlet, articles, tone, text, article) = row
    return (f"{day} {n1}[{c1} {r1}] -> {n2}[{c2} {r2}] {code} {modality or ''} @ {place} ({adm1}) "
            f"| {outlet} doc={article} art={articles} tone={tone if tone is None else round(tone, 3)} | {text[:300]}")


def seen_pairs(paths: list[Path]) -> set[tuple[str, str]]:
    """The unordered key pairs of earlier samples: the tuning sample's first two columns, a held-out file's key_a and
    key_b (its rows start with the source)."""
    seen: set[tuple[str, str]] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            cells = line.split("\t")
            keys = cells[1:3] if cells[0] in FILES else cells[:2]
            seen.add((min(keys), max(keys)))
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--part", default="AB", help="part label(s), alternating over the drawn pairs")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every stratum's sample size")
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="earlier samples to leave out")
    args = parser.parse_args()
    tuned = seen_pairs([TUNED, *args.exclude])
    rng = random.Random(args.seed)
    out = sys.stdout
    out.write("source\tkey_a\tkey_b\tstratum\tstratum_size\tpart\tclustered\tlabel\treason\treport_a\treport_b\n")
    n = 0
    for source, files in FILES.items():
        store = Store(":memory:")
        ingest_files(store, [SHARED / f for f in files])
        candidates = store.con.execute(PAIRS_SQL, [source]).fetchall()
        wanted = dict(zip(("joined", "near-miss-same-root", "near-miss-other-root"),
                          (round(size * args.scale) for size in SIZES[source]), strict=True))
        for stratum, size in wanted.items():
            pool = sorted((a, b) for a, b, s in candidates if s == stratum and tuple(sorted((a, b))) not in tuned)
            for a, b in rng.sample(pool, min(size, len(pool))):
                out.write(f"{source}\t{a}\t{b}\t{stratum}\t{len(pool)}\t{args.part[n % len(args.part)]}\t"
                          f"{'yes' if stratum == 'joined' else 'no'}\t\t\t"
                          f"{describe(store, source, a)}\t{describe(store, source, b)}\n")
                n += 1


if __name__ == "__main__":
    main()
