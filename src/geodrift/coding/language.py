"""Which language an article is in, and which of its sentences the coder can read.

py3langid (a model shipped in its wheel) names the language of a text; a sentence mostly in a non-Latin script
("Мы призываем стороны ...", a quote in an English report) is set apart from the text around it, so an English
article quoting one Russian sentence is coded from its English sentences, and the quote is reported as not
coded, instead of the whole article being taken for Russian (or Kyrgyz) and skipped.
"""

from __future__ import annotations

import io
import lzma
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGE_CONFIDENCE = 0.8
"""Normalised probability below which a detected language is not trusted: on a headline or a few words py3langid
guesses wildly ("Baku hits back" -> 'id' at 0.15, "Armenia protests" -> 'sk' at 0.06), while a real sentence in
another language scores above 0.95."""


_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "out_feat", "nextmove_row")
"""The arrays of py3langid's model, in the order the cache file holds them."""


@cache
def identifier() -> Any:
    """py3langid's identifier, its model read from the coder's cache folder (coding/compiled.py): the wheel ships it
    LZMA-compressed, and unpacking its 68 MB took ~0.4 s of CPU in every ``geodrift code``. The cache file holds the
    model's arrays as .npy records one after another, not as the .npz the wheel packs: the cache's own checksum
    already vouches for its bytes, and reading a 68 MB .npz computed a second one (the zip's CRC-32), ~0.1 s."""
    from py3langid import modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from geodrift.coding import compiled
    from geodrift.config import coder_cache

    source, folder = MODEL_DIR / MODEL_FILE, coder_cache()
    if folder is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    key = compiled.cache_key("langid", packages=[("py3langid", source)])
    import numpy as np

    def write(target: Path) -> None:
        with lzma.open(source) as packed, np.load(io.BytesIO(packed.read()), allow_pickle=False) as model, \
                target.open("wb") as out:
            for name in _MODEL_ARRAYS:
                np.save(out, model[name], allow_pickle=False)

    path = compiled.verified(folder, "langid", key, ".npy") or compiled.store(folder, "langid", key, ".npy", write)
    if path is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    with path.open("rb") as file:  # the layout modelio.load_model reads after unpacking
        ptc, pc, classes, nextmove, out_feat, row = (np.load(file, allow_pickle=False) for _ in _MODEL_ARRAYS)
    return LanguageIdentifier(ptc, pc, classes.tolist(), modelio._to_array(nextmove), out_feat.tolist(),
                              norm_probs=True, tk_row=modelio._to_array(row))


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's language (py3langid, a model shipped in the wheel), or ``default`` (the declared
    language, else English) when the detection is not confident enough to trust (short texts, names only) and
    the text is in plain Latin letters (a short Cyrillic line is still not English)."""
    code, probability = identifier().classify(text[:5000])
    letters = [c for c in text[:5000] if c.isalpha()]
    latin = sum(c.isascii() for c in letters) >= 0.9 * len(letters)
    return default if probability < LANGUAGE_CONFIDENCE and latin else str(code)


OTHER_SCRIPT = 0.5
"""Share of a sentence's letters outside the Latin alphabet from which it is set apart as another language."""
ENGLISH_SHARE = 0.5
"""Share of an article's letters its Latin-script part needs to be coded when its language is not detected with
confidence: a Russian report with a few Latin names ("Reuters", "OSCE") is Russian, not an unsure English text."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SENTENCE = re.compile(r"\S(?:.*?[.!?…][\"'»”’)]*(?=\s|$)|.*$)")
"""A sentence within a paragraph: up to ., !, ? or … (and a closing quote) before a space, or to the paragraph's end."""


def _latin(c: str) -> bool:
    return c.isascii() or unicodedata.name(c, "").startswith("LATIN")


def _letters(text: str) -> tuple[int, int]:
    """(letters, letters outside the Latin alphabet) of ``text``."""
    letters = [c for c in text if c.isalpha()]
    return len(letters), sum(not _latin(c) for c in letters)


def _other_script(text: str) -> bool:
    """Whether ``text`` has a letter outside the Latin alphabet (looked for among its few non-ASCII characters)."""
    return not text.isascii() and any(c.isalpha() and not _latin(c) for c in set(_NON_ASCII.findall(text)))


@dataclass(frozen=True)
class Split:
    """An article's text divided by language: what the coder reads and what it sets apart."""

    text: str
    """The text with its sentences in another script blanked out (the whole text when there are none): what is kept
    stays at its offsets."""
    language: str
    """The language of ``text``: the declared one, else detected (English when too short to tell)."""
    set_apart: list[str]
    """Sentences in another script, left out of ``text``."""
    other: str | None
    """Their language, as detected."""
    sentences: int
    """Sentences of the whole text (counted only when some are set apart)."""
    share: float
    """Share of the article's letters in ``text``."""


def split_by_language(text: str, declared: str | None = None) -> Split:
    """``text`` (paragraphs separated by blank lines) with its sentences in another script set apart, and the
    language of the rest: the declared one, else detected; when that is unsure and the rest is less than half the
    article (the Latin names of a Russian report) the article's language is that of the sentences set apart."""
    if not _other_script(text):  # one script: the whole text, as before sentences were set apart
        return Split(text, declared or detect_language(text), [], None, 0, 1.0)
    apart: list[str] = []
    kept = 0
    rest = text
    offset = 0
    for paragraph in text.split("\n\n"):
        for match in _SENTENCE.finditer(paragraph):
            counts = _letters(match.group())
            if counts[1] > OTHER_SCRIPT * counts[0]:
                apart.append(match.group())
                # blanked, not cut: what is kept stays at its place, so evidence offsets point into the text given
                start, end = offset + match.start(), offset + match.end()
                rest = rest[:start] + " " * (end - start) + rest[end:]
            else:
                kept += 1
        offset += len(paragraph) + 2
    if not apart:  # a few letters of another script within sentences ("the so-called «Вагнер» group")
        return Split(text, declared or detect_language(text), [], None, 0, 1.0)
    rest = rest.rstrip()
    sentences = len(apart) + kept
    share = _letters(rest)[0] / max(1, _letters(text)[0])
    other_language = detect_language(" ".join(apart))
    if not rest.strip():
        return Split("", other_language, apart, other_language, sentences, 0.0)
    if declared:
        return Split(rest, declared, apart, other_language, sentences, share)
    code, probability = identifier().classify(rest[:5000])
    sure = probability >= LANGUAGE_CONFIDENCE
    language = str(code) if sure else "en" if share >= ENGLISH_SHARE else other_language
    return Split(rest, language, apart, other_language, sentences, share)
