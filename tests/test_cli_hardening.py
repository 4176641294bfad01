"""Out-of-range dates through the CLI: ``ingest`` quarantines them, ``code`` refuses them (issue 14)."""

from __future__ import annotations

from pathlib import Path

from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, georgia_rows
from tests.test_cli import assert_one_line_error, run


def test_ingest_quarantines_gdelt_rows_dated_out_of_range(shared: Path, tmp_path: Path) -> None:
    rows = georgia_rows(shared, limit=10)
    lines = [gdelt1_line(r) for r in rows]
    lines[3] = lines[3].replace(rows[3]["SQLDATE"], "99991230", 1)
    lines[6] = lines[6].replace(rows[6]["SQLDATE"], "00010101", 1)
    path = tmp_path / "20110801.export.CSV"
    path.write_text("\n".join(lines) + "\n")
    db = tmp_path / "g.duckdb"
    result = run("ingest", str(path), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "2 rows quarantined" in result.stdout, result.stdout
    with Store(db, read_only=True) as store:
        assert store.count_events() == 8
        reasons = sorted(store.df("SELECT reason FROM quarantine").reason)
        assert reasons == [f"DATE OUT OF RANGE in field SQLDATE: {day} (supported 1800-01-01..2200-01-01)"
                           for day in ("0001-01-01", "9999-12-30")]
        assert store.df("SELECT rows_rejected FROM ingested_files").rows_rejected.tolist() == [2]


def test_code_refuses_publication_dates_out_of_range(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Armenian forces shelled the Azerbaijani village of Tovuz on Sunday.\n")
    db = tmp_path / "c.duckdb"
    for published in ("9999-12-31", "0001-01-01", "1799-12-31"):
        result = run("code", str(text), "--published", published, "--into", "--db", str(db))
        assert_one_line_error(result, f"--published {published} is outside the supported range")
    assert not db.exists() or Store(db, read_only=True).count_events() == 0
    ok = run("code", str(text), "--published", "2200-01-01", "--into", "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    with Store(db, read_only=True) as store:
        assert store.df("SELECT max(event_date) AS d FROM events").d[0] <= __import__("pandas").Timestamp("2200-01-01")


def test_code_table_with_no_events_is_not_a_crash(tmp_path: Path) -> None:
    """Found in review: `code --format table` raised a KeyError when the text held no event."""
    import subprocess
    import sys

    article = tmp_path / "calm.txt"
    article.write_text("The weather in Tbilisi was mild this week, and the markets were quiet. Analysts expect "
                       "little change in the coming days, according to a report published on Monday.\n")
    run = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--format", "table",
                          "--published", "2021-03-03"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "1 article coded, 0 events" in run.stderr


def test_code_takes_a_month_or_year_publication_and_refuses_nonsense(tmp_path: Path) -> None:
    """`--published 2020-09` stores the page as published in September (known by its end), not on the 1st."""
    text = tmp_path / "a.txt"
    text.write_text("Armenian forces shelled the Azerbaijani village of Tovuz.\n")
    db = tmp_path / "c.duckdb"
    bad = run("code", str(text), "--published", "2020-13", "--into", "--db", str(db))
    assert_one_line_error(bad, "--published '2020-13' is not an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY")
    assert not db.exists()
    ok = run("code", str(text), "--published", "2020-09", "--into", "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    with Store(db, read_only=True) as store:
        rows = store.df("SELECT event_date, date_added, event_date_precision AS e, date_added_precision AS p "
                        "FROM events")
    assert len(rows) >= 1 and set(rows.e) == set(rows.p) == {"month"}
    assert {str(d)[:10] for d in [*rows.event_date, *rows.date_added]} == {"2020-09-01"}


def test_code_counts_agree_with_their_nouns_and_month_dates_show_the_month(tmp_path: Path) -> None:
    """'12 events from 1 articles' was printed; an event known only to May 2021 was tabled as 2021-05-01."""
    article = tmp_path / "may.txt"
    article.write_text("In May 2021 Azerbaijani troops crossed into Armenia near Lake Sev, Armenia said.\n")
    result = run("code", str(article), "--published", "2021-06-10", "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "1 event from 1 article" in result.stdout, result.stdout
    assert "1 article coded, 1 event from 1 report, 0 inputs skipped" in result.stderr, result.stderr
    row = next(line for line in result.stdout.splitlines() if "AZE" in line)
    assert row.startswith("│ 2021-05 ") and "2021-05-01" not in row, result.stdout
