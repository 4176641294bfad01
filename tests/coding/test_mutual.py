"""Both sides of mutual acts get an event each; agreements name both parties (issue 18, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from geodrift.coding.coder import code_text

DAY = dt.date(2021, 3, 3)


def coded(text: str) -> set[tuple[str | None, str, str | None]]:
    return {(e["actor1_country"], e["event_code"], e["actor2_country"]) for e in code_text(text, published=DAY)}


@pytest.mark.parametrize(("text", "code"), [
    ("Pashinyan met Putin in Moscow on Tuesday.", "040"),
    ("Aliyev signed the Shusha declaration with Erdogan.", "057"),
    ("Armenian troops clashed with Azerbaijani forces.", "190"),
    ("Putin spoke by phone with Erdogan.", "041"),
    ("Russia agreed with Turkey on a joint monitoring centre.", "030"),
])
def test_both_sides(text: str, code: str) -> None:
    events = coded(text)
    pair = {(a, b) for a, c, b in events if c == code}
    assert len(pair) == 2 and {(b, a) for a, b in pair} == pair


def test_met_and_signed_gives_the_signing_to_both() -> None:
    events = coded("Georgian Prime Minister Irakli Garibashvili met Azerbaijani President Ilham Aliyev in Baku and "
                   "signed an agreement on energy cooperation.")
    assert {("GEO", "057", "AZE"), ("AZE", "057", "GEO"), ("GEO", "040", "AZE"), ("AZE", "040", "GEO")} <= events
    assert not any(code == "057" and target is None for _, code, target in events)


@pytest.mark.parametrize("text", ["Aliyev hosted Erdogan in Baku.", "Azerbaijan agreed to return Kalbajar to Armenia.",
                                  "Azerbaijani forces shelled Armenian positions."])
def test_one_sided_acts_stay_one_sided(text: str) -> None:
    assert len(coded(text)) == 1


def test_a_clash_and_its_aftermath_in_one_sentence_are_one_event_per_side() -> None:
    """The seed article's clash sentence also gave each side a target-less "seize or damage property" (171) from
    "the sporadic violence has continued", which briefings then listed as two more developments."""
    assert coded("On July 12, Armenian and Azerbaijani forces clashed in the Tovuz border region – far from the "
                 "disputed region of Nagorno-Karabakh, where such clashes usually take place – and the sporadic "
                 "violence has continued ever since.") == {("ARM", "190", "AZE"), ("AZE", "190", "ARM")}
    assert coded("Azerbaijani troops shelled Armenian positions and seized a hill near Tovuz.") == {
        ("AZE", "190", "ARM")}
    assert ("AZE", "020", None) in coded("Azerbaijani forces shelled Armenian positions, and Azerbaijan later called "
                                         "for talks."), "another quad class is another act"
