"""`drift` with no change point says how much of the series had data (review 7, L1: "(none)" could not be told from
"too little data")."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_cli import run


def test_no_change_point_says_how_many_periods_had_a_value(caucasus_db: Path) -> None:
    result = run("drift", "ARM", "AZE", "--from", "2020-01-01", "--to", "2024-12-31", "--db", str(caucasus_db))
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    found = re.search(r"no change point: .* \((\d+) of 60 month periods have a value, 2020-01-01 to 2024-12-01;", said)
    assert found and 0 < int(found.group(1)) < 60, said
