"""brief and analyze as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geodrift.store import Store
from tests.test_cli import assert_one_line_error, invoke, run


@pytest.fixture(scope="module")
def db(caucasus_db: Path, caucasus_store: Store) -> str:
    return str(caucasus_db)


def test_brief_writes_every_format(db: str, tmp_path: Path) -> None:
    result = run("brief", "--date", "2020-07-24", "--days", "14", "--region", "caucasus", "--out", str(tmp_path),
                 "--db", db)
    assert result.returncode == 0, result.stderr
    written = {p.suffix for p in tmp_path.glob("briefing_caucasus_2020-07-24.*")}
    assert written == {".html", ".md", ".pdf", ".json"}
    data = json.loads((tmp_path / "briefing_caucasus_2020-07-24.json").read_text())
    assert data["parameters"]["region"] == "caucasus" and data["citations"]


def test_the_readme_brief_example_briefs_a_fortnight_of_events(db: str, tmp_path: Path) -> None:
    """README's example once wrote '[--days 14]', read as the default, which is 1: an empty briefing."""
    import re
    import shlex

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("geodrift brief --date"))
    required = shlex.split(re.sub(r"\[[^\]]*\]", "", line))[1:]  # what a reader types, options in [] left out
    result = run(*required, "--region", "ARM,AZE", "--formats", "md", "--out", str(tmp_path), "--db", db)
    assert result.returncode == 0, result.stderr
    text = next(tmp_path.glob("*.md")).read_text()
    assert "No events among" not in text and "11 July to 24 July 2020" in text, text
    assert "defaults to 1" in readme


def test_brief_for_a_list_of_countries(db: str, tmp_path: Path) -> None:
    result = run("brief", "--date", "2020-07-13", "--region", "ARM,AZE", "--formats", "md", "--out", str(tmp_path),
                 "--db", db)
    assert result.returncode == 0, result.stderr
    assert "Armenia and Azerbaijan" in next(tmp_path.glob("*.md")).read_text()


def test_analyze_the_flagship(db: str, tmp_path: Path) -> None:
    result = run("analyze", "AZE", "--poles", "RUS", "TUR", "--from", "2020-06-01", "--to", "2020-12-31",
                 "--out", str(tmp_path), "--formats", "html,json", "--db", db)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "analysis_AZE_RUS_TUR.json").read_text())
    assert data["parameters"]["to"] == "2020-12-31", "--to is the last day, inclusive, in the JSON as on the command line"
    assert "31 December 2020" in data["subtitle"]


@pytest.mark.parametrize(("args", "message"), [
    (["brief", "--date", "24/07/2020"], "--date '24/07/2020' is not a date"),
    (["brief", "--date", "2020-07-24", "--region", "atlantis"], "unknown country or group 'atlantis'"),
    (["brief", "--date", "2020-07-24", "--formats", "docx"], "unknown report format 'docx'"),
    (["brief", "--date", "2020-07-24", "--days", "0"], "--days must be at least 1"),
    (["analyze", "AZE", "--poles", "RUS", "TUR", "--from", "2020-06-01", "--to", "2020-12-31", "--formats", "pdf,odt"],
     "unknown report format 'odt'"),
    (["analyze", "AZE", "--poles", "RUS", "TUR", "--from", "2020-06-01", "--to", "2020-01-01"], "empty date range"),
    (["analyze", "AZE", "--poles", "RUS", "AZE", "--from", "2020-06-01", "--to", "2020-12-31"], "must be different"),
    # A group pole was cut to its first member (Albania for NATO) without a word (attack finding F10).
    (["analyze", "AZE", "--poles", "NATO", "RUS", "--from", "2020-06-01", "--to", "2020-12-31"],
     "--poles: 'NATO' names 32 countries (ALB, BEL, BGR, CAN, HRV, CZE, ...); it takes one country"),
    (["analyze", "ARM,GEO", "--poles", "TUR", "RUS", "--from", "2020-06-01", "--to", "2020-12-31"],
     "COUNTRY: 'ARM,GEO' names 2 countries"),
])
def test_user_mistakes(db: str, tmp_path: Path, args: list[str], message: str) -> None:
    assert_one_line_error(invoke(*args, "--out", str(tmp_path / "out"), "--db", db), message)
    assert not (tmp_path / "out").exists(), "a mistake writes nothing, not even the folder"
