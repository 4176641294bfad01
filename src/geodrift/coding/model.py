"""The learned layer: a linear model over a sentence's words, characters and the dictionary's own reading, that
says which kind of event a sentence reports, or none (issue 18).

Classes: ``none``, ``statement`` (CAMEO 01), ``verbal_cooperation`` (02-04), ``material_cooperation`` (05-08),
``verbal_conflict`` (09-13), ``material_conflict`` (14-20). Features: TF-IDF of word 1-2-grams and character
2-5-grams of the sentence with capitalised words masked (names do not say what happened, and masking keeps the
model from learning who fights whom in its training data), plus one token for each class the dictionary's
actions fall in. The weights are trained by tools/build_event_model.py from data we may use (see its
docstring) and shipped as JSON (coding/data/event_model.json.gz): no pickle, no download.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

CLASSES = ("none", "statement", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
MODEL_FILE = "event_model.json.gz"
_CAPITALISED = re.compile(r"\b[A-Z][\w'\-.]*")


def event_class(code: str | None) -> str:
    """The class of a CAMEO code (None: no event)."""
    if not code:
        return "none"
    root = int(code[:2])
    if root == 1:
        return "statement"
    return CLASSES[2 + (root >= 5) + (root >= 9) + (root >= 14)]


def masked(sentence: str) -> str:
    """``sentence`` with capitalised words replaced by ``X`` ("Armenia shelled Tovuz" -> "X shelled X")."""
    return _CAPITALISED.sub("X", sentence)


def dictionary_tokens(codes: list[str]) -> str:
    """The dictionary's reading as words the model can weigh ("dict_material_conflict dict_any")."""
    return " ".join(sorted({f"dict_{event_class(c)}" for c in codes})) or "dict_silent"


def grams(sentence: str, codes: list[str]) -> tuple[list[str], list[str]]:
    """Word 1-2-grams (with the dictionary's tokens) and character 2-5-grams within words, of the masked,
    lower-cased sentence: what both training and coding count."""
    text = masked(sentence).lower()
    tokens = re.findall(r"\b\w\w+\b", text) + dictionary_tokens(codes).split()
    words = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    chars = []
    for word in text.split():
        padded = f" {word} "
        chars += [padded[k:k + n] for n in range(2, 6) for k in range(len(padded) - n + 1)]
    return words, chars


@dataclass(frozen=True)
class EventModel:
    """Shipped weights: a TF-IDF vocabulary per analyser, its idf, and one weight row per class."""

    words: dict[str, int]
    chars: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    version: str
    representative: dict[str, str]
    """Class -> the CAMEO code an event of that class gets when no dictionary action names it (the class's most
    frequent dictionary code in the hand-coded training summaries)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventModel:
        if tuple(data["classes"]) != CLASSES:
            raise ValueError(f"model classes {data['classes']} are not {CLASSES}")
        return cls(data["words"], data["chars"], np.asarray(data["idf"]), np.asarray(data["coef"]),
                   np.asarray(data["intercept"]), data["version"], data["representative"])

    def features(self, sentence: str, codes: list[str]) -> np.ndarray:
        """The sentence's feature vector: TF-IDF of each analyser, each part L2-normalised."""
        vector = np.zeros(len(self.idf))
        word_grams, char_grams = grams(sentence, codes)
        offset = len(self.words)
        for gram in word_grams:
            if (i := self.words.get(gram)) is not None:
                vector[i] += 1
        for gram in char_grams:
            if (j := self.chars.get(gram)) is not None:
                vector[offset + j] += 1
        for part in (slice(0, offset), slice(offset, None)):
            vector[part] *= self.idf[part]
            norm = np.linalg.norm(vector[part])
            if norm:
                vector[part] /= norm
        return vector

    def probabilities(self, sentence: str, codes: list[str]) -> dict[str, float]:
        """P(class) for one sentence and the CAMEO codes the dictionary found in it."""
        scores = self.coef @ self.features(sentence, codes) + self.intercept
        scores = np.exp(scores - scores.max())
        return dict(zip(CLASSES, (scores / scores.sum()).tolist(), strict=True))


@cache
def packaged_model() -> EventModel:
    """The shipped model (read once)."""
    raw = resources.files("geodrift.coding").joinpath("data", MODEL_FILE).read_bytes()
    return EventModel.from_json(json.loads(gzip.decompress(raw)))
