"""A URL-less JSONL record's own id is scoped to its file: two files' record "1" are two articles, so re-coding one
file's edited record replaces its own earlier events and keeps the other's (no double count, nothing lost), and a
store coded before the scoping (schema 13) is migrated to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodrift.coding.readers import file_scope
from geodrift.errors import StoreError
from geodrift.store import Store
from geodrift.store_schema import SCHEMA_VERSION
from tests.test_recode import CONDEMNED, MEETING, SHELLING, code, codes, differences, jsonl, snapshot

STRIKE = "Israeli aircraft struck targets near Damascus on Tuesday, the Syrian army said."


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    return (jsonl(tmp_path / "a.jsonl", {"id": "1", "text": SHELLING}),
            jsonl(tmp_path / "b.jsonl", {"id": "1", "text": MEETING}))


def _fresh(*paths: Path) -> Store:
    store = Store(":memory:")
    for path in paths:
        code(store, [path])
    return store


def test_two_files_record_1_are_two_articles_and_an_edit_replaces_only_its_own(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    store = _fresh(a, b)
    ids = sorted(r[0] for r in store.con.execute("SELECT DISTINCT article_id FROM evidence").fetchall())
    assert ids == sorted([f"1@{file_scope(a)}", f"1@{file_scope(b)}"]) and ids[0] != ids[1]
    assert ("RUS", "190", "UKR") in codes(store) and ("CHN", "040", "IND") in codes(store)

    jsonl(a, {"id": "1", "text": CONDEMNED})
    edited = code(store, [a])
    assert edited.stored is not None and edited.stored.status == "done"
    assert edited.replaced > 0 and edited.replaced_documents == [f"file:{a.resolve()} line 1"]
    assert ("RUS", "190", "UKR") not in codes(store), "the edited record's old event is gone"
    assert ("IRN", "111", "ISR") in codes(store) and ("CHN", "040", "IND") in codes(store), "b.jsonl's record 1 stays"
    fresh = _fresh(b, a)
    assert codes(store) == codes(fresh)
    assert not differences(snapshot(store), snapshot(fresh)), "the store holds what coding both files afresh holds"
    assert store.con.execute("SELECT max(num_articles) FROM events").fetchall() == [(1,)], "no event counted twice"

    once = snapshot(store)
    for path in (a, b):
        again = code(store, [path])
        assert again.stored is not None and again.stored.status == "skipped" and again.replaced == 0
    assert not differences(snapshot(store), once), "re-coding unchanged files changes nothing"


def test_a_record_id_with_a_url_is_not_scoped(tmp_path: Path) -> None:
    """A record with a URL keeps its own id (its document is the URL, and its evidence rows carry it)."""
    path = jsonl(tmp_path / "u.jsonl", {"id": "9", "url": "https://a.example/x", "text": SHELLING},
                 {"id": "9", "text": MEETING})
    store = _fresh(path)
    assert sorted(store.con.execute("SELECT DISTINCT article_id, url FROM evidence").fetchall(), key=repr) == sorted(
        [("9", "https://a.example/x"), (f"9@{file_scope(path)}", None)], key=repr)


def _as_schema_13(db: Path) -> None:
    """Put a store back as schema 13 stored it: unscoped record ids, no ``url`` column in ``coded_documents``."""
    with Store(str(db)) as store:
        con = store.con
        for table, column in (("coded_documents", "article_id"), ("evidence", "article_id"),
                              ("events", "evidence_article_id")):
            con.execute(f"UPDATE {table} SET {column} = regexp_replace({column}, '@[0-9a-f]{{12}}$', '')")
        con.execute("ALTER TABLE coded_documents DROP COLUMN url")
        con.execute("UPDATE meta SET value = '13' WHERE key = 'schema_version'")


def test_migration_14_scopes_the_ids_a_schema_13_store_holds(tmp_path: Path) -> None:
    a = jsonl(tmp_path / "a.jsonl", {"id": "1", "text": SHELLING}, {"id": "2", "text": CONDEMNED})
    db = tmp_path / "old.duckdb"
    with Store(str(db)) as store:
        code(store, [a])
        expected = snapshot(store)
    _as_schema_13(db)
    with Store(str(db)) as store:
        assert store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [(str(SCHEMA_VERSION),)]
        assert not differences(snapshot(store), expected), "migrated, the store is what schema 14 would have coded"
        assert store.con.execute("SELECT count(*) FROM coded_documents WHERE url IS NOT NULL").fetchall() == [(0,)]
        assert code(store, [a]).stored.status == "skipped"  # type: ignore[union-attr]
        jsonl(a, {"id": "1", "text": STRIKE}, {"id": "2", "text": CONDEMNED})
        assert code(store, [a]).replaced > 0
        assert ("RUS", "190", "UKR") not in codes(store)
        assert not differences(snapshot(store), snapshot(_fresh(a)))


def test_ids_two_files_shared_before_schema_14_are_recoded_together(tmp_path: Path) -> None:
    """Schema 13 stored both files' record 1 under the id "1": their reports cannot be told apart, so re-coding one
    alone is refused with what to do (instead of a double count), and coding both together replaces both."""
    a, b = _pair(tmp_path)
    db = tmp_path / "old.duckdb"
    with Store(str(db)) as store:
        code(store, [a])
        code(store, [b])
    _as_schema_13(db)
    jsonl(a, {"id": "1", "text": CONDEMNED})
    with Store(str(db)) as store:
        before = snapshot(store)
        with pytest.raises(StoreError, match=r"a\.jsonl line 1: its earlier coding shares the article id '1' with "
                                             r".*b\.jsonl line 1 \(coded before schema 14\).*code those files together"):
            code(store, [a])
        assert not differences(snapshot(store), before), "the refused re-coding wrote nothing"
        both = code(store, [a, b])
        assert sorted(both.replaced_documents) == [f"file:{p.resolve()} line 1" for p in (a, b)]
        assert not differences(snapshot(store), snapshot(_fresh(a, b)))


def test_a_record_removed_from_its_file_takes_its_events_with_it(tmp_path: Path) -> None:
    """A file is coded whole: re-coding it after a record was removed (here one of two records sharing the id "1", an
    export that numbered both alike) removes that record's events too, instead of refusing or keeping them."""
    path = jsonl(tmp_path / "a.jsonl", {"id": "1", "text": SHELLING}, {"id": "1", "text": MEETING},
                 {"id": "3", "text": CONDEMNED})
    store = _fresh(path)
    assert ("CHN", "040", "IND") in codes(store)
    jsonl(path, {"id": "1", "text": SHELLING}, {"id": "3", "text": CONDEMNED})
    again = code(store, [path])
    assert again.stored is not None and again.stored.status == "done"
    assert f"file:{path.resolve()} line 3" in again.replaced_documents
    assert ("CHN", "040", "IND") not in codes(store)
    assert not differences(snapshot(store), snapshot(_fresh(path)))
    assert store.con.execute("SELECT document FROM coded_documents ORDER BY 1").fetchall() == [
        (f"file:{path.resolve()} line {n}",) for n in (1, 2)]


def test_migration_14_scopes_an_id_only_lines_of_one_file_share(tmp_path: Path) -> None:
    """Two lines of one file numbered alike are scoped together (one file, one scope); an id another file shares is
    left as schema 13 stored it (the refusal above covers it)."""
    a = jsonl(tmp_path / "a.jsonl", {"id": "1", "text": SHELLING}, {"id": "1", "text": MEETING})
    b = jsonl(tmp_path / "b.jsonl", {"id": "2", "text": CONDEMNED})
    c = jsonl(tmp_path / "c.jsonl", {"id": "2", "text": STRIKE})
    db = tmp_path / "old.duckdb"
    with Store(str(db)) as store:
        for path in (a, b, c):
            code(store, [path])
    _as_schema_13(db)
    with Store(str(db)) as store:
        ids = dict(store.con.execute("SELECT document, article_id FROM coded_documents").fetchall())
        assert ids == {f"file:{a.resolve()} line 1": f"1@{file_scope(a)}", f"file:{a.resolve()} line 2": f"1@{file_scope(a)}",
                       f"file:{b.resolve()} line 1": "2", f"file:{c.resolve()} line 1": "2"}
        assert store.con.execute("SELECT count(*) FROM evidence WHERE article_id = ?", [f"1@{file_scope(a)}"]
                                 ).fetchall()[0][0] > 0


def test_a_file_moved_and_coded_again_is_not_counted_twice(tmp_path: Path) -> None:
    """The same export read from a new folder (moved, copied, renamed) holds the same records: their texts under
    their ids are the articles already stored, so no event gains a second report and the counts stay; a record edited
    in the moved copy is a new text and is coded as one."""
    a = jsonl(tmp_path / "a.jsonl", {"id": "1", "text": SHELLING}, {"id": "2", "text": CONDEMNED})
    store = _fresh(a)
    once, reports = snapshot(store), store.con.execute("SELECT count(*) FROM evidence").fetchall()
    (tmp_path / "moved").mkdir()
    moved = (tmp_path / "moved" / "a.jsonl")
    moved.write_bytes(a.read_bytes())
    again = code(store, [moved])
    assert again.reports_stored == 0 and again.replaced == 0
    assert store.con.execute("SELECT count(*) FROM evidence").fetchall() == reports
    assert store.con.execute("SELECT max(num_articles), max(num_sources) FROM events").fetchall() == [(1, 1)]
    assert not differences(snapshot(store), once)

    jsonl(moved, {"id": "1", "text": SHELLING}, {"id": "2", "text": MEETING})
    edited = code(store, [moved])
    assert edited.reports_stored > 0 and ("CHN", "040", "IND") in codes(store)
    assert store.con.execute("SELECT max(num_articles) FROM events").fetchall() == [(1,)]


def test_an_unchanged_file_sharing_a_schema_13_id_is_already_stored_and_a_url_is_not_named(tmp_path: Path) -> None:
    """After migration 14 a file whose record id another file shared is not refused when unchanged (its texts keep
    the id they were stored under: "already stored"), and the refusal of its edit names only the URL-less documents
    that share the id, not a record with a URL (its rows are told apart by their URL)."""
    a, b = _pair(tmp_path)
    c = jsonl(tmp_path / "c.jsonl", {"id": "1", "url": "https://a.example/1", "text": STRIKE})
    db = tmp_path / "old.duckdb"
    with Store(str(db)) as store:
        for path in (a, b, c):
            code(store, [path])
    _as_schema_13(db)
    with Store(str(db)) as store:
        before = snapshot(store)
        again = code(store, [a])
        assert again.stored is not None and again.stored.status == "skipped" and again.replaced == 0
        assert not differences(snapshot(store), before)
        jsonl(a, {"id": "1", "text": CONDEMNED})
        with pytest.raises(StoreError, match=r"shares the article id '1' with \S*b\.jsonl line 1 \(coded before"):
            code(store, [a])


def test_a_partner_file_moved_since_schema_13_is_coded_together_from_its_new_place(tmp_path: Path) -> None:
    """The refusal's way out when the other file sharing the id was moved: code the edited file with the moved copy
    (unchanged); its record keeps its stored id and text, so the earlier rows of both are replaced, nothing doubled."""
    a, b = _pair(tmp_path)
    db = tmp_path / "old.duckdb"
    with Store(str(db)) as store:
        code(store, [a])
        code(store, [b])
    _as_schema_13(db)
    (tmp_path / "gone").mkdir()
    moved = b.rename(tmp_path / "gone" / "b.jsonl")
    jsonl(a, {"id": "1", "text": CONDEMNED})
    with Store(str(db)) as store:
        with pytest.raises(StoreError, match="a file moved since: its new place"):
            code(store, [a])
        both = code(store, [a, moved])
        assert both.stored is not None and both.stored.status == "done"
        assert ("RUS", "190", "UKR") not in codes(store)
        assert ("IRN", "111", "ISR") in codes(store) and ("CHN", "040", "IND") in codes(store)
        assert store.con.execute("SELECT max(num_articles) FROM events").fetchall() == [(1,)]
        assert codes(store) == codes(_fresh(a, moved))
