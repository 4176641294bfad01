"""Re-coding a document replaces its earlier coding: the store then holds what a fresh store coding only the new
text holds (events, evidence, clusters, aggregates and a dyad series), never both codings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from geodrift.analytics.dyads import dyad_series
from geodrift.coding.articles import Article
from geodrift.coding.coder import DictionaryCoder
from geodrift.events import EVENT_SCHEMA
from geodrift.ingest import ingest_files
from geodrift.ingest_text import code_files
from geodrift.query import EventFilter
from geodrift.store import Store

PUBLISHED = "2020-07-24"
OTHER = ("Azerbaijan accuses Armenia of attack\n\n"
         "On July 12, Armenian and Azerbaijani forces clashed in the Tovuz region of Azerbaijan. "
         "On July 14, Turkey condemned Armenia over the fighting.")
"""A second article that reports the seed article's 12 July clash too (the same event id from both)."""


class OlderCoder(DictionaryCoder):
    """A coder as an older build coded: the events of 23 July dated a day early (new event ids for them)."""

    def code(self, article: Article) -> list[dict[str, Any]]:
        return [{**row, "event_date": row["event_date"] - dt.timedelta(days=1)}
                if row["event_date"] == dt.date(2020, 7, 23) else row for row in super().code(article)]


@pytest.fixture()
def seed_text(shared: Path) -> str:
    path = shared.parent / "seed" / "azerbaijan-slow-drift-toward-turkey.txt"
    assert path.is_file(), f"{path}: the seed article is missing (../shared/seed)"
    return path.read_text(encoding="utf-8")


def _store(shared: Path) -> Store:
    """A store with the hand-coded Caucasus events, so coded reports share clusters with curated ones."""
    store = Store(":memory:")
    ingest_files(store, [shared / "caucasus-2020-events" / "events.jsonl"])
    return store


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a re-coding may touch, without the file ids (a fresh store numbers its files otherwise)."""
    columns = ", ".join(f.name for f in EVENT_SCHEMA)
    tables = {
        "events": f"SELECT {columns} FROM events",
        "evidence": "SELECT * FROM evidence",
        "clusters": "SELECT * FROM clusters",
        "cluster_summary": "SELECT * FROM cluster_summary",
        "cluster_units": "SELECT * FROM cluster_units",
    }
    for table in ("dyad_days", "dyad_months", "cluster_dyad_days", "cluster_dyad_months"):
        tables[table] = (f"SELECT actor1_country, actor2_country, event_date, quad_class, modality, sum(events), "
                         f"sum(weight), round(sum(gw), 6) FROM {table} GROUP BY ALL HAVING sum(events) > 0")
    for table in ("country_days", "country_months", "cluster_country_days", "cluster_country_months"):
        tables[table] = f"SELECT country, event_date, modality, sum(events), sum(weight) FROM {table} GROUP BY ALL"
    found: dict[str, Any] = {name: sorted(store.con.execute(sql).fetchall(), key=repr) for name, sql in tables.items()}
    where = EventFilter(start=dt.date(2020, 7, 1), end=dt.date(2020, 8, 1))
    # As CSV text: a frame's NaN (no tone) is not equal to itself as a value.
    found["series"] = dyad_series(store, "ARM", "AZE", freq="day", where=where).to_csv()
    found["series_reports"] = dyad_series(store, "ARM", "AZE", freq="day", where=replace(where, unit="reports")).to_csv()
    return found


def code(store: Store, paths: Sequence[Path], coder: DictionaryCoder | None = None) -> Any:
    """Code ``paths`` into ``store`` with the dictionary coder: these tests are about re-coding in the store, and the
    events they name are the dictionary's ("shelled" 190; the default hybrid codes it 194)."""
    return code_files(list(paths), published=PUBLISHED, store=store, coder=coder or DictionaryCoder())


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [name for name in a if a[name] != b[name]]


def test_an_edited_article_replaces_its_earlier_events(shared: Path, seed_text: str, tmp_path: Path) -> None:
    article, other = tmp_path / "seed.txt", tmp_path / "other.txt"
    article.write_text(seed_text, encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    store = _store(shared)
    first = code(store, [article, other])
    assert first.stored is not None and first.stored.status == "done"
    before = store.count_events()
    # The edit drops the paragraph of the 12 July clash (which the other article still reports) and the Russian
    # drills of 23 July (which nothing else reports).
    edited = "\n\n".join(p for p in seed_text.split("\n\n") if "July 12" not in p and "July 23" not in p)
    assert edited != seed_text
    article.write_text(edited, encoding="utf-8")
    second = code(store, [article])
    assert second.stored is not None and second.stored.status == "done"
    assert second.replaced > 0 and store.count_events() < before

    fresh = _store(shared)
    code(fresh, [article, other])
    assert not differences(snapshot(store), snapshot(fresh))
    kept = store.con.execute("SELECT num_articles, outlet FROM events WHERE event_date = '2020-07-12' "
                             "AND actor1_country = 'ARM' AND source = 'text'").fetchall()
    assert kept == [(1, None)], "the clash stays, reported by the other article alone"


def test_an_older_coding_of_the_same_text_is_replaced(shared: Path, seed_text: str, tmp_path: Path) -> None:
    """The demo's case: a folder built by an older version holds the seed article coded otherwise."""
    article = tmp_path / "seed.txt"
    article.write_text(seed_text, encoding="utf-8")
    store = _store(shared)
    older = code(store, [article], OlderCoder())
    assert any(e["event_date"] == dt.date(2020, 7, 22) for e in older.events)
    code(store, [article])
    fresh = _store(shared)
    code(fresh, [article])
    assert not differences(snapshot(store), snapshot(fresh))
    assert not store.con.execute("SELECT count(*) FROM events WHERE event_date = '2020-07-22' AND source = 'text'"
                                 ).fetchall()[0][0]
    assert store.con.execute("SELECT status FROM ingested_files WHERE format = 'text' ORDER BY file_id").fetchall() == [
        ("replaced",), ("done",)]


def test_the_same_coding_again_is_skipped_and_an_earlier_one_comes_back(shared: Path, seed_text: str,
                                                                          tmp_path: Path) -> None:
    """Coding the same text again changes nothing; going back to an earlier coding (whose events were stored once,
    by an earlier file) stores it again instead of taking it for stored."""
    article = tmp_path / "seed.txt"
    article.write_text(seed_text, encoding="utf-8")
    store = _store(shared)
    code(store, [article])
    once = snapshot(store)
    again = code(store, [article])
    assert again.stored is not None and again.stored.status == "skipped" and again.replaced == 0
    assert not differences(snapshot(store), once)
    code(store, [article], OlderCoder())
    assert differences(snapshot(store), once)
    back = code(store, [article])
    assert back.stored is not None and back.stored.status == "done"
    assert not differences(snapshot(store), once)


def test_an_article_that_now_codes_nothing_leaves_nothing(shared: Path, seed_text: str, tmp_path: Path) -> None:
    article = tmp_path / "seed.txt"
    article.write_text(seed_text, encoding="utf-8")
    store = _store(shared)
    curated = snapshot(store)
    code(store, [article])
    article.write_text("The weather in Baku was mild this week.", encoding="utf-8")
    code(store, [article])
    assert not differences(snapshot(store), curated)


def test_each_line_of_a_jsonl_file_is_its_own_document(shared: Path, tmp_path: Path) -> None:
    """Editing one article of a JSONL file (no URLs) replaces that article's events and keeps the other's; each line is
    a document of its own."""
    import json

    def write(second: str) -> Path:
        path = tmp_path / "articles.jsonl"
        path.write_text("".join(json.dumps({"title": title, "text": text, "published": PUBLISHED}) + "\n" for title, text in (
            ("Clash", "On July 12, Armenian and Azerbaijani forces clashed in the Tovuz region of Azerbaijan."),
            ("Reaction", second))), encoding="utf-8")
        return path

    store = _store(shared)
    code(store, [write("On July 14, Turkey condemned Armenia over the fighting.")])
    code(store, [write("On July 15, Russia urged Armenia and Azerbaijan to show restraint.")])
    fresh = _store(shared)
    found = code(fresh, [write("On July 15, Russia urged Armenia and Azerbaijan to show restraint.")])
    assert {e["event_date"] for e in found.events} == {dt.date(2020, 7, 12), dt.date(2020, 7, 15)}
    assert not differences(snapshot(store), snapshot(fresh))
    documents = store.con.execute("SELECT document FROM coded_documents ORDER BY document").fetchall()
    assert documents == [(f"file:{tmp_path.resolve() / 'articles.jsonl'} line {n}",) for n in (1, 2)]


SHELLING = "Russian forces shelled the Ukrainian town of Kharkiv on Monday, killing three civilians."
CONDEMNED = "Iran condemned Israel for the air strike on Damascus."
MEETING = "Chinese Foreign Minister Wang Yi met Indian External Affairs Minister S. Jaishankar in Moscow on Thursday."


def jsonl(path: Path, *records: dict[str, Any]) -> Path:
    import json

    path.write_text("".join(json.dumps({"published": PUBLISHED, **r}) + "\n" for r in records), encoding="utf-8")
    return path


def codes(store: Store) -> list[tuple[str, str, str | None]]:
    return sorted(store.con.execute("SELECT actor1_country, event_code, actor2_country FROM events").fetchall(),
                  key=repr)


def test_a_jsonl_id_another_file_also_uses_is_not_a_recode(tmp_path: Path) -> None:
    """JSONL ids are the export's row numbers ("1", "2", …): a second file's record 1 is another document than the
    first file's record 1, so coding it (or the first file again) deletes nothing of the other."""
    first = jsonl(tmp_path / "j1.jsonl", {"id": 1, "text": SHELLING}, {"id": 2, "text": CONDEMNED})
    second = jsonl(tmp_path / "j2.jsonl", {"id": 1, "text": MEETING})
    store = Store(":memory:")
    code(store, [first])
    stored = code(store, [second])
    assert stored.replaced == 0 and not stored.replaced_documents
    fresh = Store(":memory:")
    code(fresh, [first])
    code(fresh, [second])
    assert ("RUS", "190", "UKR") in codes(store) and ("CHN", "040", "IND") in codes(store)
    assert not differences(snapshot(store), snapshot(fresh))
    again = code(store, [first])
    assert again.replaced == 0 and not differences(snapshot(store), snapshot(fresh))
    assert ("CHN", "040", "IND") in codes(store), "re-coding the first file keeps the second file's record 1"


def test_a_jsonl_id_shared_by_two_urls_recodes_only_its_own_url(tmp_path: Path) -> None:
    """Two JSONL records with id 1 but different URLs are two documents: coding the second keeps the first's events,
    and re-coding the first (edited) replaces its own events only."""
    first = jsonl(tmp_path / "u1.jsonl", {"id": 1, "url": "https://a.example/x", "text": SHELLING})
    second = jsonl(tmp_path / "u2.jsonl", {"id": 1, "url": "https://b.example/y", "text": MEETING})
    store = Store(":memory:")
    code(store, [first])
    assert code(store, [second]).replaced == 0
    assert ("RUS", "190", "UKR") in codes(store) and ("CHN", "040", "IND") in codes(store)
    jsonl(first, {"id": 1, "url": "https://a.example/x", "text": CONDEMNED})
    edited = code(store, [first])
    assert edited.replaced > 0 and edited.replaced_documents == ["https://a.example/x"]
    fresh = Store(":memory:")
    code(fresh, [second])
    code(fresh, [first])
    assert ("IRN", "111", "ISR") in codes(store) and ("CHN", "040", "IND") in codes(store)
    assert ("RUS", "190", "UKR") not in codes(store)
    assert codes(store) == codes(fresh)
    assert sorted(store.con.execute("SELECT event_id, article_id, url FROM evidence").fetchall()) == sorted(
        fresh.con.execute("SELECT event_id, article_id, url FROM evidence").fetchall())


def test_the_same_text_in_two_files_is_two_documents_when_one_is_recoded(tmp_path: Path) -> None:
    """Identical texts without URL share an article id (a hash of the text): coding the second file replaces nothing,
    and re-coding the first after an edit keeps the events the second file still reports."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SHELLING, encoding="utf-8")
    b.write_text(SHELLING, encoding="utf-8")
    store = Store(":memory:")
    code(store, [a])
    copy = code(store, [b])
    assert copy.replaced == 0 and not copy.replaced_documents
    a.write_text(CONDEMNED, encoding="utf-8")
    edited = code(store, [a])
    assert edited.replaced == 0, "its earlier text is b.txt's too: nothing of it goes"
    assert ("RUS", "190", "UKR") in codes(store), "b.txt still reports the shelling"
    fresh = Store(":memory:")
    code(fresh, [b])
    code(fresh, [a])
    assert codes(store) == codes(fresh)
    assert store.con.execute("SELECT count(*) FROM ingested_files WHERE status = 'replaced'").fetchall() == [(0,)]


def test_recode_message_names_the_replaced_file(tmp_path: Path) -> None:
    """A path reused for another article (a temp file) replaces its earlier coding, and `code --into` says whose."""
    import os
    import subprocess
    import sys

    text, db = tmp_path / "t.txt", tmp_path / "t.duckdb"

    def run() -> str:
        result = subprocess.run([sys.executable, "-m", "geodrift", "code", str(text), "--published", PUBLISHED,
                                 "--into", "--db", str(db)], capture_output=True, text=True, check=False,
                                env={**os.environ, "COLUMNS": "400"})
        assert result.returncode == 0, result.stderr
        return result.stderr

    text.write_text(CONDEMNED, encoding="utf-8")
    assert "replacing" not in run()
    text.write_text(MEETING, encoding="utf-8")
    assert f"replacing 1 events of the earlier coding of {text.resolve()}" in run()
