"""The CLI as a user sees it: output, exit codes, one-line errors without tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import traceback
import warnings
from pathlib import Path

import pytest

from geodrift.analytics.dyads import dyad_quad_counts
from geodrift.csvsafe import to_csv
from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, georgia_rows

GEORGIA = "gdelt-v1-georgia-2011-2013"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "geodrift", *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "200", **(env or {})}, cwd=cwd, timeout=timeout)


def invoke(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI run in this process (typer's CliRunner) with ``run``'s result, where a fresh process is not what is
    tested: a subprocess costs 2-4 s of start-up. What the process would add is kept: a 200-column console (as
    COLUMNS=200 gives ``run``), the warnings Python shows by default and an escaped exception's traceback on stderr,
    so "one line, no traceback" means the same here."""
    from typer.testing import CliRunner

    from geodrift.cli import app
    from geodrift.cli_common import err, out

    widths = [(console, console._width) for console in (out, err)]
    try:
        for console, _ in widths:
            console.width = 200
        with warnings.catch_warnings(record=True) as caught:
            warnings.resetwarnings()  # Python's defaults, not pytest's filters
            warnings.simplefilter("default")
            for quiet in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
                warnings.simplefilter("ignore", quiet)
            result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    finally:
        for console, width in widths:
            console._width = width
    stderr = result.stderr + "".join(warnings.formatwarning(w.message, w.category, w.filename, w.lineno)
                                     for w in caught)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["geodrift", *args], result.exit_code, result.stdout, stderr)


@pytest.fixture(scope="module")
def db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "g.duckdb"
    rows = georgia_rows(shared, limit=20)
    lines = [gdelt1_line(r) for r in rows]
    lines[4] = lines[4].replace(rows[4]["SQLDATE"], "2011-08-01", 1)
    messy = folder / "20110801.export.CSV"
    messy.write_text("\n".join(lines) + "\n")
    result = run("ingest", str(shared / GEORGIA / "july2012.csv.gz"), str(shared / "icews/events.2018.sample.tab"),
                 str(messy), "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "3 files ingested" in result.stdout and "1 row quarantined" in result.stdout
    return path


def assert_one_line_error(result: subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and text in lines[0], result.stderr


def test_db_info_reports_sources_months_files_and_quarantine(db: Path) -> None:
    result = run("db", "info", "--db", str(db))
    assert result.returncode == 0, result.stderr
    with Store(db, read_only=True) as store:
        total = store.count_events()
    assert f"{total:,} events" in result.stdout
    assert "gdelt1" in result.stdout and "icews" in result.stdout and "2012-07" in result.stdout
    quarantine = result.stdout.split("Quarantined rows by reason")[1]
    assert re.search(r"CAST in field SQLDATE\s*│\s*1\s*│", quarantine), quarantine
    assert re.search(r"gdelt1\s*│\s*done\s*│\s*1\s*│\s*19\s*│\s*0\s*│\s*1\s*│", result.stdout), result.stdout


def test_db_info_uses_geodrift_db_env(db: Path) -> None:
    result = run("db", "info", env={"GEODRIFT_DB": str(db)})
    assert result.returncode == 0 and str(db) in result.stdout


def test_sql_is_read_only_and_formats(db: Path) -> None:
    result = run("sql", "SELECT source, count(*) AS n FROM events GROUP BY 1 ORDER BY 1", "--format", "json",
                 "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["source"] for r in rows] == ["gdelt1", "icews"] and rows[1]["n"] == 3705
    csv_out = run("sql", "SELECT event_code FROM events WHERE event_code = '010' LIMIT 1", "--format", "csv",
                  "--db", str(db))
    assert csv_out.stdout.splitlines() == ["event_code", "010"]
    assert_one_line_error(run("sql", "DELETE FROM events", "--db", str(db)), "read-only")


def test_sql_prints_list_and_struct_columns_in_a_table(db: Path) -> None:
    """LIST columns (cluster_summary.outlets) once crashed the table format with numpy's "truth value" traceback."""
    result = run("sql", "SELECT outlets, datasets, [1.5, NULL] AS xs, []::INT[] AS none, {'n': [3]} AS s, "
                 "['a b', 'c'] AS words FROM cluster_summary ORDER BY len(outlets) DESC LIMIT 2", "--db", str(db))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    row = next(line for line in result.stdout.splitlines() if "[1.500, null]" in line)
    assert "│ [] " in row and "{n: [3]}" in row and "[a b, c]" in row, result.stdout
    assert "[icews]" in row and ", Agence France-Presse, " in row, result.stdout
    csv_out = run("sql", "SELECT ['a b', 'c'] AS words, [1, NULL] AS xs", "--format", "csv", "--db", str(db))
    assert csv_out.stdout.splitlines() == ["words,xs", '"[""a b"", ""c""]","[1, null]"'], csv_out.stdout


def test_piped_table_keeps_every_column_whole(db: Path) -> None:
    """Piped into a file or `less`, a wide table is not folded into 80 columns with headers cut to "pe…"."""
    import os

    columns = "event_id, event_date, source, actor1_country, actor2_country, event_code, quad_class, goldstein"
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = subprocess.run([sys.executable, "-m", "geodrift", "sql", f"SELECT {columns} FROM events LIMIT 2",
                             "--db", str(db)], capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "event_id" in line)
    assert "…" not in result.stdout and all(f" {c} " in header for c in columns.split(", ")), result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) > 80


def test_export_parquet(db: Path, tmp_path: Path) -> None:
    result = run("db", "export", "parquet", str(tmp_path / "pq"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pq" / "year=2018" / "month=6").is_dir()
    assert_one_line_error(run("db", "export", "xlsx", str(tmp_path), "--db", str(db)), "unknown export format")


def test_user_mistakes_get_one_line(tmp_path: Path, shared: Path) -> None:
    assert_one_line_error(run("ingest", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "a.duckdb")),
                          "no such file")
    assert_one_line_error(run("ingest", "gdelt2", "--from", "2020-13-01", "--to", "2020-07-02",
                              "--db", str(tmp_path / "a.duckdb")), "is not a date")
    assert_one_line_error(run("ingest", "gdelt2", "--from", "2020-07-02", "--db", str(tmp_path / "a.duckdb")),
                          "needs --from and --to")
    assert_one_line_error(run("ingest", str(shared / GEORGIA / "july2012.csv.gz"), "--format", "excel",
                              "--db", str(tmp_path / "a.duckdb")), "unknown format")
    assert_one_line_error(run("ingest", str(shared / GEORGIA / "july2012.csv.gz"),
                              "--db", str(tmp_path / "missing" / "x.duckdb")), "does not exist")
    assert_one_line_error(run("db", "info", "--db", str(tmp_path / "none.duckdb")), "no such database")
    assert not (tmp_path / "a.duckdb").exists(), "a mistyped --format fails before the store is created"
    Store(tmp_path / "a.duckdb").close()
    assert_one_line_error(run("sql", "SELEC 1", "--db", str(tmp_path / "a.duckdb")), "query failed")


def test_unrecognised_file_is_reported_and_others_go_on(tmp_path: Path, shared: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes\n")
    result = run("ingest", str(junk), str(shared / GEORGIA / "july2012.csv.gz"), "--db", str(tmp_path / "b.duckdb"))
    assert result.returncode == 1
    assert "failed" in result.stderr and "cannot tell the format" in result.stderr
    assert "1 file ingested" in result.stdout and "1 failed" in result.stdout


def test_demo_without_data_says_what_it_needs(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path / "demo"), "--data", str(tmp_path / "nodata"))
    assert_one_line_error(result, "GEODRIFT_DATA")


def test_demo_builds_a_store_and_prints_the_dyad_summary(shared: Path, tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path / "demo"), "--data", str(shared))
    assert result.returncode == 0, result.stderr
    assert "South Caucasus dyads" in result.stdout and "GEO-RUS" in result.stdout and "ARM-AZE" in result.stdout
    assert "Events coded from the seed article" in result.stdout and "Tovuz" in result.stdout
    assert "Flagship: Azerbaijan between Russia" in result.stdout and "UN General Assembly votes" in result.stdout
    assert re.search(r"escalation models, each the best in a backtest on the curated events to 2020-07-24 only .*"
                     r"7 days \S+ \(\d+ forecasts\)", " ".join(result.stdout.split())), "which model, and why (M15)"
    header = next(line for line in result.stdout.splitlines() if "material conflict" in line.lower())
    assert "…" not in header and max(map(len, result.stdout.splitlines())) > 80, "piped tables keep their width"
    assert not re.search(r"\bnan\b", result.stdout, re.IGNORECASE), "an unknown interval reads 'n too small'"
    assert (tmp_path / "demo" / "flagship_alignment.png").stat().st_size > 10_000
    assert (tmp_path / "demo" / "dyads_monthly.csv").is_file()
    assert str(tmp_path / "demo" / "geodrift.duckdb") in result.stdout.replace("\n", "")
    check_demo_counts(tmp_path / "demo")
    # Again into the same folder, whose store now also holds the seed article as an older build coded it and
    # appended it (other event ids beside these, no record of the document): the re-coded article replaces both
    # codings, so every count is as after one run. Run again is the demo's store half (ingest, seed article, UN
    # votes), then the dyads and the analysis the counts read, as the demo makes them: its forecasts and its other
    # documents read the store and write nothing the counts see (a whole second run took ~85 s of the test's 180).
    once = demo_counts(tmp_path / "demo")
    from geodrift.demo import SEED_PUBLISHED, seed_article
    from geodrift.ingest import store_coded
    from geodrift.ingest_text import code_files
    from tests.test_recode import OlderCoder

    older = code_files([shared.parent / "seed"], published=SEED_PUBLISHED, prepare=seed_article, coder=OlderCoder())
    with Store(tmp_path / "demo" / "geodrift.duckdb") as store:
        store_coded(store, older.events, older.evidence, "code:seed (an older build)")
        store.con.execute("DELETE FROM coded_documents")
    assert demo_counts(tmp_path / "demo") != once
    assert demo_again(shared, tmp_path / "demo") == once


def demo_again(shared: Path, folder: Path) -> dict[str, object]:
    """The demo's store steps run again into ``folder`` (every file already ingested), and ``demo_counts`` of the
    store, the dyads and the analysis as the demo would write them now."""
    import datetime as dt
    import io

    from rich.console import Console

    from geodrift import demo
    from geodrift.analytics.unvotes import load_unvotes
    from geodrift.ingest import ingest_files
    from geodrift.report.analysis import build_analysis
    from geodrift.report.forecasts import stored_forecasts
    from geodrift.report.render import render_markdown

    with Store(folder / "geodrift.duckdb") as store:
        assert {r.status for r in ingest_files(store, demo.demo_inputs(shared))} == {"skipped"}
        demo.code_seed(store, shared.parent / "seed", Console(file=io.StringIO()))
        load_unvotes(store, shared / "unvotes", shared / "unga-idealpoints" / "IdealpointsJuly2025.csv")
        dyads = to_csv(dyad_quad_counts(store, demo.CAUCASUS, "month"))
        analysis = render_markdown(build_analysis(
            store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1), dt.date(2021, 1, 1), folder / "again",
            forecasts=stored_forecasts(store, ["AZE", "AZE-TUR", "AZE-RUS"], demo.BRIEF_DAY)))
    return {**demo_counts(folder, tables_only=True), "dyads": dyads, "analysis": analysis_counts(analysis)}


def demo_counts(folder: Path, tables_only: bool = False) -> dict[str, object]:
    """The demo store's rows per table and the dyad and analysis counts it wrote."""
    import duckdb

    con = duckdb.connect(str(folder / "geodrift.duckdb"), read_only=True)
    try:
        found: dict[str, object] = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                                    for t in ("events", "evidence", "clusters", "cluster_summary", "cluster_units")}
    finally:
        con.close()
    if tables_only:
        return found
    found["dyads"] = (folder / "dyads_monthly.csv").read_text(encoding="utf-8")
    found["analysis"] = analysis_counts((folder / "analysis" / "analysis_AZE_RUS_TUR.md").read_text(encoding="utf-8"))
    return found


def analysis_counts(analysis: str) -> list[str]:
    """The analysis' "N events (M reports)" phrases."""
    return re.findall(r"\d+ (?:distinct )?events? \(\d+ reports?\)", analysis)


def check_demo_counts(folder: Path) -> None:
    """Issue 15: the analysis' thesis, its table and its event view count the same distinct events and reports, and
    no sentence of the analysis or the briefing has more events than reports."""
    import re

    analysis = (folder / "analysis" / "analysis_AZE_RUS_TUR.md").read_text(encoding="utf-8")
    thesis = re.search(r"from (\d+) event clusters? \((\d+) reports?; \d+ real-world events?\) with Russia and (\d+) "
                       r"\((\d+) reports?; \d+ real-world events?\) with Turkey", analysis)
    assert thesis, "the thesis gives event clusters and reports per pole"
    n_a, r_a, n_b, r_b = map(int, thesis.groups())
    rows = re.findall(r"^\| \d{4}-\d\d(?:-\d\d)? \| (\d+) \((\d+)\) \| (\d+) \((\d+)\) \|", analysis, re.M)
    assert rows and [sum(int(r[i]) for r in rows) for i in range(4)] == [n_a, r_a, n_b, r_b]
    view = re.findall(r"^Azerbaijan–(?:Russia|Turkey): (\d+) event clusters? \((\d+) reports?\)", analysis, re.M)
    assert [tuple(map(int, v)) for v in view] == [(n_a, r_a), (n_b, r_b)]
    briefing = next((folder / "briefing").glob("briefing_*.md")).read_text(encoding="utf-8")
    for text in (analysis, briefing):
        pairs = re.findall(r"(\d+) (?:distinct events?|events?|event clusters?) \((\d+) reports?", text)
        assert pairs and all(int(e) <= int(r) for e, r in pairs)


def test_tables_show_a_month_only_date_as_its_month(caucasus_db: Path) -> None:
    """A record known only to its month is stored on the 1st; a table shows '2020-07', not '2020-07-01'."""
    one = "(SELECT event_id, event_date, event_date_precision FROM events WHERE event_date_precision = '{}' " \
          "ORDER BY event_id LIMIT 1)"
    result = run("sql", f"SELECT * FROM ({one.format('month')} UNION ALL {one.format('day')}) "
                 "ORDER BY event_date_precision DESC", "--db", str(caucasus_db))
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "curated:" in line]
    assert re.search(r"│ \d{4}-\d{2} +│ month", rows[0]) and re.search(r"│ \d{4}-\d{2}-\d{2} │ day", rows[1]), rows
