"""The hybrid over the context coder (``--coder hybrid-context``, issue 18): the learned layer decides where the
context coder's reading is unsure or silent, and the verb sense the parse gave stands where it is sure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geodrift.coding.coder import CODERS, code_text, coder_named
from geodrift.coding.context import ContextCoder
from geodrift.coding.hybrid import HybridCoder, decided_by
from geodrift.errors import InputError


def coded(text: str, coder: str) -> list[tuple[str, str, str | None, str, str]]:
    return [(e["actor1_country"], e["event_code"], e["actor2_country"], e["modality"], decided_by(e))
            for e in code_text(text, published="2020-10-01", coder=coder)]


def test_the_parse_sense_is_kept_where_it_is_sure() -> None:
    text = "Armenia's foreign minister conferred with his Russian counterpart in Moscow on Tuesday."
    assert [c[1] for c in coded(text, "hybrid")] == ["040", "040"]  # the window matcher cannot read "* WITH"
    assert coded(text, "hybrid-context") == [("ARM", "046", "RUS", "actual", "dictionary"),
                                             ("RUS", "046", "ARM", "actual", "dictionary")]


def test_a_refusal_read_from_the_parse_is_one_sided_and_done() -> None:
    text = "Azerbaijan said it would not meet the demands of the Armenian side."
    assert ("ARM", "130", "AZE", "negated", "model") in coded(text, "hybrid")  # a threat by both, negated
    assert coded(text, "hybrid-context") == [("AZE", "125", "ARM", "actual", "dictionary")]


def test_the_coder_is_named_like_the_others() -> None:
    assert "hybrid-context" in CODERS
    chosen = coder_named("hybrid-context")
    assert isinstance(chosen, HybridCoder) and isinstance(chosen.dictionary, ContextCoder)
    with pytest.raises(InputError, match="use dictionary or hybrid or context or hybrid-context"):
        coder_named("hybrid-parse")


def test_the_cli_table_says_which_part_decided(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Japan cancelled the foreign minister's planned visit to Seoul on Monday.")
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--published", "2020-07-13",
                           "--coder", "hybrid-context", "--format", "table"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if "CAMEO" in line)
    assert header.split()[-2:] == ["by", "┃"]
    assert "164" in done.stdout and "model" in done.stdout  # the halted visit, decided by the learned layer
    shown = subprocess.run([sys.executable, "-m", "geodrift", "code", "--help"], capture_output=True, text=True,
                           env=env, timeout=120).stdout
    assert "geodrift[parse]" in shown and "hybrid-context" in shown
