"""The coder's mistakes a reader found on a fresh article about the 13 September 2022 Azerbaijani attack on Armenia
(issue 18, review 7, finding H2; the article is tests/data/articles/jermuk-2022.txt): each test holds the reader's
sentence and others of the same shape written for it, and failed before its fix."""

from __future__ import annotations

from geodrift.coding.coder import code_text

PUBLISHED = "2022-09-13"


def events(text: str, published: str = PUBLISHED, coder: str = "dictionary") -> list[tuple[object, ...]]:
    """(source country, CAMEO code, target country, modality, place) of each coded event."""
    return [(e["actor1_country"], e["event_code"], e["actor2_country"], e["modality"], e["action_geo_name"])
            for e in code_text(text, published=published, coder=coder)]


def test_a_speakers_time_or_manner_before_the_reports_setting_keeps_the_act_one_sided() -> None:
    """Review 5's fix held for "X said, in the worst fighting ..." but not "X said on Tuesday, in ...": the shelling
    became mutual again (ARM MIL 190 AZE MIL)."""
    lead = ("Azerbaijani forces shelled Armenian towns including Jermuk, Goris and Vardenis overnight, Armenia's "
            "defence ministry said on Tuesday, in the worst fighting between the two countries since the 2020 war over "
            "Nagorno-Karabakh.")
    assert {(e[0], e[1], e[2]) for e in events(lead)} == {("AZE", "190", "ARM")}
    for said in ("said late on Tuesday,", "said on Sept. 13,", "said in a statement,", "said this morning,"):
        other = f"Azerbaijani forces shelled Armenian towns overnight, Armenia's defence ministry {said} amid clashes."
        assert {(e[0], e[2]) for e in events(other)} == {("AZE", "ARM")}, said


def test_a_first_name_after_a_title_is_no_place() -> None:
    """Six phone calls were placed at "Antony" (a town near Paris), from Antony Blinken."""
    calls = ("Pashinyan spoke by phone with Russian President Vladimir Putin, French President Emmanuel Macron and "
             "U.S. Secretary of State Antony Blinken.")
    found = events(calls)
    assert found and {e[4] for e in found} == {None}
    met = events("U.S. Secretary of State Antony Blinken met Armenian Foreign Minister Ararat Mirzoyan in Washington.")
    assert met and {e[4] for e in met} == {"Washington"}
    # a place after a title-like word but not before a name is still a place
    assert {e[4] for e in events("Azerbaijani President Ilham Aliyev visited Shusha.")} == {"Shusha"}
