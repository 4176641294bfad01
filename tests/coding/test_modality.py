"""Modality of an action from the words before its verb, kept apart from the CAMEO code."""

from __future__ import annotations

import pytest

from geodrift.coding.modality import modality_of
from geodrift.events import Modality

CASES = [
    ("Azerbaijani forces shelled Armenian positions near Tovuz.", "shelled", Modality.ACTUAL),
    ("Baku said it would hold joint exercises with Ankara.", "hold", Modality.ANNOUNCED),
    ("Syria says it is willing to withdraw its troops from Lebanon.", "withdraw", Modality.ANNOUNCED),
    ("Norway pledged to send aid to Armenia.", "send", Modality.ANNOUNCED),
    ("Kofi Annan announced that he will withdraw inspectors from Iraq.", "withdraw", Modality.ANNOUNCED),
    ("Russia and Turkey did not interfere in the fighting.", "interfere", Modality.NEGATED),
    ("Armenia denied that its troops had shelled Tovuz.", "shelled", Modality.NEGATED),
    ("Ankara threatened to cut gas supplies to Yerevan.", "cut", Modality.THREATENED),
    ("Moscow could send peacekeepers if both sides agree.", "send", Modality.HYPOTHETICAL),
]


@pytest.mark.parametrize(("sentence", "verb", "expected"), CASES)
def test_modality(sentence: str, verb: str, expected: Modality) -> None:
    assert modality_of(sentence, sentence.index(verb)) is expected
