"""`drift` with no change point says how much of the series had data (review 7, L1: "(none)" could not be told from
"too little data")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_cli import run


def test_no_change_point_says_how_many_periods_had_a_value(caucasus_db: Path) -> None:
    result = run("drift", "ARM", "AZE", "--from", "2020-01-01", "--to", "2024-12-31", "--db", str(caucasus_db))
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    found = re.search(r"no change point: .* \((\d+) of 60 month periods have a value, 2020-01-01 to 2024-12-01;", said)
    assert found and 0 < int(found.group(1)) < 60, said


def test_tables_print_whole_counts_without_decimals(capsys: pytest.CaptureFixture[str]) -> None:
    """Review 7, L1: a dyad table printed its weights and quad-class counts as "85.000"; a column of whole numbers
    reads as counts, and a column with any fraction keeps three places."""
    import pandas as pd

    from geodrift.cli_common import print_df

    print_df(pd.DataFrame({"events": [24, 0], "weight": [85.0, 0.0], "goldstein_sum": [-587.0, -25.6],
                           "share": [0.427, None]}), None)
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in capsys.readouterr().out.splitlines()
            if line.startswith("│")]
    assert rows == [["24", "85", "-587.000", "0.427"], ["0", "0", "-25.600", ""]]
