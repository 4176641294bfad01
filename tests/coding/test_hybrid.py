"""The hybrid coder: the shipped model loads, decides classes, and every event says which part decided it."""

from __future__ import annotations

from geodrift.coding.coder import code_text
from geodrift.coding.hybrid import HybridCoder
from geodrift.coding.model import CLASSES, event_class, masked, packaged_model


def test_classes_and_masking() -> None:
    assert [event_class(c) for c in (None, "010", "036", "057", "112", "190")] == [
        "none", "statement", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
    assert masked("Armenian troops shelled Tovuz.") == "X troops shelled X"


def test_model_probabilities() -> None:
    model = packaged_model()
    p = model.probabilities("Armenian forces shelled Azerbaijani villages overnight.", ["190"])
    assert set(p) == set(CLASSES) and abs(sum(p.values()) - 1) < 1e-9
    assert max(p, key=p.__getitem__) == "material_conflict"
    assert set(model.representative) >= set(CLASSES[1:])


def test_events_say_who_decided() -> None:
    coder = HybridCoder()
    events = code_text("Azerbaijani forces shelled Armenian positions near Tovuz.", published="2020-07-14", coder=coder)
    assert events and all(e["source_event_id"].rsplit("|", 1)[1] in ("dictionary", "model") for e in events)
    assert code_text("Tbilisi, 3 March 2021.", published="2021-03-03", coder=coder) == []
