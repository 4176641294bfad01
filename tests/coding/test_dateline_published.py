"""A dateline's full date is the publication date of a text given none; an undated text is not stored dated today
(issue 18, review 7, H3: "YEREVAN, Sept. 13, 2022 - ..." coded without --published was dated the day it was coded)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geodrift.cli import app
from geodrift.coding.coder import code_text
from geodrift.coding.dates import dateline_date
from geodrift.ingest_text import code_files
from geodrift.store import Store

ARTICLE = Path(__file__).parents[1] / "data" / "articles" / "jermuk-2022.txt"


def article_text() -> str:
    """The reader's article without its fixture header."""
    return "".join(line for line in ARTICLE.read_text().splitlines(keepends=True) if not line.startswith("#"))


@pytest.mark.parametrize(("text", "day"), [
    ("Headline\n\nYEREVAN, Sept. 13, 2022 - Azerbaijani forces shelled Jermuk.", dt.date(2022, 9, 13)),
    ("Tbilisi, 3 March 2021. Georgian police detained protesters.", dt.date(2021, 3, 3)),
    ("MOSCOW, 2021-05-04 (Reuters) - Putin met Pashinyan.", dt.date(2021, 5, 4)),
    ("BAKU, October 4, 2020 /AFP/ - Armenian forces shelled Ganja on Sunday.", dt.date(2020, 10, 4)),
    # no year, no dateline, a date inside the story, a day that does not exist: no publication date
    ("TBILISI, March 3 (Reuters) - Georgian police detained protesters.", None),
    ("Armenia said on Sept. 13, 2022 that Azerbaijan shelled Jermuk.", None),
    ("Talks\n\nOfficials met.\n\nMore talks.\n\nYEREVAN, Sept. 13, 2022 - Officials met again.", None),
    ("MOSCOW, Feb. 30, 2021 - Putin met Pashinyan.", None),
])
def test_dateline_date(text: str, day: dt.date | None) -> None:
    assert dateline_date(text) == day


def test_the_readers_article_is_dated_by_its_dateline(tmp_path: Path) -> None:
    path = tmp_path / "jermuk.txt"
    path.write_text(article_text())
    coded = code_files([path])
    assert coded.undated == [] and coded.dateline_dated == [(str(path), dt.date(2022, 9, 13))]
    assert coded.events and {e["date_added"] for e in coded.events} == {dt.datetime(2022, 9, 13)}
    assert {e["event_date"] for e in coded.events} <= {dt.date(2022, 9, 12), dt.date(2022, 9, 13)}
    # a given date still wins over the dateline's
    assert {e["date_added"] for e in code_files([path], published="2022-09-14").events} == {dt.datetime(2022, 9, 14)}
    assert {e["date_added"] for e in code_text(article_text())} == {dt.datetime(2022, 9, 13)}


def test_into_refuses_to_store_an_undated_text_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "undated.txt").write_text("Azerbaijani forces shelled the Armenian town of Jermuk on Tuesday.")
    (tmp_path / "jermuk.txt").write_text(article_text())
    db = tmp_path / "t.duckdb"
    result = CliRunner().invoke(app, ["code", str(tmp_path / "undated.txt"), str(tmp_path / "jermuk.txt"),
                                      "--into", "--db", str(db), "--format", "table"])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())  # the console wraps long paths anywhere, even inside a name
    for told in ("undated.txt: no publication date", "pass --published",
                 "jermuk.txt: published date taken from the dateline (2022-09-13", "1 input skipped"):
        assert "".join(told.split()) in said, told
    with Store(db) as store:
        days = store.con.execute("SELECT DISTINCT date_added::DATE FROM events").fetchall()
    assert days == [(dt.date(2022, 9, 13),)]  # nothing stored dated today


def test_without_into_an_undated_text_is_still_coded_against_today(tmp_path: Path) -> None:
    (tmp_path / "undated.txt").write_text("Azerbaijani forces shelled the Armenian town of Jermuk.")
    coded = code_files([tmp_path / "undated.txt"])
    assert coded.undated == [str(tmp_path / "undated.txt")] and coded.events
