"""The learned layer: a linear model over a sentence's words, characters, meaning and the dictionary's own reading, that
says which CAMEO root a sentence reports, or none (issue 18).

Labels: ``none`` and the twenty CAMEO roots ``01`` .. ``20``; the five classes of the evaluation (statement,
verbal/material cooperation, verbal/material conflict) are sums of roots (``event_class``). Features: TF-IDF of word
1-2-grams and character 2-5-grams of the sentence with capitalised words masked (names do not say what happened,
and masking keeps the model from learning who fights whom in its training data), plus one token for each root the
dictionary's actions fall in, and an embedding that carries what words mean beyond the ones seen in training: the
sentence's MiniLM embedding in version 4, in version 5 (shipped) the mean of its tokens' rows of a static table
distilled from MiniLM (coding/embedding.py), ~25 times cheaper. P(none) is recalibrated (Platt scaling fitted on
out-of-fold predictions of the training data). The weights are trained by tools/build_event_model.py from data we
may use (see its docstring) and shipped as numpy arrays (coding/data/event_model.npz, read without pickle): no
download.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from geodrift.coding.embedding import embed, token_ids

CLASSES = ("none", "statement", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
ROOTS = ("none", *(f"{r:02d}" for r in range(1, 21)))
MODEL_FILE = "event_model.npz"
CACHE_WORDS = 100_000
_CAPITALISED = re.compile(r"\b[A-Z][\w'\-.]*")
_WORDS = re.compile(r"\b\w\w+\b")


def event_class(code: str | None) -> str:
    """The class of a CAMEO code or root (None or "none": no event)."""
    if not code or code == "none":
        return "none"
    root = int(code[:2])
    if root == 1:
        return "statement"
    return CLASSES[2 + (root >= 5) + (root >= 9) + (root >= 14)]


def masked(sentence: str) -> str:
    """``sentence`` with capitalised words replaced by ``X`` ("Armenia shelled Tovuz" -> "X shelled X")."""
    return _CAPITALISED.sub("X", sentence)


def dictionary_tokens(codes: list[str]) -> str:
    """The dictionary's reading as words the model can weigh ("dict_19 dict_01"; "dict_silent" without an act)."""
    return " ".join(sorted({f"dict_{c[:2]}" for c in codes})) or "dict_silent"


def grams(sentence: str, codes: list[str]) -> tuple[list[str], list[str]]:
    """Word 1-2-grams (with the dictionary's tokens) and character 2-5-grams within words, of the masked,
    lower-cased sentence: what both training and coding count."""
    text = masked(sentence).lower()
    tokens = _WORDS.findall(text) + dictionary_tokens(codes).split()
    words = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    chars = []
    for word in text.split():
        padded = f" {word} "
        chars += [padded[k:k + n] for n in range(2, 6) for k in range(len(padded) - n + 1)]
    return words, chars


@dataclass(frozen=True)
class EventModel:
    """Shipped weights: a TF-IDF vocabulary per analyser, its idf, one weight column per label, and the Platt
    parameters of P(none)."""

    words: dict[str, int]
    chars: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    """(features, labels): row i holds feature i's weight for every label, so a sentence reads only its own rows."""
    intercept: np.ndarray
    version: str
    representative: dict[str, str]
    """Root -> the CAMEO code an event gets when the model chose a root no dictionary action of the sentence has
    (the root's most frequent code in the hand-coded training summaries, else its generic code "NN0")."""
    none_platt: tuple[float, float]
    """P(none) calibrated = sigmoid(a * logit(p) + b)."""
    embedding: np.ndarray | None = None
    """(384, labels): the weights of the MiniLM sentence embedding's dimensions (version 4), else None."""
    tokens: np.ndarray | None = None
    """(vocabulary, labels), version 5: each WordPiece token's row of the static table (``embedding.distilled``)
    times the weights of its dimensions, so that a sentence's mean of the table's rows, weighted, is the mean of
    its tokens' rows here: no transformer at coding time."""
    gate: np.ndarray | None = None
    """Version 6: the learned gate's weights (coding/gate.py), else None (HybridCoder then uses its class rule)."""
    cache: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    """Word -> its character-gram indices, filled while coding."""

    @classmethod
    def from_arrays(cls, data: Any) -> EventModel:
        """The model from the shipped arrays (``numpy.load`` of the .npz, no pickle)."""
        meta = json.loads(str(data["meta"]))
        if tuple(meta["labels"]) != ROOTS:
            raise ValueError(f"model labels {meta['labels']} are not {ROOTS}")
        words, chars = data["words"].tolist(), data["chars"].tolist()
        return cls(dict(zip(words, range(len(words)), strict=True)), dict(zip(chars, range(len(chars)), strict=True)),
                   data["idf"].astype(float), np.ascontiguousarray(data["coef"].T, dtype=float),
                   data["intercept"].astype(float), meta["version"], meta["representative"], tuple(meta["none_platt"]),
                   data["embedding"].astype(float) if "embedding" in data.files else None,
                   data["tokens"].astype(np.float32) if "tokens" in data.files else None,
                   data["gate"].astype(float) if "gate" in data.files else None)

    def vectors(self, sentences: Sequence[str]) -> list[np.ndarray | None]:
        """What the sentences' embeddings add to each label's score, computed in one batch (None each for a model
        without embeddings)."""
        if self.tokens is not None:
            return [self.tokens[ids].mean(axis=0, dtype=float) if ids else np.zeros(len(ROOTS))
                    for ids in token_ids(sentences)]
        if self.embedding is None:
            return [None] * len(sentences)
        return list(embed(sentences) @ self.embedding)

    def _part(self, grams_: list[str], vocabulary: dict[str, int], offset: int) -> tuple[list[int], np.ndarray]:
        counts: dict[int, int] = {}
        for gram in grams_:
            if (i := vocabulary.get(gram)) is not None:
                counts[offset + i] = counts.get(offset + i, 0) + 1
        index = list(counts)
        values = np.fromiter(counts.values(), float, len(index)) * self.idf[index]
        norm = math.sqrt(float(values @ values))
        return index, values / norm if norm else values

    def _char_indices(self, word: str) -> np.ndarray:
        """Indices of the character grams of one word (cached: news repeats its words)."""
        found = self.cache.get(word)
        if found is None:
            padded = f" {word} "
            found = np.array([j for n in range(2, 6) for k in range(len(padded) - n + 1)
                              if (j := self.chars.get(padded[k:k + n])) is not None], dtype=np.int64)
            if len(self.cache) < CACHE_WORDS:
                self.cache[word] = found
        return found

    def roots(self, sentence: str, codes: list[str], vector: np.ndarray | None = None) -> dict[str, float]:
        """P(label) for one sentence and the CAMEO codes the dictionary found in it, P(none) calibrated; ``vector``
        is what its embedding adds to the scores if already computed (``vectors``)."""
        text = masked(sentence).lower()
        tokens = _WORDS.findall(text) + dictionary_tokens(codes).split()
        w_index, w_values = self._part(tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)], self.words, 0)
        found = [self._char_indices(word) for word in text.split()]
        c_index, counts = np.unique(np.concatenate(found) if found else np.zeros(0, np.int64), return_counts=True)
        c_index += len(self.words)
        c_values = counts * self.idf[c_index]
        norm = math.sqrt(float(c_values @ c_values))
        c_values = c_values / norm if norm else c_values
        scores = self.intercept + w_values @ self.weights[w_index] + c_values @ self.weights[c_index]
        if vector is None:
            vector = self.vectors([sentence])[0]
        if vector is not None:
            scores = scores + vector
        scores = np.exp(scores - scores.max())
        p = scores / scores.sum()
        a, b = self.none_platt
        raw = min(max(float(p[0]), 1e-9), 1 - 1e-9)
        none = 1 / (1 + math.exp(-(a * math.log(raw / (1 - raw)) + b)))
        rest = (1 - none) / max(1e-12, 1 - raw)
        return {"none": none, **{root: float(v) * rest for root, v in zip(ROOTS[1:], p[1:], strict=True)}}

    def probabilities(self, sentence: str, codes: list[str]) -> dict[str, float]:
        """P(class) of the five classes and none (sums of ``roots``)."""
        p = dict.fromkeys(CLASSES, 0.0)
        for root, value in self.roots(sentence, codes).items():
            p[event_class(root)] += value
        return p


def model_classes(roots: dict[str, float]) -> dict[str, float]:
    """P(class) of the five event classes from P(root), none left out (their sum is 1 - P(none))."""
    p = dict.fromkeys(CLASSES[1:], 0.0)
    for root, value in roots.items():
        if root != "none":
            p[event_class(root)] += value
    return p


@cache
def packaged_model() -> EventModel:
    """The shipped model (read once)."""
    with resources.files("geodrift.coding").joinpath("data", MODEL_FILE).open("rb") as handle:
        return EventModel.from_arrays(np.load(handle, allow_pickle=False))
