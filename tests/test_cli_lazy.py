"""The CLI imports a verb group's module only when one of its verbs runs (cli.py's VERBS table)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import typer
from typer.main import get_group
from typer.testing import CliRunner

from geodrift.cli import VERBS, app

SRC = Path(__file__).resolve().parents[1] / "src"

STORE_AND_REPORTS = ("duckdb", "pandas", "plotly", "weasyprint", "sklearn", "scipy", "geodrift.store",
                     "geodrift.clustering", "geodrift.lake_store", "geodrift.store_recode", "geodrift.ingest",
                     "geodrift.analytics", "geodrift.report", "geodrift.forecast", "geodrift.web", "geodrift.api")
"""What coding text to JSON lines never needs: the store stack, the tables, the reports, the server."""


def test_the_verbs_table_lists_what_each_module_registers() -> None:
    for module, verbs in VERBS.items():
        group = typer.Typer()
        importlib.import_module(f"geodrift.{module}").register(group)
        assert tuple(get_group(group).commands) == verbs, module


def test_help_lists_every_verb_and_an_unknown_one_gets_a_suggestion() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["--help"], terminal_width=200).output
    for verb in ("ingest", "sql", "demo", "db", *(v for verbs in VERBS.values() for v in verbs)):
        assert f"│ {verb} " in listed, verb
    wrong = runner.invoke(app, ["dyad"])
    assert wrong.exit_code == 2 and "dyads" in wrong.output


def test_geodrift_code_without_a_store_imports_neither_the_store_nor_the_reports(tmp_path: Path) -> None:
    text = tmp_path / "short.txt"
    text.write_text("YEREVAN, July 14 - Azerbaijani forces shelled the Armenian village of Aygepar in the Tavush "
                    "region on Tuesday, Armenia's defence ministry said.", encoding="utf-8")
    probe = ("import json, sys; from typer.testing import CliRunner; from geodrift.cli import app; "
             "done = CliRunner().invoke(app, ['code', sys.argv[1], '--published', '2020-07-14']); "
             "print(json.dumps({'exit': done.exit_code, 'output': done.stdout, "
             "'loaded': sorted(m for m in sys.modules if m.split('.')[0] in sys.argv[2:] or "
             "any(m == n or m.startswith(n + '.') for n in sys.argv[2:]))}))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", probe, str(text), *STORE_AND_REPORTS], env=env, capture_output=True,
                          text=True, timeout=600, check=True)
    result = json.loads(done.stdout.splitlines()[-1])
    events = [json.loads(line) for line in result["output"].splitlines()]
    assert result["exit"] == 0 and any(e["event_root_code"] == "19" and e["actor1_country"] == "AZE" for e in events)
    assert result["loaded"] == []
