"""The context coder's parser start-up (coding/parser.py, issue 18): the model is loaded lean (only the pipes the
verb-sense rules read, its tokenizer built once) with the same trees as the whole model, and not at all when no
sentence needs a parse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geodrift.coding.parser import MODEL, _nlp

SENTENCES = (
    "Armenia's foreign minister conferred with his Russian counterpart in Moscow on Tuesday.",
    "Japan cancelled the foreign minister's planned visit to Seoul on Monday.",
    "Protesters demanded the resignation of Prime Minister Nikol Pashinyan outside the U.S. embassy in Yerevan.",
    "Azerbaijan said it would not meet the demands, calling them \"unacceptable\" (Reuters) - 12 civilians died.",
    "The CSTO's secretary-general, Stanislav Zas, didn't rule out sending peacekeepers to the Armenian-Azerbaijani "
    "border by mid-October.",
)


def _trees(nlp: object, texts: list[str]) -> list[list[tuple[str, int, str, int, bool]]]:
    return [[(t.text, t.idx, t.dep_, t.head.i, t.like_num) for t in doc] for doc in nlp.pipe(texts)]  # type: ignore[attr-defined]


def test_only_the_read_pipes_are_loaded_and_the_trees_are_the_whole_models(shared: Path) -> None:
    import spacy

    lean = _nlp()
    assert lean.component_names == ["tok2vec", "parser"]  # nothing excluded is built
    whole = spacy.load(MODEL)
    assert lean.tokenizer.to_bytes() == whole.tokenizer.to_bytes()  # the model's own tokenizer, built once
    rows = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    texts = [*SENTENCES, *(r["summary"] for r in rows[:150])]
    assert _trees(lean, texts) == _trees(whole, texts)


@pytest.mark.parametrize(("text", "loaded"), [
    ("Armenian forces shelled the village of Tovuz on Sunday.", False),  # a specific code: no pattern can change it
    ("Japan cancelled the foreign minister's planned visit to Seoul on Monday.", True),
])
def test_spacy_is_imported_only_when_a_sentence_needs_a_parse(text: str, loaded: bool) -> None:
    script = ("import sys; from geodrift.coding.coder import code_text; "
              f"events = code_text({text!r}, published='2020-07-13', coder='context'); "
              "print(len(events), 'spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy(),
                          timeout=120, check=True)
    count, imported = done.stdout.split()
    assert int(count) > 0 and imported == str(loaded)
