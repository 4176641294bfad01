"""The context coder (coding/context.py): PETRARCH-2's verb patterns read against a dependency parse, and the CAMEO
codebook's demand/appeal parallel and halted cooperation; only where the parse may change an act is a sentence
parsed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench.petrarch_validation import evaluate

from geodrift.coding import parser
from geodrift.coding.coder import DictionaryCoder, code_text
from geodrift.coding.context import ContextCoder, packaged_patterns
from geodrift.coding.parser import ParserMissing
from geodrift.coding.sense_rules import demanded
from geodrift.errors import InputError
from tests.test_cli import assert_one_line_error


@pytest.fixture(scope="module")
def coders() -> tuple[DictionaryCoder, ContextCoder]:
    dictionary = DictionaryCoder()
    return dictionary, ContextCoder(dictionary)


def codes(text: str, coder: DictionaryCoder) -> list[str]:
    return [e["event_code"] for e in code_text(text, published="2020-10-01", coder=coder)]


def test_a_function_word_pattern_reads_a_preposition_on_the_verb(coders: tuple[DictionaryCoder, ContextCoder]) -> None:
    dictionary, contextual = coders
    # PETRARCH-2's "CONFER * WITH" (046, consult) is left out by the window matcher; the parse reads it.
    assert any(p.function_words and p.code == "046" for p in packaged_patterns()["CONFER"])
    text = "Armenia's foreign minister conferred with his Russian counterpart in Moscow on Tuesday."
    assert codes(text, dictionary) == ["040", "040"] and codes(text, contextual) == ["046", "046"]
    # "with" in another clause is not the verb's: the dictionary's reading stays.
    other = "Armenia's foreign minister conferred in Moscow on Tuesday, and officials said the talks with Russia went well."
    assert codes(other, contextual) == codes(other, dictionary) == ["040", "040"]


def test_time_phrases_and_nouns_read_no_pattern(coders: tuple[DictionaryCoder, ContextCoder]) -> None:
    dictionary, contextual = coders
    # "phoned ... on October 10" is no "CALL * ON" (020, appeal); "battles for Shusha" is a noun, no "* FOR" (111).
    for text in ("Lavrov phoned Azerbaijan's foreign minister on October 10.",
                 "Armenian officials said that battles for Shusha were continuing."):
        assert codes(text, contextual) == codes(text, dictionary), text
    assert codes("Lavrov phoned Azerbaijan's foreign minister on October 10.", contextual) == ["041", "041"]


def test_a_demand_stays_a_demand(coders: tuple[DictionaryCoder, ContextCoder]) -> None:
    dictionary, contextual = coders
    text = "The Armenian opposition demanded early elections from the government in Yerevan."
    # PETRARCH-2's DEMAND block codes the object as an appeal (0241, dropped by PLOVER); CAMEO's parallel is 1041,
    # which the dictionary now keeps itself (coding/actions.py, issue 18), so the context coder has nothing to change.
    assert codes(text, dictionary) == codes(text, contextual) == ["1041"]
    assert demanded("100", "0241") == "1041" and demanded("100", "0234") == "1034"
    assert demanded("020", "0241") == "0241" and demanded("100", "1056") == "1056"


def test_a_halted_cooperative_act_reduces_relations(coders: tuple[DictionaryCoder, ContextCoder]) -> None:
    dictionary, contextual = coders
    cancelled = "Japan cancelled the foreign minister's planned visit to Seoul."
    assert codes(cancelled, dictionary)[-1] == "042" and codes(cancelled, contextual)[-1] == "164"
    # PETRARCH-2 reads an ended visit as the visit ("CONCLUDE * VISIT" 042): no halting.
    ended = "Japan ended the foreign minister's visit to Seoul on Friday."
    assert codes(ended, contextual) == codes(ended, dictionary) == ["042"]


def test_a_cooperative_act_its_actor_will_not_do_is_a_rejection(coders: tuple[DictionaryCoder, ContextCoder]) -> None:
    dictionary, contextual = coders
    text = "Turkey said it would not meet the Greek foreign minister in Athens."
    assert [(e["event_code"], e["modality"]) for e in code_text(text, published="2020-10-01", coder=dictionary)] == [
        ("040", "negated"), ("040", "negated")]
    # The refusal is Turkey's act, done (CAMEO 125, reject a proposal to meet); Greece refused nothing.
    rows = code_text(text, published="2020-10-01", coder=contextual)
    assert [(e["event_code"], e["modality"], e["actor1_country"]) for e in rows] == [("125", "actual", "TUR")]
    past = "Turkey's foreign minister did not meet his Greek counterpart in Athens."
    assert codes(past, contextual) == codes(past, dictionary) == ["040", "040"]


def test_a_recoded_event_gets_its_own_id(coders: tuple[DictionaryCoder, ContextCoder]) -> None:
    dictionary, contextual = coders
    text = "Japan cancelled the foreign minister's planned visit to Seoul."
    before = code_text(text, published="2020-10-01", coder=dictionary)[-1]
    after = code_text(text, published="2020-10-01", coder=contextual)[-1]
    assert after["source_event_id"] == before["source_event_id"].replace("|042|", "|164|")
    assert after["event_id"] != before["event_id"] and after["plover"] == "SANCTION" and after["quad_class"] == 4


def test_only_sentences_the_parse_may_change_are_parsed() -> None:
    coder = ContextCoder(parses_kept=10)
    # "shelled" (190) has no function-word pattern and no halting verb is near: no parse.
    assert codes("Azerbaijani forces shelled Armenian positions near Tovuz.", coder) == ["190"]
    assert not coder.parses._kept
    codes("Japan cancelled the foreign minister's planned visit to Seoul.", coder)
    assert len(coder.parses._kept) == 1


def test_petrarch_unit_tests_are_no_worse(shared: Path) -> None:
    alone = evaluate(shared)
    parsed = evaluate(shared, context=lambda dictionary, patterns: ContextCoder(dictionary, patterns=patterns))
    assert parsed["records coded exactly"] >= alone["records coded exactly"]
    assert parsed["strict precision"] >= alone["strict precision"]


def test_a_missing_parser_and_a_bad_reading_are_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="unknown reading 'deep'"):
        ContextCoder(reading="deep")
    monkeypatch.setattr(parser, "MODEL", "no_such_spacy_model")
    parser._nlp.cache_clear()
    try:
        with pytest.raises(ParserMissing, match=r"pip install 'geodrift\[parse\]'"):
            codes("Japan cancelled the foreign minister's planned visit to Seoul.", ContextCoder(parses_kept=0))
    finally:
        parser._nlp.cache_clear()


def test_cli_context_coder(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Japan cancelled the foreign minister's planned visit to Seoul on Monday.")
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--published", "2020-07-13",
                           "--coder", "context", "--format", "table"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "164" in done.stdout and "042" not in done.stdout
    wrong = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--coder", "parser"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert_one_line_error(wrong, "use dictionary or hybrid or context or hybrid-context")


def test_a_verbs_patterns_are_sorted_once_per_index() -> None:
    """Each index keeps its own sorted lists: the packaged verbs' and PETRARCH-2's validation verbs' indexes, alive
    in one process (bench/coder_report.py), never answer for each other."""
    index = packaged_patterns()
    first = index.candidates("CALL", "CALL", "patterns")
    assert first == tuple(sorted(index.get("=CALL", ()) + index.get("CALL", ()), key=lambda p: -p.size))
    assert [p.size for p in first] == sorted((p.size for p in first), reverse=True) and first
    assert index.candidates("CALL", "CALL", "patterns") is first  # kept, not sorted again
    assert all(p.function_words for p in index.candidates("CALL", "CALL", "function-words"))
    other = type(index)({"CALL": first[:1]})
    assert other.candidates("CALL", "CALL", "patterns") == first[:1]
    assert index.candidates("CALL", "CALL", "patterns") is first
