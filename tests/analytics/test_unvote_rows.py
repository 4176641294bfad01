"""Reader 7's L7: the demo's UN-vote table for Azerbaijan (Russia and Turkey as poles) ended in a 2024 row blank in
every column: a year in which one of the three states has no published ideal point has no position to show."""

from geodrift.analytics.unvotes import unvote_alignment
from geodrift.store import Store


def test_no_year_without_any_value(caucasus_store: Store) -> None:
    votes = unvote_alignment(caucasus_store, "AZE", "RUS", "TUR", start=2012)
    values = votes.drop(columns=["year"])
    assert values.notna().any(axis=1).all(), votes[values.isna().all(axis=1)]
    assert votes.year.min() == 2012 and 2023 in set(votes.year) and votes.alignment_published.notna().sum() >= 10
