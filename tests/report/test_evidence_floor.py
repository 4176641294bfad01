"""Reader review M11: an evidence list shows no weight that rounds to nothing and never "-0.00"; the items under the
floor are counted under the heading with their summed weight instead of listed."""

from __future__ import annotations

import pandas as pd

from geodrift.report.evidence import collapse
from geodrift.report.evidence_lists import WEIGHT_FLOOR, evidence_sections
from geodrift.report.narrative import TemplateNarrator, signed

NAMES = {"swing": "Azerbaijan", "pole_a": "Russia", "pole_b": "Turkey"}


def _item(cluster: str, pole: str, weight: float, sentence: str) -> tuple[pd.Series, None, float]:
    report = {"event_id": f"{cluster}1", "cluster_id": cluster, "pole": pole,
              "event_date": pd.Timestamp("2020-08-12"), "cluster_date": pd.Timestamp("2020-08-12"), "dated": True,
              "actor1_country": "AZE", "actor2_country": "TUR" if pole == "B" else "RUS", "event_code": "042",
              "goldstein": 1.9, "w": 1, "source_url": f"https://{cluster}.example/a", "outlet": f"{cluster}.example",
              "outlet_key": f"{cluster}.example", "outlet_country": None, "evidence_sentence": sentence,
              "source": "curated"}
    frame = pd.DataFrame([report])
    picked = frame.assign(**{f"rep_{c}": frame[c] for c in ("event_id", "event_code", "goldstein", "actor1_country",
                                                              "actor2_country")})
    return collapse(picked).iloc[0], None, weight


def test_signed_never_shows_minus_zero() -> None:
    assert [signed(v) for v in (-0.004, 0.004, -0.0, 0.0, 0.31, -0.12)] == ["0.00", "0.00", "0.00", "0.00",
                                                                            "+0.31", "-0.12"]


def test_items_under_the_floor_are_counted_not_listed() -> None:
    found = [_item("a", "B", 0.59, "Turkish troops arrived in Nakhchivan for joint drills"),
             _item("b", "B", 0.004, "Turkish envoy visited Baku"),
             _item("c", "B", 0.03, "Turkish minister met Azerbaijani counterpart"),
             _item("d", "A", -0.40, "Peskov offered to mediate"),
             _item("e", "A", -0.003, "Lavrov phoned Bayramov")]
    sections, counted = evidence_sections(found, 1.0, NAMES, ("AZE", "RUS", "TUR"), TemplateNarrator())
    toward, against = sections
    assert [p.text.split(": ")[-1] for p in toward.items] == [
        "Turkish troops arrived in Nakhchivan for joint drills (weight +0.59)"]
    assert [p.text for p in toward.paragraphs][1] == (
        f"2 of these items weigh under {WEIGHT_FLOOR:.2f} each and are not listed (+0.03 together).")
    assert len(against.items) == 1 and "(weight -0.40)" in against.items[0].text
    assert against.paragraphs[1].text == f"1 of these items weighs under {WEIGHT_FLOOR:.2f} each and is not listed " \
                                         "(0.00 together)."
    assert list(counted) == ["evidence for 1", "evidence against 1"]
    every = " ".join(p.text for s in sections for p in [*s.paragraphs, *s.items])
    assert "-0.00" not in every and "+0.00" not in every
