"""The demo's table of the seed article's events says how many it shows of how many."""

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
