"""A "sentence" of thousands of characters without a full stop (a table, a list, scraped navigation, a hostile post)
is coded in clause-sized pieces, every character in one of them: its coding grew faster than its length (20,000
characters took 4 CPU-seconds; attack review 6, F9). Timing is measured in bench/long_sentence_bench.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geodrift import code_text
from geodrift.coding.base import sentences
from geodrift.coding.pieces import LONG_SENTENCE


@pytest.fixture(scope="module")
def summaries(shared: Path) -> list[str]:
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    return [r["summary"].rstrip(".") for r in rows if r["language"] == "en" and r["summary"]]


def test_a_run_on_is_cut_at_commas_into_pieces_that_cover_it(summaries: list[str]) -> None:
    text = ", ".join(summaries)[:30_000]  # real news clauses joined without a full stop
    spans = list(sentences(text))
    assert len(spans) >= 30_000 // LONG_SENTENCE
    assert all(text[a:b] == piece and len(piece) <= LONG_SENTENCE for a, b, piece in spans)
    assert all(piece.endswith((",", ";", ":")) for _, _, piece in spans[:-1]), "cut between clauses, not inside one"
    assert re.sub(r"\s+", "", "".join(p for _, _, p in spans)) == re.sub(r"\s+", "", text), "nothing left out"


def test_a_run_on_without_commas_is_cut_between_words() -> None:
    clause = "Armenian forces shelled Azerbaijani villages and Russia urged Turkey to help Georgia"
    text = " ".join([clause] * 300)
    spans = list(sentences(text))
    assert all(len(p) <= LONG_SENTENCE and text[a:b] == p for a, b, p in spans)
    assert all(text[b:b + 1] == " " for _, b, _ in spans[:-1]), "never mid-word when there are spaces"
    assert list(sentences("x" * 2_500)) == [(0, 1000, "x" * 1000), (1000, 2000, "x" * 1000), (2000, 2500, "x" * 500)]


def test_short_sentences_are_untouched(summaries: list[str]) -> None:
    text = ". ".join(summaries[:50]) + "."
    assert all(piece.endswith(".") for _, _, piece in sentences(text)), "each ends where its sentence does"


def test_a_run_on_codes_what_its_clauses_say() -> None:
    """The events of a 20,000-character run-on are those of its clause: shelling, appeals, evidence quoting a piece."""
    clause = "Armenian forces shelled Azerbaijani villages and Russia urged Turkey to help Georgia"
    coded = code_text(" ".join([clause] * 240), published="2020-07-24")
    pairs = {(e["actor1_country"], e["event_code"][:2], e["actor2_country"]) for e in coded}
    assert ("ARM", "19", "AZE") in pairs, pairs
    assert coded and all(len(e["evidence_sentence"]) <= LONG_SENTENCE for e in coded)
    assert all(clause in e["evidence_sentence"] for e in coded), "evidence quotes a piece of whole clauses"
