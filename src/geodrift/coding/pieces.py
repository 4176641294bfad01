"""Over-long "sentences" cut into clause-sized pieces before coding (coder.sentences), so a text without full stops
costs about as much to code as the same text with them."""

from __future__ import annotations

import re
from collections.abc import Iterator

LONG_SENTENCE = 1_000
"""Characters past which a "sentence" is coded in clause-sized pieces: the coder's work on one sentence grows faster
than its length (actors, parties and places are searched around every verb), so 20,000 characters without a full stop
(a table, a list, scraped navigation) took 4 CPU-seconds and 200,000 minutes (attack review 6, F9). News sentences
stay far below it."""

_CUTS = ((re.compile(r"[;:](?=\s)"), 1), (re.compile(r",(?=\s)"), 1),
         (re.compile(r"\s(?=(?:and|but|while|after|before)\s)"), 0), (re.compile(r"\s"), 0))
"""Where an over-long sentence may be cut, best first: after a semicolon or colon, after a comma, before a
conjunction, else between words (each with how many characters of the match stay on the left)."""


def pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """text[start:end] cut, when over LONG_SENTENCE characters, at the best boundary (``_CUTS``) in the second half
    of each stretch of that length; mid-word only when the stretch has no space at all."""
    while end - start > LONG_SENTENCE:
        window = text[start:start + LONG_SENTENCE]
        cut = next((last.start() + keep for pattern, keep in _CUTS
                    if (last := _last(pattern, window, LONG_SENTENCE // 2)) is not None), LONG_SENTENCE)
        piece = text[start:start + cut].rstrip()
        if piece:
            yield start, start + len(piece), piece
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if text[start:end].strip():
        yield start, end, text[start:end]


def _last(pattern: re.Pattern[str], text: str, after: int) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text`` starting past ``after``."""
    matches = list(pattern.finditer(text, after))
    return matches[-1] if matches else None
