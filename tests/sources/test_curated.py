import json
from pathlib import Path

from geodrift.ingest import ingest_file
from geodrift.store import Store

CURATED = "caucasus-2020-events/events.jsonl"


def test_curated_events_keep_their_citations_and_modality(shared: Path, store: Store) -> None:
    path = shared / CURATED
    records = [json.loads(line) for line in path.read_text().splitlines()]
    undated = sum(1 for r in records if r["event_date"] is None and r["published"] is None)
    result = ingest_file(store, path)
    assert result.accepted + result.duplicate == len(records) - undated and result.rejected == undated
    reasons = store.df("SELECT DISTINCT reason FROM quarantine").reason.tolist()
    assert reasons == ["INVALID RECORD: fields event_date and published are both empty: the event cannot be dated"]
    tovuz = store.df(
        "SELECT * FROM events WHERE event_date = DATE '2020-07-12' AND event_code = '190' "
        "AND actor1_country = 'ARM' AND actor2_country = 'AZE'"
    )
    assert len(tovuz) >= 2 and (tovuz.action_geo_name == "Tovuz").sum() >= 2
    assert tovuz.source_url.str.startswith("http").all() and tovuz.outlet.notna().all()
    assert tovuz.evidence_sentence.str.contains("July 12").any()
    modality = store.df("SELECT modality, count(*) AS n FROM events GROUP BY 1").set_index("modality").n
    assert modality["announced"] > 0 and modality["negated"] > 0
    month_only = next(r for r in records if r["event_date_precision"] == "month")
    row = store.df(f"SELECT event_date FROM events WHERE source_event_id = '{month_only['event_id']}'")
    assert str(row.event_date[0])[:10] == month_only["event_date"] + "-01"


def test_bad_curated_lines_are_quarantined_with_line_numbers(tmp_path: Path, shared: Path, store: Store) -> None:
    good = (shared / CURATED).read_text().splitlines()[0]
    bad_code = json.loads(good) | {"event_id": "x1", "cameo_code": "999"}
    path = tmp_path / "events.jsonl"
    path.write_bytes("\n".join([good, "{not json", json.dumps(bad_code)]).encode() + b"\n" + b'{"a": "\xff"}\n')
    result = ingest_file(store, path, "curated-jsonl")
    assert (result.accepted, result.rejected) == (1, 3)
    q = store.df("SELECT line, reason FROM quarantine ORDER BY line")
    assert q.line.tolist() == [2, 3, 4]
    assert "cameo_code" in q.reason[1] and "INVALID ENCODING" in q.reason[2]


def test_an_undated_record_is_marked_undated_not_a_day_event(shared: Path, store: Store) -> None:
    """Reader review 5 (H2): Human Rights Watch's finding about "the 2020 war" (no event_date, page of 15 July 2021)
    was shown on the dyad page as "2021-07-15 … Fight with artillery and tanks", a day-precision event."""
    from geodrift.events import shown_date

    ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
    records = [json.loads(line) for line in (shared / "caucasus-2020-events/events.jsonl").read_text().splitlines()]
    undated = {f"curated:{r['event_id']}": r["published"] for r in records
               if not r.get("event_date") and r.get("published") and len(str(r["published"])) == 10}
    stored = store.df("SELECT event_id, event_date, event_date_precision FROM events WHERE event_id IN "
                      f"({', '.join(repr(e) for e in undated)})")
    assert len(stored) > 10 and set(stored.event_date_precision) == {"unknown"}
    assert all(str(row.event_date)[:10] == undated[row.event_id] for row in stored.itertuples())
    assert shown_date(stored.event_date[0], "unknown") == f"undated (reported {str(stored.event_date[0])[:10]})"


def test_a_value_no_country_place_or_precision_has_is_quarantined_naming_its_field(tmp_path: Path, shared: Path,
                                                                                   store: Store) -> None:
    """Attack review 8 F9: an actor "XXX" was stored as a country (and counted as resolved), a latitude of 1e308 as a
    place, and a precision of "century" silently became "day"."""
    good = json.loads((shared / CURATED).read_text().splitlines()[1])
    variants = [
        good | {"event_id": "v1", "actor1": good["actor1"] | {"iso3": "XXX"}},
        good | {"event_id": "v2", "place": good["place"] | {"iso3": "ZZZ"}},
        good | {"event_id": "v3", "place": good["place"] | {"lat": 1e308}},
        good | {"event_id": "v4", "place": good["place"] | {"lon": "45.6"}},
        good | {"event_id": "v5", "event_date_precision": "century"},
        good | {"event_id": "v6", "event_date_precision": "month"},
        good | {"event_id": "v7", "actor2": good["actor2"] | {"iso3": None}},
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(v) for v in [good, *variants]) + "\n")
    result = ingest_file(store, path, "curated-jsonl")
    assert (result.accepted, result.rejected) == (2, 6)
    reasons = store.df("SELECT reason FROM quarantine ORDER BY line").reason.tolist()
    assert [r.split(": ")[1] for r in reasons] == ["field actor1.iso3", "field place.iso3", "field place.lat",
                                                   "field place.lon", "field event_date_precision",
                                                   "field event_date_precision"]
    assert "'XXX' is not a country code" in reasons[0] and "'century' does not fit" in reasons[4]
