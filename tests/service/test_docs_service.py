"""docs/service.md and the Dockerfile say what the code does: the example geodrift.toml loads, and the commands
in the cron line, the systemd units and the container's CMD are real verbs with real options."""

from __future__ import annotations

import json
import re
from pathlib import Path

from geodrift.service.settings import load_config
from tests.test_cli import run

REPO = Path(__file__).resolve().parents[2]


def test_the_documented_geodrift_toml_loads(tmp_path: Path) -> None:
    text = (REPO / "docs/service.md").read_text()
    example = re.search(r"```toml\n(.*?)```", text, re.S)
    assert example
    path = tmp_path / "geodrift.toml"
    path.write_text(example.group(1))
    config = load_config(path)
    assert config.every == 900 and config.fetch.host_delay == 1.0 and len(config.feeds) == 2
    assert config.feeds[1].kind == "page" and config.alert_poles == ("RUS", "TUR")
    assert config.subscribers[0].pairs == ("ARM-GEO",) and config.escalation_units == ("ARM-AZE", "AZE")


def test_documented_commands_exist() -> None:
    docs = (REPO / "docs/service.md").read_text()
    dockerfile = (REPO / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))  # type: ignore[union-attr]
    commands = [cmd, *[line.split("/opt/geodrift/bin/geodrift ", 1)[1].split(">>")[0].split() for line in docs.splitlines()
                       if "/opt/geodrift/bin/geodrift " in line]]
    assert len(commands) >= 4
    for command in commands:
        verb, options = command[0], [c.split("=")[0] for c in command[1:] if c.startswith("--")]
        shown = run(verb, "--help", env={"COLUMNS": "250"})
        assert shown.returncode == 0, (verb, shown.stderr)
        for option in options:
            assert option in shown.stdout, f"{verb} has no option {option}"
