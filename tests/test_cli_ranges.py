"""One date convention on every command: `--from` and `--to` are the first and last day, both included (issue 15
reader: `analyze --to` included its last day while `dyads --to` stopped before it, so the two disagreed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geodrift.store import Store
from tests.test_cli import assert_one_line_error, run

DOWNING = ("--from", "2020-11-09", "--to", "2020-11-10")  # the helicopter downing, then the Aliyev-Putin call on 10 Nov


@pytest.fixture(scope="module")
def db(caucasus_db: Path, caucasus_store: Store) -> str:
    return str(caucasus_db)


def test_dyads_and_analyze_count_the_same_days(db: str, tmp_path: Path) -> None:
    rows = json.loads(run("dyads", "AZE", "RUS", *DOWNING, "--freq", "day", "--format", "json", "--db", db).stdout)
    assert [r["period"][:10] for r in rows] == ["2020-11-09", "2020-11-10"], rows  # the last day is in
    events = sum(r["events"] for r in rows)
    mean = sum(r["goldstein_sum"] for r in rows) / sum(r["weight"] for r in rows)
    assert run("analyze", "AZE", "--poles", "RUS", "TUR", *DOWNING, "--out", str(tmp_path), "--formats", "md",
               "--db", db).returncode == 0
    said = re.search(r"Azerbaijan–Russia: (\d+) event clusters \(\d+ reports\), mean Goldstein ([-+]\d+\.\d+)",
                     (tmp_path / "analysis_AZE_RUS_TUR.md").read_text(encoding="utf-8"))
    assert said, "the event view's sentence"
    assert int(said.group(1)) == events and said.group(2) == f"{mean:+.2f}", (said.groups(), events, mean)


def test_one_day_is_a_range_and_a_reversed_one_is_an_error(db: str) -> None:
    rows = json.loads(run("dyads", "AZE", "RUS", "--from", "2020-11-10", "--to", "2020-11-10", "--freq", "day",
                          "--format", "json", "--db", db).stdout)
    assert [r["period"][:10] for r in rows] == ["2020-11-10"] and rows[0]["events"] > 0, rows
    assert_one_line_error(run("dyads", "AZE", "RUS", "--from", "2020-11-10", "--to", "2020-11-09", "--db", db),
                          "empty date range: --to 2020-11-09 is before --from 2020-11-10")
    help_text = run("dyads", "--help").stdout
    assert "last day (inclusive)" in help_text and "day after" not in help_text


def test_messages_name_the_last_day_the_user_gave(db: str, tmp_path: Path) -> None:
    """Messages quote the last day included, never the half-open end the library uses inside (attacker review F8)."""
    empty = run("analyze", "GEO", "--poles", "RUS", "TUR", "--from", "2021-01-01", "--to", "2021-06-30", "--out",
                str(tmp_path), "--formats", "md", "--db", db)
    assert empty.returncode != 0 and "from 2021-01-01 to 2021-06-30: nothing to analyse" in empty.stderr, empty.stderr
    brief = run("brief", "--date", "2020-10-10", "--days", "7", "--region", "caucasus", "--out", str(tmp_path),
                "--formats", "md", "--db", db)
    assert brief.returncode == 0, brief.stderr
    text = next(tmp_path.rglob("*.md")).read_text(encoding="utf-8")
    assert re.search(r"in the 2[67] weeks to 10 October 2020", text), [line for line in text.splitlines()
                                                                       if "weeks to" in line]
