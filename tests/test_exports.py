import geodrift


def test_public_api_is_sorted_and_importable() -> None:
    assert geodrift.__all__ == sorted(geodrift.__all__)
    for name in geodrift.__all__:
        assert getattr(geodrift, name) is not None


def test_python_api_round_trip(shared) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    with geodrift.Store() as store:
        geodrift.ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
        frame = geodrift.dyad_series(store, "ARM", "AZE", where=geodrift.EventFilter(
            start=dt.date(2020, 7, 1), end=dt.date(2020, 8, 1)))
        assert frame.events.iloc[0] > 0
    events = geodrift.code_text("On July 12, Armenian and Azerbaijani forces clashed near Tovuz.",
                                published=dt.date(2020, 7, 13))
    assert events[0]["event_code"] == "190" and str(events[0]["event_date"]) == "2020-07-12"
