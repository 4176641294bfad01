import pandas as pd

from geodrift.analytics.salience import distinct_places


def test_places_most_reported_first_without_names_another_holds() -> None:
    """Place names as the curated 2020 records give them for the Kalbajar handover."""
    names = pd.Series(["Kalbajar", "Charektar, Kalbajar", "Charektar, Kalbajar", "Karvachar (Kalbajar)", None, "",
                       "Vardenis", "Vardenis, Mets Masrik and Sotk", "Ganjabad", "Ganja", "Ganja"])
    assert distinct_places(names) == ["Charektar, Kalbajar", "Ganja", "Ganjabad", "Karvachar (Kalbajar)",
                                      "Vardenis, Mets Masrik and Sotk"]
