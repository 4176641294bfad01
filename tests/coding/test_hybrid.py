"""The hybrid coder: the shipped model loads and is calibrated, it decides only where the dictionary is unsure or
silent, every event says which part decided it, and its training data keeps the evaluation sets out."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from tools.build_event_model import caucasus, descriptions, gate_sentences, held_out, no_events, tuning

from geodrift.coding.articles import Article
from geodrift.coding.base import chunks, sentences
from geodrift.coding.coder import DictionaryCoder, code_text
from geodrift.coding.gate import EVENT_CLASSES, WIDTH, features, gate_classes
from geodrift.coding.hybrid import HybridCoder, decided_by, reading
from geodrift.coding.model import CLASSES, ROOTS, event_class, masked, packaged_model
from tests.test_cli import assert_one_line_error


@pytest.fixture(scope="module")
def summaries(shared: Path) -> list[dict]:  # type: ignore[type-arg]
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    return [r for r in rows if r["language"] == "en" and len(r["published"] or "") == 10]


def test_classes_roots_and_masking() -> None:
    assert [event_class(c) for c in (None, "none", "010", "036", "057", "112", "19")] == [
        "none", "none", "statement", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
    assert masked("Armenian troops shelled Tovuz.") == "X troops shelled X"
    assert [reading(c) for c in ([], ["194"], ["190", "190"], ["190", "042"])] == ["silent", "sure", "generic", "conflicting"]


def test_model_probabilities() -> None:
    model = packaged_model()
    roots = model.roots("Armenian forces shelled Azerbaijani villages overnight.", ["194"])
    assert tuple(roots) == ROOTS and abs(sum(roots.values()) - 1) < 1e-9
    assert max(roots, key=roots.__getitem__) == "19"
    p = model.probabilities("Armenian forces shelled Azerbaijani villages overnight.", ["194"])
    assert tuple(p) == CLASSES and abs(p["material_conflict"] - roots["19"] - roots["18"] - roots["20"]
                                       - roots["14"] - roots["15"] - roots["16"] - roots["17"]) < 1e-9
    assert set(model.representative) == set(ROOTS[1:])
    # Calibrated P(none): high for a heading-like aside, low for a report.
    assert model.roots("The old town is known for its narrow streets and wooden balconies.", [])["none"] > 0.5
    assert roots["none"] < 0.1


def test_the_model_reads_the_static_sentence_embedding() -> None:
    model = packaged_model()
    assert model.version == "6" and model.embedding is None
    assert model.tokens is not None and model.tokens.shape == (30522, len(ROOTS))
    sentence = "Militiamen bombarded the outskirts of the town overnight."
    read = model.roots(sentence, [])
    assert read == model.roots(sentence, [], model.vectors([sentence])[0])
    blind = model.roots(sentence, [], np.zeros(len(ROOTS)))
    assert abs(read["none"] - blind["none"]) > 0.01 or abs(read["19"] - blind["19"]) > 0.01
    # What the embedding adds is the mean of its tokens' rows: "bombarded" pushes towards 19 (fight) more than
    # "praised" does.
    fight, praise = model.vectors(["Militiamen bombarded the town.", "Militiamen praised the town."])
    assert fight is not None and praise is not None
    assert fight[ROOTS.index("19")] - praise[ROOTS.index("19")] > 0


def test_the_hybrid_coder_never_loads_the_transformer_runtime() -> None:
    """Model version 5 reads a static table: coding needs the tokenizer, not onnxruntime (~0.4 s and ~5 ms of CPU
    a sentence)."""
    script = ("import sys; from geodrift.coding.coder import code_text; from geodrift.coding.hybrid import HybridCoder; "
              "events = code_text('Militiamen bombarded the outskirts of Tovuz overnight, Azerbaijan said.', "
              "published='2020-07-12', coder=HybridCoder()); "
              "print(len(events) > 0, sorted(m for m in ('onnxruntime', 'tokenizers', 'pandas') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True ['tokenizers']"


def test_an_article_codes_as_its_sentences_would_alone() -> None:
    """The model's sentences are embedded in one batch per article: that must not change any decision."""
    text = ("Azerbaijani forces shelled Armenian positions near Tovuz on Sunday. Turkish soldiers and military hardware "
            "arrived in Azerbaijan by July 30 for a joint ten-day exercise, an Iranian analysis outlet reported. The "
            "museum in Baku holds old carpets. In a call with Russia's top diplomat on July 13, Azerbaijan's foreign "
            "minister blamed Armenia for a provocation on the border and warned of further retaliation.")
    coder = HybridCoder()
    key = ("actor1_code", "event_code", "actor2_code", "confidence")
    whole = [(*(e[k] for k in key), decided_by(e)) for e in code_text(text, published="2020-07-13", coder=coder)]
    alone = [(*(e[k] for k in key), decided_by(e)) for _, _, s in sentences(text)
             for e in code_text(s, published="2020-07-13", coder=coder)]
    assert whole == alone and any(by == "model" for *_, by in whole)


def test_articles_coded_together_get_the_events_they_get_alone(summaries: list[dict]) -> None:  # type: ignore[type-arg]
    """code_many embeds the sentences of many articles in shared batches; no article's events may change."""
    articles = [Article(id=str(i), text=r["summary"], published=r["published"], language="en")
                for i, r in enumerate(summaries[:40])]
    coder = HybridCoder()
    together = coder.code_many(articles)
    assert together == [coder.code(a) for a in articles]
    assert any(decided_by(e) == "model" for rows in together for e in rows)
    assert [len(c) for c in chunks(range(600))] == [256, 256, 88] and list(chunks([])) == []


def test_events_say_who_decided() -> None:
    coder = HybridCoder()
    events = code_text("Azerbaijani forces shelled Armenian positions near Tovuz.", published="2020-07-14", coder=coder)
    assert events and {decided_by(e) for e in events} == {"dictionary"}
    assert code_text("Tbilisi, 3 March 2021.", published="2021-03-03", coder=coder) == []


def test_the_model_never_overrides_a_sure_dictionary_match(summaries: list[dict]) -> None:  # type: ignore[type-arg]
    dictionary = DictionaryCoder()
    hybrid = HybridCoder(dictionary)
    sure = changed = 0
    for r in summaries:
        if len(list(sentences(r["summary"]))) > 1:
            continue  # the dictionary's reading is a sentence's: another sentence may be one the model decides
        plain = code_text(r["summary"], published=r["published"], coder=dictionary)
        mixed = code_text(r["summary"], published=r["published"], coder=hybrid)
        if reading([e["event_code"] for e in plain]) == "sure":
            sure += 1
            assert [e["event_code"] for e in mixed] == [e["event_code"] for e in plain]
            assert {decided_by(e) for e in mixed} == {"dictionary"}
        else:
            changed += any(decided_by(e) == "model" for e in mixed)
    assert sure > 100 and changed > 0  # both parts decide somewhere in 471 real summaries


def test_training_data_keeps_the_evaluation_sets_out(shared: Path) -> None:
    rows = caucasus(shared) + descriptions(random.Random(1)) + no_events(random.Random(1))
    texts = {" ".join(t.split()) for t, _, _ in rows}
    plover = {" ".join(r["text"].split()) for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text())
              if "text" in r}
    unit_tests = {" ".join((s.findtext("Text") or "").split())
                  for s in ET.parse(shared / "petrarch2/text/PETR.UnitTest.records.xml").getroot().iter("Sentence")}
    assert texts and not texts & plover and not texts & unit_tests
    events = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    trained = {r["summary"] for r in events if not held_out(r["article_id"]) and not tuning(r["article_id"])}
    kept = {r["summary"] for r in events if held_out(r["article_id"]) or tuning(r["article_id"])} - trained
    assert len(kept) > 150 and not texts & kept


def test_cli_hybrid_coder_says_who_decided(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Azerbaijani forces shelled Armenian positions near Tovuz on Sunday. Armenian troops hit back.")
    env = {**os.environ, "COLUMNS": "200"}
    table = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--published", "2020-07-13",
                            "--coder", "hybrid", "--format", "table"], capture_output=True, text=True, env=env, timeout=120)
    assert table.returncode == 0, table.stderr
    # "shelled" is the dictionary's generic 190; the hybrid names its mode, heavy weapons (194; coding/modes.py).
    # The table labels the dictionary part "dict" (the column must fit 80 characters; JSON says "dictionary").
    assert " by " in table.stdout and "│ dict │" in table.stdout and "AZE MIL │ 194" in table.stdout
    lines = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--published", "2020-07-13",
                            "--coder", "hybrid"], capture_output=True, text=True, env=env, timeout=120).stdout
    events = [json.loads(line) for line in lines.splitlines()]
    assert events and all(e["source_event_id"].endswith(("|dictionary", "|model")) for e in events)
    wrong = subprocess.run([sys.executable, "-m", "geodrift", "code", str(article), "--coder", "bert"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert_one_line_error(wrong, "unknown --coder 'bert'")


def test_the_gate_reads_the_dictionary_and_the_model() -> None:
    """The gate's input: the model's class probabilities, the dictionary's main act, all its acts and its reading; a
    gate that only trusts the dictionary's main act follows it, whatever the model says."""
    model = packaged_model()
    assert model.gate is not None and model.gate.shape == (WIDTH + 1, len(EVENT_CLASSES))
    p = model.roots("Russia's foreign ministry said Moscow would help Armenia.", ["070", "190"])
    x = features(p, ["070", "190"], "070", "conflicting")
    assert x.shape == (WIDTH,) and x[5 + 3] == 1 and x[11 + 2] == x[11 + 4] == 1 and x[16 + 2] == 1
    follow = np.zeros((WIDTH + 1, len(EVENT_CLASSES)))
    for k in range(len(EVENT_CLASSES)):
        follow[5 + 1 + k, k] = 10.0  # main act of class k -> class k
    chosen = gate_classes(follow, p, ["070", "190"], "070", "conflicting")
    assert abs(sum(chosen.values()) - 1) < 1e-9 and max(chosen, key=chosen.__getitem__) == "material_cooperation"
    assert max(gate_classes(follow, p, ["190"], "190", "generic").items(), key=lambda kv: kv[1])[0] == "material_conflict"


def test_the_gate_recodes_a_sentence_the_dictionary_reads_as_talks() -> None:
    """Called the shelling aggression: the dictionary's first act is a phone call (041) beside the shelling (190);
    the shipped gate reads an accusation (verbal conflict), which the model without the gate does not."""
    sentence = ("Armenian defence minister David Tonoyan on Monday called the Azerbaijani shelling of Berd unprovoked "
                "aggression against Armenia.")
    plain = code_text(sentence, published="2020-10-15", coder=DictionaryCoder())
    assert reading([e["event_code"] for e in plain]) == "conflicting"
    without = code_text(sentence, published="2020-10-15",
                        coder=HybridCoder(model=dataclasses.replace(packaged_model(), gate=None)))
    # Without the gate the model keeps the dictionary's acts (the shelling's generic 190 named by its mode, 194).
    assert [e["event_code"] for e in without] == [e["event_code"] for e in plain if e["event_code"] != "190"] + ["194"]
    gated = code_text(sentence, published="2020-10-15", coder=HybridCoder())
    assert event_class(gated[0]["event_code"]) == "verbal_conflict" and decided_by(gated[0]) == "model"
    assert gated[0]["confidence"] >= 0.5


def test_the_gate_learns_only_from_sets_the_model_never_saw(shared: Path) -> None:
    """The gate's sentences: the PLOVER development split and the caucasus tuning fifth; never the PLOVER hold-out,
    the caucasus held-out fifth or the sentences the event model was trained on."""
    rows = gate_sentences(shared)
    texts = {t for t, *_ in rows}
    records = [r for r in json.loads((shared / "plover/PLOVER_GSR_CAMEO.json").read_text()) if "event" in r and "text" in r]
    assert {r["text"] for i, r in enumerate(records) if i % 5} <= texts
    assert not {r["text"] for r in records[::5]} & texts
    events = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    tuned = {r["summary"] for r in events if tuning(r["article_id"])}
    other = {r["summary"] for r in events if not tuning(r["article_id"])} - tuned
    assert tuned & texts and not other & texts and not {t for t, _, _ in caucasus(shared)} & texts
    assert {r[3] for r in rows} == {"PLOVER development", "caucasus tuning fifth"}
    assert {r[2] for r in rows} <= set(EVENT_CLASSES)


def _coded(sentence: str, published: str, coder: DictionaryCoder | HybridCoder) -> list[tuple[str, str, str | None, str]]:
    return [(e["actor1_code"], e["event_code"], e["actor2_code"], e["source_event_id"].rsplit("|", 4)[1])
            for e in code_text(sentence, published=published, coder=coder)]


def test_a_root_the_dictionary_lacks_recodes_only_the_main_act() -> None:
    """Two acts in one sentence: the model's decision is about the main act (the help), so the fighting the offer
    depends on keeps the dictionary's code and says the dictionary decided it."""
    sentence = ("Russia's foreign ministry responded that Moscow would help Armenia under the 1997 treaty only if "
                "fighting reached Armenian territory.")
    plain = _coded(sentence, "2020-11-04", DictionaryCoder())
    assert [(a, c, b) for a, c, b, _ in plain] == [("RUS", "070", "ARM"), ("ARM", "190", None)]
    events = code_text(sentence, published="2020-11-04", coder=HybridCoder())
    assert [(e["actor1_code"], e["event_code"], e["actor2_code"], decided_by(e)) for e in events] == [
        ("RUS", "030", "ARM", "model"), ("ARM", "190", None, "dictionary")]
    assert events[1]["event_id"] == code_text(sentence, published="2020-11-04", coder=HybridCoder())[1]["event_id"]
    # Three events of the main act (mediating between three parties) change together; the three of the other act
    # (their dispute) keep the dictionary's code.
    sentence = "The EU has been trying to mediate between Turkey and Greece and Cyprus in their eastern Mediterranean dispute."
    plain = _coded(sentence, "2020-09-10", DictionaryCoder())
    mixed = code_text(sentence, published="2020-09-10", coder=HybridCoder())
    assert len({act for *_, act in plain}) == 2 and len(mixed) == len(plain) == 6
    assert [(e["event_code"], decided_by(e)) for e in mixed] == [("040", "model")] * 3 + [("110", "dictionary")] * 3
    assert [e["actor2_code"] for e in mixed[:3]] == ["TUR", "GRC", "CYP"]


def test_a_sentence_of_one_act_is_recoded_whole() -> None:
    """One act: every event it gives is the main act's, and all of them change (both sides of the joint centre;
    the one event of the counteroffensive)."""
    sentence = ("Turkey's defence ministry spokesman Zeki Akturk said on Thursday, April 18, that the joint "
                "Russian-Turkish ceasefire monitoring centre in Aghdam would be shut down.")
    plain = _coded(sentence, "2024-04-18", DictionaryCoder())
    assert [(a, c) for a, c, _, _ in plain] == [("RUS", "090"), ("TUR", "090")] and len({p[3] for p in plain}) == 1
    mixed = code_text(sentence, published="2024-04-18", coder=HybridCoder())
    assert [(e["actor1_code"], e["event_code"], decided_by(e)) for e in mixed] == [("RUS", "163", "model"),
                                                                                  ("TUR", "163", "model")]
    sentence = "Azerbaijan said it launched a counteroffensive against Armenian forces in Nagorno-Karabakh on Sunday."
    assert [c for _, c, _, _ in _coded(sentence, "2020-09-27", DictionaryCoder())] == ["010"]
    mixed = code_text(sentence, published="2020-09-27", coder=HybridCoder())
    assert [(e["actor1_code"], e["event_code"], e["actor2_code"], decided_by(e)) for e in mixed] == [
        ("AZE", "190", "ARMMIL", "model")]
    assert mixed[0]["event_base_code"] == "190" and mixed[0]["quad_class"] == 4


@pytest.mark.parametrize(("sentence", "source", "target"), [
    ("Armenian President Armen Sarkissian was on holiday on Monday, while Azerbaijan's foreign minister remained at "
     "home.", "ARM", None),
    ("Armenian President Armen Sarkissian was on holiday on Monday; Azerbaijan's foreign minister remained at home.",
     "ARM", None),
    ("Armenian President Armen Sarkissian was on holiday in Italy on Monday, while Azerbaijan's foreign minister "
     "remained at home.", "ARM", "ITA"),
])
def test_an_event_the_model_creates_keeps_to_its_clause(sentence: str, source: str, target: str | None) -> None:
    """The model's own event (the dictionary silent) went from the first actor to the next of another country
    anywhere in the sentence, here Azerbaijan's minister in the clause after "while"; the dictionary's parties keep to
    their clause. The thresholds make the model create an event whatever it thinks of the sentence."""
    coder = HybridCoder(none_threshold=1.01, create_threshold=0.0)
    events = code_text(sentence, published="2020-10-01", coder=coder)
    assert [(e["actor1_country"], e["actor2_country"], decided_by(e)) for e in events] == [(source, target, "model")]
