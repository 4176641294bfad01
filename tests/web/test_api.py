"""The REST API over a real store: pagination, filters, downloads, evidence, analytics, errors, keys, CORS."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from geodrift.errors import InputError
from geodrift.store import Store
from tests.web.conftest import KEY


def test_openapi_is_published(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/dyads/{a}/{b}/series", "/api/v1/alignment/{swing}",
            "/api/v1/drift/{swing}", "/api/v1/flareups/{a}/{b}", "/api/v1/briefings/{day}",
            "/api/v1/analyses/{country}", "/api/v1/forecasts", "/api/v1/code", "/api/v1/ingest"} <= set(schema["paths"])


def test_paging_through_all_events(client: TestClient, web_store: Store) -> None:
    expected = int(web_store.df("SELECT count(*) AS n FROM events WHERE actor1_country = 'AZE' "
                                "OR actor2_country = 'AZE'").n[0])
    seen: list[str] = []
    cursor = None
    while True:
        page = client.get("/api/v1/events", params={"actor": "aze", "limit": 97, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200
        body = page.json()
        seen += [e["event_id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == expected


def test_filters(client: TestClient) -> None:
    events = client.get("/api/v1/events", params={"from": "2020-07-12", "to": "2020-07-12", "quad_class": 4,
                                                  "code": "19", "source": "curated", "limit": 500}).json()["events"]
    assert events and all(e["event_date"] == "2020-07-12" and e["quad_class"] == 4 and e["event_code"].startswith("19")
                          for e in events)
    placed = client.get("/api/v1/events", params={"place": "AZE", "limit": 50}).json()["events"]
    assert placed and all(e["action_geo_country"] == "AZE" for e in placed)


def test_csv_and_parquet_downloads(client: TestClient) -> None:
    csv = client.get("/api/v1/events", params={"actor": "ARM", "limit": 10, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "X-Next-Cursor" in csv.headers
    assert csv.text.splitlines()[0].startswith("event_id,source,event_date") and len(csv.text.splitlines()) == 11
    parquet = client.get("/api/v1/events", params={"actor": "ARM", "limit": 10, "format": "parquet"})
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows == 10


def test_event_with_its_evidence(client: TestClient) -> None:
    body = client.get("/api/v1/events/curated:c6b498c992d734d5").json()
    assert body["event"]["actor1_country"] == "AZE" and body["event"]["event_code"] == "016"
    assert body["evidence"][0]["url"].startswith("https://en.trend.az/")
    assert "Tovuz" in body["evidence"][0]["sentence"]


def test_analytics_endpoints(client: TestClient) -> None:
    series = client.get("/api/v1/dyads/ARM/AZE/series", params={"from": "2020-06-01", "to": "2020-12-31"}).json()
    july = next(p for p in series["points"] if p["period"] == "2020-07-01")
    assert july["values"]["q4"] > 20
    align = client.get("/api/v1/alignment/AZE", params={"pole_a": "RUS", "pole_b": "TUR", "from": "2020-06-01",
                                                        "to": "2020-12-31"}).json()
    assert len(align["points"]) == 7
    flare = client.get("/api/v1/flareups/ARM/AZE", params={"from": "2019-01-01", "to": "2020-12-31",
                                                           "unit": "reports"}).json()  # by clusters: none weekly
    assert any(p["values"]["flare_up"] == 1 for p in flare["points"])
    drift = client.get("/api/v1/drift/AZE", params={"pole_a": "RUS", "pole_b": "TUR"})
    assert drift.status_code == 200 and "change_points" in drift.json()


def test_reports(client: TestClient) -> None:
    brief = client.get("/api/v1/briefings/2020-07-24", params={"days": 14}).json()
    assert brief["kind"] == "briefing" and brief["citations"]
    analysis = client.get("/api/v1/analyses/AZE", params={"pole_a": "RUS", "pole_b": "TUR", "from": "2020-06-01",
                                                          "to": "2020-12-31"}).json()
    assert analysis["sections"][0]["heading"] == "Thesis"


@pytest.mark.parametrize(("url", "status", "code"), [
    ("/api/v1/events/nope", 404, "not_found"),
    ("/api/v1/nothing-here", 404, "not_found"),
    ("/api/v1/events?limit=5000", 422, "invalid_parameters"),
    ("/api/v1/events?quad_class=9", 422, "invalid_parameters"),
    ("/api/v1/events?cursor=notacursor", 400, "bad_request"),
    ("/api/v1/dyads/XXX/AZE/series", 400, "bad_request"),
    ("/api/v1/events?actor=XYZ", 400, "bad_request"),
    ("/api/v1/clusters?place=XYZ", 400, "bad_request"),
    ("/api/v1/alignment/AZE?pole_a=RUS&pole_b=TUR&from=1990-01-01&to=2020-12-31", 400, "bad_request"),
    ("/api/v1/briefings/2020-07-24?region=atlantis", 400, "bad_request"),
])
def test_errors_have_one_shape(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]


def test_write_endpoints_need_a_key(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    text = {"text": "Russian and Armenian troops held joint military exercises on July 23.", "published": "2020-07-24"}
    assert client.post("/api/v1/code", json=text).status_code == 401
    assert client.post("/api/v1/code", json=text, headers={"X-API-Key": "wrong"}).status_code == 401
    with caplog.at_level(logging.DEBUG):
        coded = client.post("/api/v1/code", json=text, headers={"X-API-Key": KEY})
    assert coded.status_code == 200
    assert any(e["actor1_country"] in {"RUS", "ARM"} and e["event_date"] == "2020-07-23" for e in coded.json()["events"])
    assert coded.json()["not_coded"] is None
    assert KEY not in caplog.text


def test_code_says_which_sentences_it_left_out(client: TestClient) -> None:
    """The posted text was taken as English whole: a Russian quote went to the English coder and nothing said so.
    Now its sentences in another script are set apart, as ``geodrift code`` sets them apart, and counted."""
    quote = "«Мы призываем стороны немедленно прекратить огонь», — заявили в МИД России."
    text = {"text": "Armenian and Azerbaijani forces clashed near Tovuz on July 12. " + quote, "published": "2020-07-13"}
    body = client.post("/api/v1/code", json=text, headers={"X-API-Key": KEY}).json()
    assert {(e["actor1_country"], e["actor2_country"]) for e in body["events"]} == {("ARM", "AZE"), ("AZE", "ARM")}
    assert all(quote not in e["evidence_sentence"] for e in body["events"])
    assert body["not_coded"] == {"reason": "1 of 2 sentences not coded, in language 'ru' (supported: en); the rest "
                                           "was coded", "partial": True, "language": "ru", "sentences": 1, "of": 2}
    russian = client.post("/api/v1/code", json={"text": quote}, headers={"X-API-Key": KEY}).json()
    assert russian["events"] == [] and russian["not_coded"]["partial"] is False
    assert russian["not_coded"]["language"] == "ru"


def test_keys_are_hashed_at_rest(settings) -> None:  # type: ignore[no-untyped-def]
    assert KEY not in repr(settings) and all(h.startswith("sha256:") for h in settings.key_hashes)


def test_cors(client: TestClient) -> None:
    allowed = client.get("/api/v1/forecasts", headers={"Origin": "https://analyst.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://analyst.example"
    other = client.get("/api/v1/forecasts", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_answers_are_cached_until_the_store_changes(client: TestClient, web_store: Store) -> None:
    url = "/api/v1/dyads/AZE/TUR/series?freq=year"
    first, second = client.get(url), client.get(url)
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert first.json() == second.json()
    with web_store.session(read_only=False) as writer:
        writer.record_forecasts(pa.table({"issued_at": [dt.datetime(2026, 1, 1)], "as_of": ["2020-07-24"], "task": ["escalation"],
                                          "unit": ["AZE-TUR"], "horizon": [7], "horizon_unit": ["days"],
                                          "model": ["climatology"], "p": [0.1]}).cast(pa.schema([
                                              ("issued_at", pa.timestamp("us")), ("as_of", pa.date32()),
                                              ("task", pa.string()), ("unit", pa.string()), ("horizon", pa.int32()),
                                              ("horizon_unit", pa.string()), ("model", pa.string()),
                                              ("p", pa.float64())])))
    assert client.get(url).headers["X-Cache"] == "miss", "a change to the store invalidates cached answers"


@pytest.mark.parametrize("url", ["/api/v1/briefings/0001-01-01", "/api/v1/briefings/9999-12-31",
                                 "/api/v1/dyads/ARM/AZE/series?from=0001-01-01",
                                 "/api/v1/analyses/AZE?pole_a=RUS&pole_b=TUR&from=0002-01-01&to=0002-12-31"])
def test_dates_out_of_range_are_bad_requests(client: TestClient, url: str) -> None:
    """Found by the long fuzz run: date arithmetic on year 1 overflowed into a 500."""
    response = client.get(url)
    assert response.status_code == 400 and "outside 1800-2200" in response.json()["error"]["message"]


@pytest.mark.parametrize("source", ["events", "affinity", "unvotes"])
def test_alignment_from_every_source_is_the_library_answer(client: TestClient, web_store: Store, source: str) -> None:
    import datetime as dt

    from geodrift.analytics.alignment import alignment_by_source
    from geodrift.query import EventFilter

    params = {"pole_a": "RUS", "pole_b": "TUR", "from": "2012-01-01", "to": "2020-12-31", "freq": "year", "source": source}
    response = client.get("/api/v1/alignment/AZE", params=params)
    if source == "affinity":  # too few shared partners in any year: the reason, not a table of blanks
        assert response.status_code == 400
        assert "no year has an affinity for AZE" in response.json()["error"]["message"]
        with pytest.raises(InputError, match="no year has an affinity for AZE"):
            alignment_by_source(web_store, "AZE", "RUS", "TUR", source=source, freq="year",
                                where=EventFilter(start=dt.date(2012, 1, 1), end=dt.date(2021, 1, 1)))
        return
    body = response.json()
    frame, _ = alignment_by_source(web_store, "AZE", "RUS", "TUR", source=source, freq="year", n_boot=200,
                                   where=EventFilter(start=dt.date(2012, 1, 1), end=dt.date(2021, 1, 1)))
    assert len(body["points"]) == len(frame) > 0
    served = [p["values"].get("alignment") for p in body["points"]]
    expected = [None if v != v else pytest.approx(v) for v in frame.alignment]
    assert served == expected


def test_a_region_is_a_name_or_a_comma_list_everywhere(client: TestClient) -> None:
    listed = client.get("/api/v1/briefings/2020-07-24", params={"days": 14, "region": "ARM,AZE"})
    assert listed.status_code == 200 and listed.json()["kind"] == "briefing"
    for url in ("/?region=atlantis", "/briefings?region=atlantis", "/briefings/2020-07-24?region=atlantis"):
        page = client.get(url)
        assert page.status_code == 400 and "atlantis" in page.text, url


def test_an_open_range_is_closed_at_the_span_limit(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    """Found by the hardening probe: ?freq=day&from=1800-01-05 alone returned 16.6 MB."""
    response = client.get("/api/v1/dyads/ARM/AZE/series", params={"freq": "day", "from": "1800-01-05"})
    assert response.status_code == 200
    assert len(response.json()["points"]) <= settings.max_days + 1
    response = client.get("/api/v1/dyads/ARM/AZE/series", params={"freq": "day", "to": "2020-12-31"})
    assert response.status_code == 200 and len(response.json()["points"]) <= settings.max_days + 1


def test_csv_downloads_neutralise_formulas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: format=csv passed =HYPERLINK(...) from a GDELT actor name or a coded article unchanged."""
    import csv
    import io
    import json

    from geodrift.web.app import create_app
    from geodrift.web.config import ServeSettings
    from tests.formula_events import PAYLOADS, formula_store

    db = formula_store(tmp_path)
    with Store(db) as store:
        api = TestClient(create_app(ServeSettings(db=str(db)), store))
        text = api.get("/api/v1/events", params={"format": "csv", "limit": 100}).text
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(PAYLOADS)
        for row in rows:
            for field in ("actor1_name", "outlet", "action_geo_name"):
                assert row[field][:1] not in ("=", "+", "-", "@", "\t", "\r"), row[field]
                assert row[field].startswith("'")
        raw = json.loads(api.get("/api/v1/events", params={"limit": 100}).text)
        assert sorted(e["actor1_name"] for e in raw["events"]) == sorted(PAYLOADS)


def test_the_explorer_map_draws_countries_from_local_shapes(client: TestClient) -> None:
    """The event explorer's map is a scattergeo over countries whose topojson this server serves itself (plotly.js
    would fetch it from a CDN otherwise); a headless-chromium screenshot with networking off shows the countries."""
    import json
    import re

    page = client.get("/events", params={"actor": "AZE"}).text
    figure = json.loads(re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S).group(1))
    assert {trace["type"] for trace in figure["data"]} == {"scattergeo"}
    assert figure["layout"]["geo"]["showcountries"] is True
    assert 'topojsonURL: "/static/topojson/"' in client.get("/static/charts.js").text
    shapes = client.get("/static/topojson/world_110m.json").json()
    assert {"countries", "land", "coastlines"} <= set(shapes["objects"])


def test_forged_cursors_huge_offsets_and_far_dates_are_client_errors(client: TestClient) -> None:
    """Attacker review 6 (F6): each of these answered 500 with a traceback in the server log."""
    import base64

    forged = base64.urlsafe_b64encode(b"9999-12-31|x").decode().rstrip("=")
    for url in (f"/api/v1/events?sort=newest&cursor={forged}", f"/events?cursor={forged}",
                "/analysis?country=AZE&pole_a=RUS&pole_b=TUR&from=9999-12-30&to=9999-12-31"):
        assert client.get(url).status_code == 400, url
    assert client.get("/api/v1/events?sort=newest&cursor=" + forged).json()["error"]["message"] == (
        "cursor: not a cursor returned by this API")
    huge = client.get("/api/v1/forecasts?offset=99999999999999999999")
    assert huge.status_code == 422 and huge.json()["error"]["code"] == "invalid_parameters"


def test_the_cache_keys_on_the_parameters_the_route_reads(client: TestClient) -> None:
    """Attacker review 6 (F8): repeated parameters were sorted into one key although the route reads the last value
    (the reports answer was served for unit=clusters), and an unknown parameter made a key of its own."""
    url = "/api/v1/dyads/ARM/AZE/series?from=2020-07-01&to=2020-07-31"
    reports = client.get(url + "&unit=clusters&unit=reports")
    clusters = client.get(url + "&unit=reports&unit=clusters")
    assert clusters.json() == client.get(url + "&unit=clusters").json() != reports.json()
    assert client.get(url + "&unit=clusters&junk=1").headers["X-Cache"] == "hit"
    assert client.get(url + "&junk=2&unit=clusters").json() == clusters.json()
