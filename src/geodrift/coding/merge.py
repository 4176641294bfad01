"""One event per real-world event: reports of the same event by several articles are merged.

Two coded events are the same when they share the day, both actors' countries and roles, the CAMEO
base code and the modality. The merged event keeps the first report's evidence in its own columns,
counts mentions (reports), articles and sources (distinct outlets), and every report becomes a row
of the store's ``evidence`` table. Its ``source_event_id`` is the key, followed by the parts that decided its type
("dictionary", "model") when a hybrid coder coded it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pyarrow as pa

EVIDENCE_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("article_id", pa.string()), ("url", pa.string()), ("outlet", pa.string()),
    ("published", pa.date32()), ("sentence", pa.string()), ("start_offset", pa.int32()), ("end_offset", pa.int32()),
])
DECIDERS = ("|dictionary", "|model")
"""How a hybrid coder's report id ends: the part that decided the event's type (coding/hybrid.py)."""
KEY = ("event_date", "actor1_country", "actor1_role", "actor2_country", "actor2_role", "event_base_code", "modality")


def merge_events(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], pa.Table]:
    """(merged events, evidence table) from coded rows."""
    events, evidence = merge_reports(rows)
    return events, evidence_table(evidence)


def evidence_table(reports: list[dict[str, Any]]) -> pa.Table:
    """The evidence rows of ``merge_reports`` as the store's table. Built only where needed: any pyarrow array
    made from Python objects imports pandas (~0.5 s), which ``geodrift code`` printing JSON lines never needs."""
    return pa.Table.from_pylist(reports, schema=EVIDENCE_SCHEMA)


def merge_reports(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(merged events, evidence rows in the columns of ``EVIDENCE_SCHEMA``) from coded rows."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(str(row[k]) for k in KEY), []).append(row)
    events, evidence = [], []
    for key, reports in groups.items():
        event_id = "text:" + hashlib.sha256("|".join(key).encode()).hexdigest()[:16]
        first = dict(reports[0])
        # A hybrid coder's reports end their id in the part that decided their type; the merged event keeps it.
        deciders = sorted({r["source_event_id"].rsplit("|", 1)[1] for r in reports
                           if r["source_event_id"].endswith(DECIDERS)})
        first.update(event_id=event_id, source_event_id="|".join([*key, *deciders]), num_mentions=len(reports),
                     num_articles=len({r["evidence_article_id"] for r in reports}),
                     num_sources=len({r["outlet"] or r["evidence_article_id"] for r in reports}),
                     confidence=max(r["confidence"] for r in reports))
        events.append(first)
        evidence += [{"event_id": event_id, "article_id": r["evidence_article_id"], "url": r["source_url"],
                      "outlet": r["outlet"], "published": r["date_added"].date() if r["date_added"] else None,
                      "sentence": r["evidence_sentence"], "start_offset": r["evidence_start"],
                      "end_offset": r["evidence_end"]} for r in reports]
    return events, evidence
