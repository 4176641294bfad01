"""The dictionary coder's mistakes a reader found on a fresh Tovuz follow-up article (issue 18, review 3: items H4
and M9), each from the reader's own sentence; each test failed before its fix, except the headline's (already right
on the coderfix branch, kept so it stays right)."""

from __future__ import annotations

from geodrift.coding.coder import code_text

PUBLISHED = "2021-09-14"


def events(text: str, published: str = PUBLISHED) -> list[tuple[object, ...]]:
    """(source country, CAMEO code, target country, modality, place, date, precision) of each coded event."""
    return [(e["actor1_country"], e["event_code"], e["actor2_country"], e["modality"], e["action_geo_name"],
             str(e["event_date"]), e["event_date_precision"]) for e in code_text(text, published=published)]


def test_an_accusation_after_a_denial_is_made_and_a_capital_is_its_government() -> None:
    coded = events("Armenia denied shelling Azerbaijani positions and accused Baku of staging the incident.")
    accusations = [e for e in coded if str(e[1]).startswith("11")]
    assert [(e[0], e[2], e[3]) for e in accusations] == [("ARM", "AZE", "actual")]
    assert [(e[0], e[2], e[3]) for e in coded if str(e[1]).startswith("19")] == [("ARM", "AZE", "negated")]
    assert all(e[4] != "Baku" for e in coded)  # Baku is accused, nothing happened there


def test_an_appeal_after_a_phone_call_reaches_both_coordinated_parties() -> None:
    coded = events("Russian Foreign Minister Sergei Lavrov phoned his Armenian counterpart Ararat Mirzoyan on Tuesday "
                   "and urged Armenia and Azerbaijan to show restraint.")
    assert {(e[0], e[2]) for e in coded if str(e[1]).startswith("02")} == {("RUS", "ARM"), ("RUS", "AZE")}
    assert all(e[4] is None for e in coded)  # no place Ararat


def test_an_attack_on_its_positions_targets_the_speaker_once() -> None:
    coded = events("Azerbaijan's defence ministry said on Monday that Armenian forces fired on its positions near the "
                   "village of Kalbajar overnight, wounding two soldiers.")
    assert [(e[0], str(e[1])[:2], e[2], e[4]) for e in coded] == [("ARM", "19", "AZE", "Kalbajar")]


def test_sending_troops_is_one_sided() -> None:
    coded = events("Turkey did not send troops to Azerbaijan, the ministry said.", "2021-09")
    assert [(e[0], e[2], e[3]) for e in coded] == [("TUR", "AZE", "negated")]


def test_next_month_is_the_month_after_publication() -> None:
    coded = events("Azerbaijan and Turkey will hold joint military exercises in Nakhchivan next month, the ministry said.")
    assert {(e[5], e[6], e[3]) for e in coded} == {("2021-10-01", "month", "announced")}


def test_an_agreement_to_hold_talks_is_made_now_and_the_talks_are_announced_for_their_day() -> None:
    coded = events("Armenia and Azerbaijan agreed with Russia to hold talks in Moscow on 5 October.", "2021-09")
    agreements = {(e[0], e[2], e[3], e[5], e[6]) for e in coded if str(e[1]).startswith("03")}
    assert agreements == {(a, b, "actual", "2021-09-01", "month")
                          for a, b in [("ARM", "RUS"), ("RUS", "ARM"), ("AZE", "RUS"), ("RUS", "AZE")]}
    talks = [e for e in coded if str(e[1]).startswith("04")]
    assert talks and {(e[3], e[5], e[6]) for e in talks} == {("announced", "2021-10-05", "day")}


def test_protesters_gathering_at_an_embassy_protest_against_its_country() -> None:
    coded = events("Protesters gathered outside the Russian embassy in Tbilisi on 13 September.")
    assert [(e[0], e[1], e[2], e[4], e[5]) for e in coded] == [("GEO", "141", "RUS", "Tbilisi", "2021-09-13")]


def test_a_headline_trading_accusations_is_an_accusation_by_each_side() -> None:
    coded = events("Azerbaijan and Armenia trade accusations after new border shooting")
    assert {(e[0], str(e[1])[:2], e[2]) for e in coded} == {("AZE", "11", "ARM"), ("ARM", "11", "AZE")}
