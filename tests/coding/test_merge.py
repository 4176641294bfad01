"""Several articles reporting one event become one event with counts and all its evidence."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geodrift.coding.articles import read_articles
from geodrift.coding.coder import DictionaryCoder
from geodrift.coding.merge import merge_events
from geodrift.store import Store
from tests.test_cli import run


def tovuz_articles(shared: Path, tmp_path: Path) -> Path:
    """The hand-coded dataset's own reports of the 12 July Tovuz fighting, one article per report page."""
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    reports = {}
    for r in rows:
        if r["event_date"] == "2020-07-12" and r["cameo_code"].startswith("19") and r["language"] == "en" \
                and r["published"] and len(r["published"]) == 10:
            reports.setdefault(r["article_id"], r)
    path = tmp_path / "tovuz.jsonl"
    path.write_text("\n".join(json.dumps({"id": r["article_id"], "url": r["url"], "outlet": r["outlet"],
                                          "published": r["published"], "language": "en",
                                          "text": "On July 12, Armenian and Azerbaijani forces clashed in the Tovuz "
                                                  "border region."}) for r in reports.values()) + "\n")
    return path


def test_reports_of_one_event_merge_with_counts_and_evidence(shared: Path, tmp_path: Path) -> None:
    path = tovuz_articles(shared, tmp_path)
    articles = [a for a in read_articles([path]) if not hasattr(a, "reason")]
    assert len(articles) >= 3
    rows = [row for a in articles for row in DictionaryCoder().code(a)]  # type: ignore[arg-type]
    events, evidence = merge_events(rows)
    clash = [e for e in events if e["event_code"] == "190"]
    # A clash is coded in both directions (each side used force against the other): one event per direction.
    assert sorted((e["actor1_country"], e["actor2_country"]) for e in clash) == [("ARM", "AZE"), ("AZE", "ARM")]
    for event in clash:
        assert event["num_mentions"] == event["num_articles"] == len(articles)
        assert event["num_sources"] == len({a.outlet for a in articles})  # type: ignore[union-attr]
        assert str(event["event_date"]) == "2020-07-12"
    assert evidence.num_rows >= 2 * len(articles)


def test_code_into_store_keeps_every_report(shared: Path, tmp_path: Path) -> None:
    path = tovuz_articles(shared, tmp_path)
    db = tmp_path / "m.duckdb"
    result = run("code", str(path), "--into", "--db", str(db))
    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    clash = next(e for e in printed if e["event_code"] == "190")
    assert len(clash["evidence"]) == clash["num_mentions"] > 1
    with Store(db, read_only=True) as store:
        stored = store.df(f"SELECT num_mentions, num_sources FROM events WHERE event_id = '{clash['event_id']}'")
        reports = store.df(f"SELECT count(*) AS n FROM evidence WHERE event_id = '{clash['event_id']}'").n[0]
        assert stored.num_mentions[0] == reports == clash["num_mentions"]
    assert dt.date.fromisoformat(clash["event_date"]) == dt.date(2020, 7, 12)
