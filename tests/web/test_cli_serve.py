"""serve and apikey as a user runs them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from geodrift.errors import StoreOutdatedError
from geodrift.ingest import ingest_file
from geodrift.store import Store
from geodrift.store_schema import SCHEMA_VERSION
from geodrift.web.config import hash_key
from tests.test_cli import assert_one_line_error, run


def test_workers_need_read_only(tmp_path: Path) -> None:
    assert_one_line_error(run("serve", "--workers", "2", "--db", str(tmp_path / "x.duckdb")),
                          "--workers above 1 needs --read-only")


def test_bad_keys_file_names_the_line(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("# operators' keys\nsha256:abc\n")
    assert_one_line_error(run("serve", "--keys", str(keys), "--db", str(tmp_path / "x.duckdb")),
                          f"{keys}:2: expected 'sha256:' and 64 hex digits")


def test_apikey_new_prints_a_key_and_its_hash() -> None:
    result = run("apikey", "new")
    assert result.returncode == 0
    key = result.stdout.split("client): ")[1].split()[0]
    assert hash_key(key) in result.stdout.replace("\n", "")


def _schema(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return str(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()[0][0])


def test_read_only_serving_refuses_an_older_store_and_db_upgrade_upgrades_it(shared: Path, tmp_path: Path) -> None:
    """F1 (attacker review 8): each worker of `serve --read-only --workers 2` upgraded a schema-15 store itself, the
    second died on the first's lock, and the store served "read-only" was rewritten. The parent refuses it in one
    line before any worker starts (a timeout here is the old behaviour: the server ran), and the file is untouched;
    `db upgrade` then upgrades it once and says so."""
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
        store.con.execute("UPDATE meta SET value = '15' WHERE key = 'schema_version'")
    for workers in ("2", "1"):
        refused = run("serve", "--read-only", "--workers", workers, "--port", "18799", "--db", str(db), timeout=90)
        assert_one_line_error(refused, f"geodrift db upgrade --db {db}")
        assert "schema 15" in refused.stderr and "on http" not in refused.stdout
    assert _schema(db) == "15"
    with pytest.raises(StoreOutdatedError, match="schema 15"):
        Store(db, read_only=True, upgrade=False)
    upgraded = run("db", "upgrade", "--db", str(db))
    assert upgraded.returncode == 0 and f"from schema 15 to {SCHEMA_VERSION}" in upgraded.stderr, upgraded.stderr
    assert _schema(db) == str(SCHEMA_VERSION)
    with Store(db, read_only=True, upgrade=False) as reader:
        assert reader.upgraded_from is None and reader.count_events() > 800
    assert f"already at schema {SCHEMA_VERSION}" in run("db", "upgrade", "--db", str(db)).stdout
