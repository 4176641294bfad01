"""The demo's tables: the seed article's events say how many it shows of how many, and numbers read as in the
reports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from geodrift import demo
from geodrift.demo import code_seed
from geodrift.store import Store


def test_the_demo_says_how_many_seed_events_it_shows(shared: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Reader 7 (M2): "Events coded from the seed article (12 ...)" was followed by 10 rows and no word of the rest.
    The article now gives 9 events (commentary no longer coded), so the table is cut at 5 to test the cut."""
    monkeypatch.setattr(demo, "SEED_ROWS", 5)
    out = io.StringIO()
    with Store(tmp_path / "seed.duckdb") as store:
        code_seed(store, shared.parent / "seed", Console(file=out, width=200))
        coded = int(store.df("SELECT count(*) AS n FROM events WHERE source = 'text'").n[0])
    assert coded > 5 and f"(5 shown of {coded}, all in the store: source 'text'" in out.getvalue()


def test_the_demo_prints_numbers_as_the_analysis_does(report_store: Store, shared: Path, tmp_path: Path) -> None:
    """Reader, 3 December: the demo's flagship table printed November 2020's alignment as "+0.00" (the analysis says
    "0.00": a sign there claims a direction) and UN-vote agreement as "+0.71" (the analysis says "71%"); the seed
    table headed its actors "source", the word every other table uses for a dataset."""
    out = io.StringIO()
    demo._flagship(report_store, tmp_path, Console(file=out, width=200))
    text = out.getvalue()
    november = next(line for line in text.splitlines() if "2020-11" in line)
    assert "│ 0.00 │" in " ".join(november.split()), november
    assert "+0.00" not in text and "-0.00" not in text
    row = next(line for line in text.splitlines() if line.lstrip("│ ").startswith("2019"))
    agreement = [cell.strip() for cell in row.split("│") if cell.strip()][1:3]
    assert all(cell.endswith("%") and not cell.startswith("+") for cell in agreement), row
    seed = io.StringIO()
    with Store(tmp_path / "seed.duckdb") as store:
        code_seed(store, shared.parent / "seed", Console(file=seed, width=200))
    header = next(line for line in seed.getvalue().splitlines() if "modality" in line)
    assert "actor" in header and "source" not in header, header
