"""The CLI imports a verb group's module only when one of its verbs runs (cli.py's VERBS table)."""

from __future__ import annotations

import importlib

import typer
from typer.main import get_group
from typer.testing import CliRunner

from geodrift.cli import VERBS, app


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
