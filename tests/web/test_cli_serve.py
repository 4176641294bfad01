"""serve and apikey as a user runs them."""

from __future__ import annotations

from pathlib import Path

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
