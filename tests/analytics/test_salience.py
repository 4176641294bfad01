import pandas as pd

from geodrift.analytics.salience import distinct_places


def test_places_most_reported_first_without_names_another_holds() -> None:
    """Place names as the curated 2020 records give them for the Kalbajar handover."""
    names = pd.Series(["Kalbajar", "Charektar, Kalbajar", "Charektar, Kalbajar", "Karvachar (Kalbajar)", None, "",
                       "Vardenis", "Vardenis, Mets Masrik and Sotk", "Ganjabad", "Ganja", "Ganja"])
    assert distinct_places(names) == ["Charektar, Kalbajar", "Ganja", "Ganjabad", "Karvachar (Kalbajar)",
                                      "Vardenis, Mets Masrik and Sotk"]


def test_each_event_is_cited_by_a_report_dated_to_its_day(report_store) -> None:  # type: ignore[no-untyped-def]
    """A reader saw "express intent to cooperate, 14 Jul" cited by a July-only report published before the clash it
    reacted to, while the cluster held a report of that day."""
    import datetime as dt

    from geodrift.analytics.salience import developments

    found = developments(report_store, ["ARM", "AZE", "GEO", "RUS", "TUR", "IRN"], dt.date(2020, 7, 11),
                         dt.date(2020, 7, 25))
    cited = [i for ids in found.event_ids for i in ids]
    reports = report_store.df(f"""
        SELECT c.cluster_id, e.event_id, e.event_date_precision <> 'day' AS month_only
        FROM clusters AS c JOIN events AS e USING (event_id)
        WHERE c.cluster_id IN (SELECT cluster_id FROM clusters WHERE event_id IN ({", ".join(map(repr, cited))}))""")
    dated = set(reports[~reports.month_only].cluster_id)
    chosen = reports[reports.event_id.isin(cited)]
    assert len(dated) > 10 and chosen.cluster_id.nunique() == len(cited)
    wrong = chosen[chosen.month_only & chosen.cluster_id.isin(dated)]
    assert wrong.empty, f"cited by a month-only report although one dated to the day exists: {list(wrong.event_id)}"
