"""CSV output cannot carry a live spreadsheet formula; numbers stay numbers; JSON keeps raw values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from geodrift.csvsafe import neutralise, neutralise_cell, to_csv
from tests.formula_events import PAYLOADS, formula_store
from tests.test_cli import run


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_no_formula(rows: list[list[str]]) -> None:
    """No cell starts a formula (negative numbers aside)."""
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r", "\n", "\0")), rows
            assert not cell.startswith("-") or cell[1:].replace(".", "", 1).isdigit(), rows


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_gets_a_quote(payload: str) -> None:
    assert neutralise_cell(payload) == "'" + payload.replace("\r", "\n")


@pytest.mark.parametrize("value", ["-3.5", "+1", "1e-3", "-.5", "plain", "", "CAMEO 010", -3.5, 7, None])
def test_numbers_and_plain_text_stay(value: object) -> None:
    assert neutralise_cell(value) == value


def test_a_lone_carriage_return_cannot_start_a_row() -> None:
    written = to_csv(pd.DataFrame({"a": ["fine\r=HYPERLINK(1)"], "b": [1]}))
    assert written is not None
    assert cells(written) == [["a", "b"], ["fine\n=HYPERLINK(1)", "1"]]


def test_every_text_dtype_and_header_is_neutralised_and_numbers_keep_their_type() -> None:
    frame = pd.DataFrame({
        "=name": ["=1+1", "ok"], "arrow": pd.Series(["@x", None], dtype=pd.ArrowDtype(pa.string())),
        "string": pd.Series(["+2+2", pd.NA], dtype="string"), "category": pd.Categorical(["-1+1", "-1+1"]),
        "number": [-3.5, 2.0], "count": [-1, 2], "flag": [True, False]})
    safe = neutralise(frame)
    assert list(safe.columns) == ["'=name", "arrow", "string", "category", "number", "count", "flag"]
    assert safe.iloc[0, :4].tolist() == ["'=1+1", "'@x", "'+2+2", "'-1+1"]
    assert safe.number.dtype == float and safe["count"].dtype == int and safe.flag.dtype == bool
    assert frame.iloc[0, 0] == "=1+1", "the input frame is not changed"


def test_gzip_target(tmp_path: Path) -> None:
    to_csv(pd.DataFrame({"a": ["=1"]}), tmp_path / "x.csv.gz")
    assert pd.read_csv(tmp_path / "x.csv.gz").a.tolist() == ["'=1"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(formula_store(tmp_path_factory.mktemp("csvsafe")))


def test_cli_sql_csv_is_neutralised_and_json_raw(db: str) -> None:
    query = "SELECT actor1_name, outlet, action_geo_name, goldstein, -3.5 AS negative FROM events ORDER BY event_id"
    result = run("sql", query, "--format", "csv", "--db", db)
    assert result.returncode == 0, result.stderr
    rows = cells(result.stdout)
    assert_no_formula(rows)
    assert [r[0] for r in rows[1:]] == ["'" + p.replace("\r", "\n") for p in PAYLOADS]
    assert {(r[3], r[4]) for r in rows[1:]} == {("-10.0", "-3.5")}
    raw = json.loads(run("sql", query, "--format", "json", "--db", db).stdout)
    assert [r["actor1_name"] for r in raw] == PAYLOADS


def test_cli_header_cells_are_neutralised(db: str) -> None:
    result = run("sql", """SELECT 1 AS "=HYPERLINK(""http://x"",""y"")" """, "--format", "csv", "--db", db)
    assert result.returncode == 0, result.stderr
    assert cells(result.stdout)[0] == ["'=HYPERLINK(\"http://x\",\"y\")"]


def test_cli_analytics_csv_is_neutralised(db: str) -> None:
    # One row per report: the payload records are one happening, so counting clusters would show one of them.
    result = run("map", "ARM", "AZE", "--unit", "reports", "--format", "csv", "--db", db)
    assert result.returncode == 0, result.stderr
    rows = cells(result.stdout)
    assert len(rows) == len(PAYLOADS) + 1
    assert_no_formula(rows)
