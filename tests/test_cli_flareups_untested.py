"""`geodrift flareups` never answers a bare "no flare-up" over conflict events it could not test: news coded from a
source without its own history of the pair is counted and said (flare-ups per source, docs/methods.md)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run

_SENTENCES = ["Azerbaijani forces shelled Armenian positions near Tavush on {day}.",
              "Armenian troops attacked Azerbaijani posts in Tovuz on {day}.",
              "Azerbaijani artillery shelled Armenian border villages on {day}.",
              "Armenian forces fired on Azerbaijani soldiers near Tovuz on {day}.",
              "Azerbaijani drones struck Armenian positions in Tavush on {day}."]


def test_news_of_a_new_source_is_said_untested(shared: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert run("ingest", str(shared / "caucasus-2020-events/events.jsonl"), "--db", db).returncode == 0
    days = [("2024-08-12", "Monday"), ("2024-08-13", "Tuesday"), ("2024-08-14", "Wednesday")]
    burst = tmp_path / "burst.jsonl"
    burst.write_text("".join(
        json.dumps({"id": f"n{i}{j}", "url": f"https://outlet{j}.example/{i}", "outlet": f"outlet{j}.example",
                    "published": published, "text": sentence.format(day=name)}) + "\n"
        for i, (published, name) in enumerate(days) for j, sentence in enumerate(_SENTENCES)), encoding="utf-8")
    coded = run("code", str(burst), "--into", "--db", db)
    assert coded.returncode == 0, coded.stderr
    table = run("flareups", "ARM", "AZE", "--from", "2024-07-01", "--db", db)
    assert table.returncode == 0, table.stderr
    assert "material-conflict events in 1 period (from 2024-08-12) not tested" in table.stdout, table.stdout
    assert "fewer than 8 periods of their own history" in table.stdout
    csv = run("flareups", "ARM", "AZE", "--from", "2024-07-01", "--format", "csv", "--db", db)
    assert csv.returncode == 0 and "not tested" in csv.stderr and "not tested" not in csv.stdout, csv.stderr
