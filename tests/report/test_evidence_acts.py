"""Reader 3's H3: a cluster whose reports tell several acts of one exchange (a call, and the complaint made in it)
is weighed as its modal act, and its quote tells that act, so the sentence and the weight describe the same act."""

from __future__ import annotations

import pandas as pd

from geodrift.report.evidence import collapse, describe


def _report(event_id: str, code: str, goldstein: float, sentence: str, day: str = "2020-08-12") -> dict[str, object]:
    return {"event_id": event_id, "cluster_id": "call", "pole": "A",
            "event_date": pd.Timestamp(day), "cluster_date": pd.Timestamp("2020-08-12"), "dated": True,
            "actor1_country": "AZE", "actor2_country": "RUS", "event_code": code, "goldstein": goldstein, "w": 1,
            "source_url": f"https://{event_id}.example/a", "outlet": f"{event_id}.example",
            "outlet_key": f"{event_id}.example", "outlet_country": None,
            "evidence_sentence": sentence, "source": "curated"}


def _picked(frame: pd.DataFrame, representative: dict[str, str]) -> pd.DataFrame:
    """``frame`` with each cluster's representative report as analytics.clusters.with_clusters hands it on (the one
    units_sql.collapse_sql picks: here the modal act's report with the smallest id)."""
    rows = [frame[(frame.cluster_id == cluster) & (frame.event_id == event_id)].iloc[0]
            for cluster, event_id in representative.items()]
    picked = pd.DataFrame([{"cluster_id": r.cluster_id, **{f"rep_{c}": r[c] for c in
                                                           ("event_id", "event_code", "goldstein", "actor1_country",
                                                            "actor2_country")}} for r in rows])
    return frame.merge(picked, on="cluster_id")


CALL = "Aliyev telephoned Putin on August 12"
COMPLAINT = "Aliyev told Putin that Russian arms shipments to Armenia worried Azerbaijanis"


def _cluster() -> pd.DataFrame:
    # the complaint's report has the smallest id, as in the store, but the call is told by more reports
    rows = [_report("a0", "114", -2.0, COMPLAINT), _report("b1", "041", 1.0, CALL), _report("b2", "041", 1.0, CALL),
            _report("b3", "041", 1.0, CALL), _report("c1", "051", 3.4, "Aliyev congratulated Putin on a vaccine")]
    return _picked(pd.DataFrame(rows), {"call": "b1"})


def test_a_mixed_cluster_is_weighed_and_quoted_as_its_modal_act() -> None:
    row = collapse(_cluster()).iloc[0]
    assert row.event_code == "041" and row.goldstein == 1.0
    assert row.evidence_sentence == CALL and row.event_id in {"b1", "b2", "b3"}
    assert row.reports == 5 and row.act_reports == 3
    assert row.weight < 0  # a call with Russia: toward pole A (Russia)
    text = describe(row, ("AZE", "RUS"))
    assert "5 reports (3 of the act quoted, 2 of another act of the same event)" in text and CALL in text


def test_a_complaint_told_most_is_weighed_as_a_complaint_away_from_the_pole() -> None:
    frame = pd.concat([_cluster(), pd.DataFrame([_report(f"d{i}", "114", -2.0, COMPLAINT) for i in range(3)])])
    row = collapse(_picked(frame.drop(columns=[c for c in frame if c.startswith("rep_")]), {"call": "a0"})).iloc[0]
    assert row.event_code == "114" and row.evidence_sentence == COMPLAINT
    assert row.goldstein == -2.0 and row.weight > 0  # a complaint to Russia points away from Russia


def test_a_cluster_of_one_act_says_nothing_more() -> None:
    frame = _picked(pd.DataFrame([_report("b1", "041", 1.0, CALL), _report("b2", "041", 1.0, CALL)]), {"call": "b1"})
    row = collapse(frame).iloc[0]
    assert row.act_reports == row.reports == 2
    assert "of them telling" not in describe(row, ("AZE", "RUS"))


def test_a_third_partys_words_are_a_claim_and_an_own_sides_are_not() -> None:
    """Reader 3's M12: Pashinyan's "mercenaries sent by Turkey were in Azerbaijan", coded TUR→AZE 072, was weighed
    as an observed act."""
    from geodrift.report.evidence import claim

    assert claim("Armenian Prime Minister Nikol Pashinyan said on Tuesday that mercenaries sent by Turkey were in "
                 "Azerbaijan", "TUR", "AZE")
    assert claim("France's Emmanuel Macron asserted on Thursday that Ankara had sent Syrian fighters", "TUR", "AZE")
    assert claim("Turkey has sent hundreds of Syrian mercenaries to help Azerbaijan, an Armenian-American weekly "
                 "reported citing CNN", "TUR", "AZE")
    assert not claim("Azerbaijan's defence ministry reported on Friday, July 31, that Turkish F-16 jets had arrived",
                     "TUR", "AZE")
    assert not claim("Turkish F-16 jets arrived in Azerbaijan, the Azerbaijani defence ministry said", "TUR", "AZE")
    assert not claim("Aliyev told Putin that arms shipments worried Azerbaijanis, his office said", "AZE", "RUS")
    assert not claim("Aliyev and Putin spoke by telephone, Aliyev's office said on November 10", "AZE", "RUS")
    assert not claim("Turkey and Azerbaijan launched the TurAz Qartali-2020 drills on July 29", "TUR", "AZE")


def test_a_claim_weighs_half_and_says_so() -> None:
    said = "Armenian Prime Minister Nikol Pashinyan said on Tuesday that mercenaries sent by Turkey were in Azerbaijan"
    rows = [{**_report(f"m{i}", "072", 5.0, said), "actor1_country": "TUR", "pole": "B"} for i in range(3)]
    seen = [{**r, "evidence_sentence": "Turkey sent mercenaries to Azerbaijan", "cluster_id": "seen"} for r in rows]
    both = _picked(pd.DataFrame(rows + seen), {"call": "m0", "seen": "m0"})
    claimed, observed = collapse(both).set_index("cluster_id").loc[["call", "seen"]].itertuples()
    assert claimed.claim and not observed.claim
    assert claimed.weight == observed.weight * 0.5 > 0
    assert "a claim: its reports tell it only as a third party's words" in describe(
        collapse(_picked(pd.DataFrame(rows), {"call": "m0"})).iloc[0], ("AZE", "TUR"))
