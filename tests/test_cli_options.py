"""Bad options and odd paths: one line naming the option or file, a non-zero exit, never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geodrift.analytics.drift import detect
from geodrift.analytics.flareups import detect_flareups, flareups
from geodrift.errors import InputError
from geodrift.store import Store
from tests.formula_events import formula_store
from tests.test_cli import assert_one_line_error, invoke


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with a timeout, since a FIFO used to block it forever."""
    return subprocess.run([sys.executable, "-m", "geodrift", *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "200"}, timeout=60, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(formula_store(tmp_path_factory.mktemp("options")))


@pytest.fixture()
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path


@pytest.fixture()
def blocked(tmp_path: Path) -> Path:
    """A folder path that cannot be created: its parent is a file."""
    (tmp_path / "a_file").write_text("x")
    return tmp_path / "a_file" / "out"


@pytest.mark.parametrize(("args", "text"), [
    (["flareups", "ARM", "AZE", "--level", "2"], "--level 2.0"),
    (["flareups", "ARM", "AZE", "--level", "0"], "--level 0.0"),
    (["flareups", "ARM", "AZE", "--level", "nan"], "--level nan"),
    (["flareups", "ARM", "AZE", "--baseline", "-3"], "--baseline -3"),
    (["flareups", "--country", "AZE", "--baseline", "0"], "--baseline 0"),
    (["drift", "ARM", "AZE", "--alpha", "5"], "--alpha 5.0"),
    (["drift", "AZE", "--poles", "RUS", "TUR", "--alpha", "0"], "--alpha 0.0"),
    (["forecast", "escalation", "ARM", "--as-of", "2020-08-01", "--days", "0"], "--days 0"),
    (["forecast", "escalation", "ARM", "--as-of", "2020-08-01", "--days", "7", "--days", "-7"], "--days -7"),
    (["forecast", "escalation", "ARM", "--as-of", "2020-08-01", "--k", "0"], "--k must be at least 1"),
    (["serve", "--port", "70000"], "--port 70000"),
    (["serve", "--port", "0"], "--port 0"),
    (["serve", "--workers", "0"], "--workers 0"),
    (["serve", "--ingest-dir", "/no/such/folder"], "--ingest-dir /no/such/folder"),
])
def test_out_of_range_options(db: str, args: list[str], text: str) -> None:
    call = run if args[0] == "serve" else invoke  # a serve that took a bad option would serve: run has a timeout
    assert_one_line_error(call(*args, "--db", db), text)


def test_backtest_needs_a_unit(db: str, tmp_path: Path) -> None:
    assert_one_line_error(invoke("backtest", "--out", str(tmp_path), "--max-units", "0", "--db", db), "--max-units 0")


@pytest.mark.parametrize("target", ["/proc/nope", "blocked"])
def test_export_folder_that_cannot_be_made(db: str, blocked: Path, target: str) -> None:
    folder = str(blocked) if target == "blocked" else target
    assert_one_line_error(invoke("db", "export", "parquet", folder, "--db", db), f"{folder}: cannot create")


@pytest.mark.parametrize("command", [
    ["brief", "--date", "2020-07-23"], ["analyze", "AZE", "--poles", "RUS", "TUR", "--from", "2020-01-01",
                                        "--to", "2020-12-31"], ["backtest"], ["demo"]])
def test_out_folder_that_cannot_be_made(db: str, blocked: Path, command: list[str]) -> None:
    extra = [] if command == ["demo"] else ["--db", db]
    assert_one_line_error(invoke(*command, "--out", str(blocked), *extra), f"--out {blocked}: cannot create")


@pytest.mark.parametrize("command", [["ingest"], ["code"]])
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_fifos_and_devices_are_not_regular_files(command: list[str], special: str, fifo: Path,
                                                  tmp_path: Path) -> None:
    target = str(fifo) if special == "fifo" else special
    assert_one_line_error(run(*command, target, "--db", str(tmp_path / "x.duckdb")), f"{target}: not a regular file")


def test_a_fifo_as_store_is_refused_not_waited_on(fifo: Path) -> None:
    assert_one_line_error(run("sql", "SELECT 1", "--db", str(fifo)), "not a regular file")
    assert_one_line_error(run("db", "info", "--db", str(fifo)), "not a regular file")


HOSTILE_NAME = "\x1b[31mred\x1b]0;title\x07[/]\u202e[bold]x"


def test_file_names_are_escaped_in_messages(tmp_path: Path) -> None:
    missing = invoke("ingest", str(tmp_path / HOSTILE_NAME), "--db", str(tmp_path / "x.duckdb"))
    assert_one_line_error(missing, "no such file")
    assert "\\x1b[31mred\\x1b]0;title\\x07[/]\\u202e[bold]x" in missing.stderr
    junk = tmp_path / (HOSTILE_NAME.replace("/", "") + ".txt")
    junk.write_text("not events\n")
    failed = invoke("ingest", str(junk), "--db", str(tmp_path / "x.duckdb"))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "\\x1b[31mred" in failed.stdout + failed.stderr and "[bold]x" in failed.stdout + failed.stderr
    coded = invoke("code", str(junk), "--format", "table")
    for result in (missing, failed, coded):
        assert not any(c in result.stdout + result.stderr for c in "\x1b\x07\u202e"), result


def test_library_checks_its_own_options() -> None:
    with Store() as store, pytest.raises(InputError, match="--level"):
        flareups(store, "ARM", "AZE", level=1.0)
    import pandas as pd

    series = pd.DataFrame({"conflict_events": [1] * 40, "coverage": [10.0] * 40})
    with pytest.raises(InputError, match="--baseline"):
        detect_flareups(series, baseline=2)
    with pytest.raises(InputError, match="--alpha"):
        detect(pd.Series(range(20), dtype=float), alpha=1.0)


def test_db_optimize_does_not_create_a_store(tmp_path: Path) -> None:
    """Found in review: `db optimize` on a missing store created an empty one and said 'optimized'."""
    result = invoke("db", "optimize", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 1 and "no such database" in result.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_a_closed_pipe_ends_quietly(tmp_path: Path, shared: Path) -> None:
    """Found in review: `geodrift sql ... | head` printed 'error: Broken pipe'."""
    import subprocess
    import sys

    from geodrift.ingest import ingest_files
    from geodrift.store import Store

    db = tmp_path / "pipe.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
    shell = (f"{sys.executable} -m geodrift sql 'SELECT event_id FROM events' --format csv --db {db} | head -n 2")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=120)
    assert len(done.stdout.splitlines()) == 2
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
