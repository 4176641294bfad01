from pathlib import Path

from geodrift.ingest import ingest_file
from geodrift.sources.base import detect_format
from geodrift.store import Store


def test_icews_tab_file(shared: Path, store: Store) -> None:
    path = shared / "icews/events.2018.sample.tab"
    assert detect_format(path).name == "icews-tab"
    result = ingest_file(store, path)
    assert (result.accepted, result.rejected) == (3705, 0)
    first = store.df("SELECT * FROM events WHERE event_id = 'icews:32889836'").iloc[0]
    assert first.actor1_country == "BGD" and first.actor1_country_raw == "Bangladesh"
    assert first.actor1_role == "GOV"  # "Executive,Foreign Ministry,Government"
    assert first.actor2_role == "MIL" and first.actor2_country == "VNM"
    assert first.event_code == "040" and first.quad_class == 1 and first.plover == "CONSULT"
    assert first.action_geo_name == "Hanoi" and first.outlet == "Vietnam News Agency Bulletin"
    unmapped = store.df(
        "SELECT DISTINCT actor1_country_raw AS c FROM events WHERE actor1_country IS NULL AND actor1_country_raw IS NOT NULL"
    )
    assert unmapped.empty, f"ICEWS country names without ISO3: {unmapped.c.tolist()}"


def test_icews_csv_form_agrees_with_tab_form(shared: Path) -> None:
    with Store() as tab, Store() as csv:
        ingest_file(tab, shared / "icews/events.2018.sample.tab")
        result = ingest_file(csv, shared / "icews/icews_sample.csv")
        assert detect_format(shared / "icews/icews_sample.csv").name == "icews-csv"
        assert result.accepted == 4993 and result.rejected == 0
        cols = "event_id, event_date, actor1_country, actor2_country, actor1_role, event_code, goldstein, action_geo_lat"
        a = tab.df(f"SELECT {cols} FROM events ORDER BY event_id")
        ids = ", ".join(f"'{i}'" for i in a.event_id)
        b = csv.df(f"SELECT {cols} FROM events WHERE event_id IN ({ids}) ORDER BY event_id")
        assert len(b) == len(a) and a.equals(b)


def test_icews_into_one_store_counts_overlap_as_duplicates(shared: Path, store: Store) -> None:
    ingest_file(store, shared / "icews/events.2018.sample.tab")
    second = ingest_file(store, shared / "icews/icews_sample.csv")
    assert second.duplicate == 3705 and second.accepted == 4993 - 3705
    assert store.df("SELECT count(DISTINCT event_id) AS n, count(*) AS m FROM events").iloc[0].tolist() == [4993, 4993]
