"""PETRARCH dictionaries: the readers reproduce the packaged tables, and other dictionaries can be loaded at run
time, as PETRARCH-2's unit-test records need (their actors are fictional and live in its validation files)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from bench.petrarch_validation import evaluate, records

from geodrift.coding.articles import Article
from geodrift.coding.coder import DictionaryCoder
from geodrift.coding.lexicon import Lexicon
from geodrift.coding.petrarch import parse_actors, parse_non_state_actors, parse_synsets, parse_verbs

DATA = Path(__file__).resolve().parents[2] / "src" / "geodrift" / "codebooks" / "data"


def _tsv(name: str) -> set[tuple[str, ...]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return {tuple(row.values()) for row in csv.DictReader(fh, delimiter="\t")}


def test_readers_reproduce_the_packaged_tables(shared: Path) -> None:
    folder = shared / "petrarch2" / "dictionaries"
    assert parse_verbs(folder / "CAMEO.2.0.txt") == _tsv("verbs.tsv")
    assert set(parse_synsets(folder / "CAMEO.2.0.txt")) == _tsv("verb_synsets.tsv")
    actors = (parse_actors(folder / "Phoenix.Countries.actors.txt") + parse_actors(folder / "Phoenix.International.actors.txt")
              + parse_non_state_actors(folder / "Phoenix.MilNonState.actors.txt"))
    assert set(actors) == _tsv("actors.tsv")


def validation_coder(shared: Path) -> DictionaryCoder:
    folder = shared / "petrarch2" / "dictionaries"
    return DictionaryCoder(Lexicon.from_petrarch([folder / "PETR.Validate.actors.txt"], folder / "PETR.Validate.agents.txt",
                                                 folder / "PETR.Validate.verbs.txt", event_nouns=False))


def test_fictional_states_are_states(shared: Path) -> None:
    rows = validation_coder(shared).code(Article(
        id="DEMO-00", published=dt.date(1995, 1, 1), language="en",
        text="Arnor is about to restore full diplomatic ties with Gondor almost five years after crowds trashed "
             "its embassy."))
    assert [(r["actor1_code"], r["actor2_code"], r["event_code"]) for r in rows] == [("ARN", "GON", "064")]
    assert rows[0]["actor1_country"] == "ARN"


def test_unit_test_records(shared: Path) -> None:
    """Measured, not fitted: the share of records coded exactly (0.225 when written; PETRARCH-2 itself codes
    all of them, UniversalPetrarch reports 68%)."""
    assert len(records(shared / "petrarch2" / "text" / "PETR.UnitTest.records.xml")) == 284
    result = evaluate(shared)
    assert result["records coded exactly"] >= 0.21
    assert result["strict recall"] >= 0.37  # 0.396 (0.290 before patterns covered whole blocks and coordination)
    assert result["loose recall"] >= 0.35


def test_date_restrictions_are_read_or_reported(tmp_path: Path) -> None:
    """Phoenix's own slips: a space after ">", a stray "19" before a day; days of 7 digits cannot be read and are
    reported, never dropped in silence."""
    path = tmp_path / "actors.txt"
    path.write_text("IRAQ_\n+BAGHDAD_\n\t[IRQ <20030320]\n\t[IRQOCC 1920030320-20060520]\n\t[IRQ >20060520]\n"
                    "ABDEL_FATTAH_EL-SISI_\n\t[EGYGOV > 140608]\nLEVON_TER-PETROSYAN_\n\t[ARMUNR 9008223-911221]\n")
    unreadable: list[str] = []
    rows = set(parse_actors(path, unreadable))
    assert ("BAGHDAD", "IRQOCC", "2003-03-20", "2006-05-20") in rows
    assert ("ABDEL FATTAH EL-SISI", "EGYGOV", "2014-06-08", "") in rows
    assert not [r for r in rows if r[0] == "LEVON TER-PETROSYAN"]
    assert unreadable == ["actors.txt:9: [ARMUNR 9008223-911221]"]
