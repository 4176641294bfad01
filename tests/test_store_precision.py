"""Stored date precision: a cluster's first report by knowledge time, and stores migrated from before the precision
columns against fresh ones (migration 11's rule, checked against the ingested file where it can be read again)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from geodrift.ingest import ingest_files
from geodrift.store import Store

TOVUZ = {"name": "Tovuz", "iso3": "AZE", "adm1": "Tovuz District", "lat": 40.99, "lon": 45.63}


def curated(event_id: str, event_date: str, published: str, outlet: str) -> dict[str, Any]:
    """A curated record of the Tovuz fighting (the layout of ../shared/data/caucasus-2020-events)."""
    return {"event_id": event_id, "article_id": event_id, "url": f"https://{outlet}/{event_id}", "outlet": outlet,
            "published": published, "language": "en", "event_date": event_date,
            "event_date_precision": "day" if len(event_date) == 10 else "month",
            "actor1": {"name": "Armenia", "iso3": "ARM", "role": "MIL"},
            "actor2": {"name": "Azerbaijan", "iso3": "AZE", "role": "MIL"}, "cameo_code": "190",
            "modality": "actual", "claimed_by": None, "place": TOVUZ,
            "summary": f"Armenian forces attacked Azerbaijani positions in Tovuz on July {int(event_date[8:] or 1)}.",
            "confidence": "high"}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_first_reported_is_the_earliest_knowledge_time_not_a_month_pages_first_day(tmp_path: Path) -> None:
    """A page dated only '2020-07' is stored on 1 July but known by 31 July; beside it a page of 20 July reporting the
    same clash is the cluster's first report (min(date_added) said 1 July, before the clash of the 12th)."""
    path = write_jsonl(tmp_path / "tovuz.jsonl", [curated("monthly", "2020-07-12", "2020-07", "azernews.az"),
                                                   curated("daily", "2020-07-12", "2020-07-20", "armenpress.am")])
    store = Store(":memory:")
    ingest_files(store, [path])
    rows = store.con.execute("SELECT reports, first_reported FROM cluster_summary").fetchall()
    assert rows == [(2, dt.datetime(2020, 7, 20))]


def test_a_month_page_alone_is_first_known_at_the_months_end(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "tovuz.jsonl", [curated("monthly", "2020-07-12", "2020-07", "azernews.az")])
    store = Store(":memory:")
    ingest_files(store, [path])
    assert store.con.execute("SELECT first_reported FROM cluster_summary").fetchall() == [
        (dt.datetime(2020, 7, 31, 23, 59, 59),)]
